; Every call with its callee expression and argument list.
(call function: (_) @callee arguments: (argument_list) @args) @call

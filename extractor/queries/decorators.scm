; Decorator calls with at least two arguments on functions; the C++ keeps
; @pytest.mark.parametrize, whose first argument names the values and second lists the cases.
(decorated_definition
  (decorator (call function: (_) @callee arguments: (argument_list . (_) @names . (_) @cases)))
  definition: (function_definition) @function)

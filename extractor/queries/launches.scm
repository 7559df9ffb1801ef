; Kernel launches. @kernel is the launched expression: a name, an alias variable, a class
; attribute (Cls.kernel) or a wrapper call (wrap_triton(kernel)); the C++ resolves it.
; kernel[grid](args)
(call function: (subscript value: (_) @kernel) arguments: (argument_list)) @launch
; kernel.run(args, grid=grid, warmup=False)
(call
  function: (attribute object: (_) @kernel attribute: (identifier) @method)
  (#eq? @method "run")) @launch
; fx = kernel: a local alias a launch may go through
(assignment left: (identifier) @alias right: (identifier) @aliased) @alias.assignment

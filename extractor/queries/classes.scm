; Classes with their base-class expressions: autograd.Function and nn.Module wrappers, and
; torch-only modules that serve as references.
(class_definition
  name: (identifier) @name
  superclasses: (argument_list (_) @base)) @class

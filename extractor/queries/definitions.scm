; Every function and class definition, at any depth: module level, class bodies, nested in
; functions. Decorators hang off the parent decorated_definition node.
(function_definition
  name: (identifier) @name
  parameters: (parameters) @parameters
  body: (block) @body) @function
(class_definition name: (identifier) @name) @class

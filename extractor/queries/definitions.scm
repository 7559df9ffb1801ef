; Every function and class definition, at any depth: module level, class bodies, nested in
; functions; and each decorator with the definition it decorates.
(function_definition
  name: (identifier) @name
  parameters: (parameters) @parameters
  body: (block) @body) @function
(class_definition name: (identifier) @name) @class
(decorated_definition (decorator) @decorator definition: (_) @decorated) @decorated_definition

; Import statements, anywhere in the file (lazy imports inside functions count too).
; @module / @from + @member give the qualified name, @alias the local name when renamed.
(import_statement name: (dotted_name) @module) @import
(import_statement name: (aliased_import name: (dotted_name) @module alias: (identifier) @alias)) @import
(import_from_statement module_name: (_) @from name: (dotted_name) @member) @import
(import_from_statement
  module_name: (_) @from
  name: (aliased_import name: (dotted_name) @member alias: (identifier) @alias)) @import
; `from .ops import *`: recorded with local and member "*", for the matcher to look behind.
(import_from_statement module_name: (_) @from (wildcard_import) @star) @import

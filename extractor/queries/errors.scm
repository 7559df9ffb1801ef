; Nodes tree-sitter inserted to recover from syntax errors.
(ERROR) @error

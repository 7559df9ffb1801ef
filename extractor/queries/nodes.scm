; Nodes the C++ takes by kind rather than by shape. The query pass visits every node anyway,
; so one pattern with one capture is the cheapest way to list them: cheaper than a pattern per
; kind, and than a second walk of the tree.
[(identifier) (attribute) (keyword_argument) (call) (string) (assignment) (for_statement) (while_statement)
 (tuple) (list)] @node

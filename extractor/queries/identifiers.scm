; Every identifier; the C++ drops attribute members and keyword-argument names, which are not
; reads of a variable.
(identifier) @name

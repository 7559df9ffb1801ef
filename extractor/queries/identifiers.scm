; Names. @name is every identifier; @member and @keyword mark the identifiers that are not
; reads of a variable (attribute members, keyword-argument names), which the C++ drops.
(identifier) @name
(attribute attribute: (identifier) @member)
(keyword_argument name: (identifier) @keyword)

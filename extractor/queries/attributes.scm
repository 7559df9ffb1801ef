; name.member uses: tl.load, torch.sum, triton.cdiv. The object is resolved through the
; file's import aliases before it means anything.
(attribute object: (identifier) @object attribute: (identifier) @member) @attribute

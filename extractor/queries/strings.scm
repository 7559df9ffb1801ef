; String literals: code generators assemble kernels in them ("@triton.jit\ndef ..."), which
; are counted apart and never reported as kernels.
(string) @string

# pytest imports this file before it collects (and so imports) the test
# modules next to it, hence before any op module applies @triton.jit.
# Triton 3.6 reads TRITON_INTERPRET at decoration time (triton.jit checks
# triton.knobs.runtime.interpret, which re-reads the environment on every
# access), so setting it here is early enough even if triton was already
# imported. Without a GPU, run the kernels in Triton's CPU interpreter.
import os

import torch

if not torch.cuda.is_available():
    os.environ.setdefault("TRITON_INTERPRET", "1")

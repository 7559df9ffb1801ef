import torch
import triton
import triton.language as tl


def matmul_reference(a, b):
    return a @ b


@triton.jit
def matmul_kernel(a_ptr, b_ptr, c_ptr, M, N, K,
                  stride_am, stride_ak, stride_bk, stride_bn, stride_cm, stride_cn,
                  BLOCK_SIZE_M: tl.constexpr, BLOCK_SIZE_N: tl.constexpr,
                  BLOCK_SIZE_K: tl.constexpr):
    # Program (pid_m, pid_n) computes the BLOCK_SIZE_M x BLOCK_SIZE_N tile of C
    # at rows offs_m / columns offs_n, walking K in BLOCK_SIZE_K steps.
    pid_m = tl.program_id(axis=0)
    pid_n = tl.program_id(axis=1)
    offs_m = pid_m * BLOCK_SIZE_M + tl.arange(0, BLOCK_SIZE_M)
    offs_n = pid_n * BLOCK_SIZE_N + tl.arange(0, BLOCK_SIZE_N)
    offs_k = tl.arange(0, BLOCK_SIZE_K)
    mask_m = offs_m < M
    mask_n = offs_n < N
    a_row = offs_m.to(tl.int64)[:, None] * stride_am
    b_col = offs_n.to(tl.int64)[None, :] * stride_bn
    acc = tl.zeros((BLOCK_SIZE_M, BLOCK_SIZE_N), dtype=tl.float32)
    for k0 in range(0, K, BLOCK_SIZE_K):
        k_idx = k0 + offs_k
        mask_k = k_idx < K
        a = tl.load(a_ptr + a_row + k_idx.to(tl.int64)[None, :] * stride_ak,
                    mask=mask_m[:, None] & mask_k[None, :], other=0.0)
        b = tl.load(b_ptr + k_idx.to(tl.int64)[:, None] * stride_bk + b_col,
                    mask=mask_k[:, None] & mask_n[None, :], other=0.0)
        # Multiply in fp32 with IEEE precision (no TF32) so results track
        # torch's fp32 matmul; half inputs are upcast first (also required
        # by the interpreter, which cannot tl.dot bfloat16 operands).
        acc = tl.dot(a.to(tl.float32), b.to(tl.float32), acc, input_precision="ieee")
    c_ptrs = c_ptr + offs_m.to(tl.int64)[:, None] * stride_cm + offs_n.to(tl.int64)[None, :] * stride_cn
    tl.store(c_ptrs, acc.to(c_ptr.dtype.element_ty), mask=mask_m[:, None] & mask_n[None, :])


def matmul(a, b):
    assert a.ndim == 2 and b.ndim == 2, "matmul: expects 2-D tensors"
    assert a.shape[1] == b.shape[0], "matmul: inner dimensions must match"
    assert a.dtype == b.dtype, "matmul: a and b must have the same dtype"
    assert a.device == b.device, "matmul: a and b must be on the same device"
    M, K = a.shape
    N = b.shape[1]
    c = torch.empty((M, N), dtype=a.dtype, device=a.device)
    if M == 0 or N == 0:
        return c
    BLOCK_SIZE_M = 64
    BLOCK_SIZE_N = 64
    BLOCK_SIZE_K = 32
    grid = (triton.cdiv(M, BLOCK_SIZE_M), triton.cdiv(N, BLOCK_SIZE_N))
    matmul_kernel[grid](a, b, c, M, N, K,
                        a.stride(0), a.stride(1), b.stride(0), b.stride(1), c.stride(0), c.stride(1),
                        BLOCK_SIZE_M=BLOCK_SIZE_M, BLOCK_SIZE_N=BLOCK_SIZE_N,
                        BLOCK_SIZE_K=BLOCK_SIZE_K)
    return c

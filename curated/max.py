import torch
import triton
import triton.language as tl


def max_all_reference(x):
    return torch.max(x)


@triton.jit
def max_all_kernel(x_ptr, out_ptr, n_elements, BLOCK_SIZE: tl.constexpr):
    # A single program walks the whole (flattened, contiguous) input in
    # BLOCK_SIZE chunks, keeping a running per-lane maximum in fp32.
    # Masked-off lanes load -inf, the identity of max.
    acc = tl.full((BLOCK_SIZE,), float("-inf"), dtype=tl.float32)
    for start in range(0, n_elements, BLOCK_SIZE):
        offsets = start + tl.arange(0, BLOCK_SIZE)
        mask = offsets < n_elements
        x = tl.load(x_ptr + offsets, mask=mask, other=float("-inf"))
        # PropagateNan.ALL makes a NaN stick in its lane, as in torch.
        acc = tl.maximum(acc, x.to(tl.float32), propagate_nan=tl.PropagateNan.ALL)
    result = tl.max(acc, axis=0)
    # tl.max itself ignores NaN on GPU, so re-apply torch's NaN semantics.
    has_nan = tl.max((acc != acc).to(tl.int32), axis=0)
    result = tl.where(has_nan > 0, float("nan"), result)
    tl.store(out_ptr, result.to(out_ptr.dtype.element_ty))


def max_all(x):
    assert x.numel() > 0, "max_all: empty input has no maximum"
    x = x.contiguous()
    out = torch.empty((), dtype=x.dtype, device=x.device)
    n_elements = x.numel()
    BLOCK_SIZE = 1024
    grid = (1,)
    max_all_kernel[grid](x, out, n_elements, BLOCK_SIZE=BLOCK_SIZE)
    return out


def max_dim_reference(x, dim):
    return torch.amax(x, dim)


@triton.jit
def max_dim_kernel(x_ptr, out_ptr, n_out, n_red, stride_out, stride_red,
                   BLOCK_SIZE_OUT: tl.constexpr, BLOCK_SIZE_RED: tl.constexpr):
    # Each program owns BLOCK_SIZE_OUT output elements and loops over the
    # reduced dimension in BLOCK_SIZE_RED chunks. Element (i, j) of the
    # logical (n_out, n_red) view lives at x_ptr + i * stride_out + j * stride_red,
    # so reducing over dim 0 or dim 1 (or a transposed input) is just a
    # different pair of strides.
    pid = tl.program_id(axis=0)
    out_idx = pid * BLOCK_SIZE_OUT + tl.arange(0, BLOCK_SIZE_OUT)
    out_mask = out_idx < n_out
    out_off = out_idx.to(tl.int64) * stride_out
    acc = tl.full((BLOCK_SIZE_OUT, BLOCK_SIZE_RED), float("-inf"), dtype=tl.float32)
    for start in range(0, n_red, BLOCK_SIZE_RED):
        red_idx = start + tl.arange(0, BLOCK_SIZE_RED)
        red_mask = red_idx < n_red
        ptrs = x_ptr + out_off[:, None] + red_idx.to(tl.int64)[None, :] * stride_red
        x = tl.load(ptrs, mask=out_mask[:, None] & red_mask[None, :], other=float("-inf"))
        acc = tl.maximum(acc, x.to(tl.float32), propagate_nan=tl.PropagateNan.ALL)
    result = tl.max(acc, axis=1)
    has_nan = tl.max((acc != acc).to(tl.int32), axis=1)
    result = tl.where(has_nan > 0, float("nan"), result)
    tl.store(out_ptr + out_idx, result.to(out_ptr.dtype.element_ty), mask=out_mask)


def max_dim(x, dim):
    assert x.ndim == 2, "max_dim: expects a 2-D tensor"
    assert -2 <= dim < 2, "max_dim: dim must be 0 or 1"
    dim = dim % 2
    M, N = x.shape
    if dim == 1:
        n_out, n_red, stride_out, stride_red = M, N, x.stride(0), x.stride(1)
    else:
        n_out, n_red, stride_out, stride_red = N, M, x.stride(1), x.stride(0)
    assert n_red > 0, "max_dim: cannot reduce over an empty dimension"
    out = torch.empty((n_out,), dtype=x.dtype, device=x.device)
    if n_out == 0:
        return out
    BLOCK_SIZE_OUT = 16
    BLOCK_SIZE_RED = 128
    grid = (triton.cdiv(n_out, BLOCK_SIZE_OUT),)
    max_dim_kernel[grid](x, out, n_out, n_red, stride_out, stride_red,
                         BLOCK_SIZE_OUT=BLOCK_SIZE_OUT, BLOCK_SIZE_RED=BLOCK_SIZE_RED)
    return out

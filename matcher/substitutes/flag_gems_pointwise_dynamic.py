import triton
import triton.language as tl


@triton.jit
def _flag_gems_pointwise_input(value, offsets, mask, IS_TENSOR: tl.constexpr):
    """A tensor input's element at each offset; any other input as it is."""
    if IS_TENSOR:
        loaded = tl.load(value + offsets, mask=mask)
    else:
        loaded = value
    return loaded


@triton.jit
def _flag_gems_pointwise_kernel(fn: tl.constexpr, in0, in1, in2, in3, in4, in5, out0, out1, n_elements,
                                INPUTS: tl.constexpr, OUTPUTS: tl.constexpr, T0: tl.constexpr, T1: tl.constexpr,
                                T2: tl.constexpr, T3: tl.constexpr, T4: tl.constexpr, T5: tl.constexpr,
                                BLOCK_SIZE: tl.constexpr):
    """tritonpile's kernel for FlagGems' element-wise operators (see _flag_gems_pointwise_dynamic)."""
    offsets = tl.program_id(0).to(tl.int64) * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    mask = offsets < n_elements
    a0 = _flag_gems_pointwise_input(in0, offsets, mask, T0)
    a1 = _flag_gems_pointwise_input(in1, offsets, mask, T1)
    a2 = _flag_gems_pointwise_input(in2, offsets, mask, T2)
    a3 = _flag_gems_pointwise_input(in3, offsets, mask, T3)
    a4 = _flag_gems_pointwise_input(in4, offsets, mask, T4)
    a5 = _flag_gems_pointwise_input(in5, offsets, mask, T5)
    if INPUTS == 1:
        results = fn(a0)
    elif INPUTS == 2:
        results = fn(a0, a1)
    elif INPUTS == 3:
        results = fn(a0, a1, a2)
    elif INPUTS == 4:
        results = fn(a0, a1, a2, a3)
    elif INPUTS == 5:
        results = fn(a0, a1, a2, a3, a4)
    else:
        results = fn(a0, a1, a2, a3, a4, a5)
    if OUTPUTS == 1:
        tl.store(out0 + offsets, results.to(out0.dtype.element_ty), mask=mask)
    else:
        r0, r1 = results
        tl.store(out0 + offsets, r0.to(out0.dtype.element_ty), mask=mask)
        tl.store(out1 + offsets, r1.to(out1.dtype.element_ty), mask=mask)


class _flag_gems_pointwise_dynamic:
    """tritonpile's stand-in for flag_gems.utils.pointwise_dynamic.

    pointwise_dynamic turns a scalar @triton.jit function into an element-wise operator: at
    the first call for each rank it writes a kernel that loads every tensor input at one
    index, calls the scalar function and stores its results, caches that kernel's source on
    disk and imports it. The stand-in launches one fixed kernel instead, which receives the
    scalar function as a compile-time argument. The operator's semantics are kept: tensor
    inputs broadcast, non-tensor inputs passed as they are, each output's dtype from the
    scalar function's type promotion methods, outputs given as `out0=`, `out1=` written in
    place. Its own kernel sees inputs made contiguous, where FlagGems' reads them strided.
    """

    BLOCK_SIZE = 1024

    class _Operator:
        def __init__(self, fn, is_tensor, num_outputs, promotion_methods):
            self.fn = fn
            self.is_tensor = is_tensor
            self.num_outputs = num_outputs
            self.promotion_methods = promotion_methods

        def instantiate(self, ndim):
            # FlagGems compiles its kernel for a rank ahead of the call; one kernel serves every rank here.
            return self

        def __call__(self, *args, **outputs):
            import torch
            from torch._prims_common import ELEMENTWISE_TYPE_PROMOTION_KIND, elementwise_dtypes

            stand_in = _flag_gems_pointwise_dynamic
            if len(args) != len(self.is_tensor):
                raise TypeError(f"{self.fn.__name__} takes {len(self.is_tensor)} inputs by position, got {len(args)}")
            tensors = [arg for arg, is_tensor in zip(args, self.is_tensor) if is_tensor]
            given = [outputs.get(f"out{i}") for i in range(self.num_outputs)]
            shape = torch.broadcast_shapes(*[t.shape for t in tensors])
            device = tensors[0].device
            results = []
            for i, out in enumerate(given):
                *indices, method = self.promotion_methods[i]
                if out is None:
                    _, dtype = elementwise_dtypes(*[args[j] for j in indices],
                                                  type_promotion_kind=ELEMENTWISE_TYPE_PROMOTION_KIND[method])
                    out = torch.empty(shape, dtype=dtype, device=device)
                elif out.shape != shape:
                    raise RuntimeError(f"out{i} has shape {tuple(out.shape)}, the inputs broadcast to {tuple(shape)}")
                results.append(out)
            # The kernel writes contiguous buffers; an output given otherwise gets its values after.
            buffers = [out if out.is_contiguous() else torch.empty(shape, dtype=out.dtype, device=device)
                       for out in results]
            inputs = [arg.broadcast_to(shape).contiguous() if is_tensor else arg
                      for arg, is_tensor in zip(args, self.is_tensor)]
            n_elements = buffers[0].numel()
            if n_elements > 0:
                slots = inputs + [None] * (6 - len(inputs))
                flags = list(self.is_tensor) + [False] * (6 - len(self.is_tensor))
                grid = (triton.cdiv(n_elements, stand_in.BLOCK_SIZE),)
                _flag_gems_pointwise_kernel[grid](self.fn, *slots, buffers[0], buffers[1] if len(buffers) > 1 else None, n_elements,
                             len(inputs), len(buffers), *flags, BLOCK_SIZE=stand_in.BLOCK_SIZE)
            for out, buffer in zip(results, buffers):
                if buffer is not out:
                    out.copy_(buffer)
            return results[0] if len(results) == 1 else tuple(results)

    @staticmethod
    def pointwise_dynamic(f=None, *, num_inputs=None, is_tensor=None, dtypes=None, num_outputs=None,
                          promotion_methods=None, config=None):
        if promotion_methods is None:
            raise ValueError("pointwise_dynamic needs a type promotion method for each output")

        def decorate(fn):
            if is_tensor is not None:
                flags = list(is_tensor)
            elif dtypes is not None:
                flags = [dtype is None for dtype in dtypes]
            else:
                flags = [True] * (num_inputs if num_inputs is not None else len(fn.arg_names))
            if not 1 <= len(flags) <= 6:
                raise ValueError(f"{fn.__name__}: the stand-in launches 1 to 6 inputs, not {len(flags)}")
            outputs = num_outputs if num_outputs is not None else len(promotion_methods)
            if not 1 <= outputs <= 2:
                raise ValueError(f"{fn.__name__}: the stand-in stores 1 or 2 outputs, not {outputs}")
            return _flag_gems_pointwise_dynamic._Operator(fn, flags, outputs, promotion_methods)

        return decorate(f) if f is not None else decorate

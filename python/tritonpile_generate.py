#!/usr/bin/env python3
"""Renders template-generated Triton/PyTorch variants (Phase 2 of the dataset).

    python tritonpile_generate.py --count N --seed S [--templates DIR] [--template NAME ...]

Writes one JSON object per line on stdout, each a distinct variant: a PyTorch-only reference
(`python_code`), a Triton kernel plus launcher (`triton_code`), a repo-style pytest comparing
the two (`test_code`), the entry points, and an input recipe in the matcher's InputRecipe
schema so the validator can synthesize its own check. The same seed always gives
byte-identical output. Variants are distinct in their code: two renders whose python_code and
triton_code have the same tokens (comments, docstrings and layout ignored) count as one.
"""
import argparse
import hashlib
import io
import json
import keyword
import pathlib
import random
import sys
import tokenize

import jinja2

DTYPES = ("float32", "float16", "bfloat16")
DEFAULT_TEMPLATES = pathlib.Path(__file__).resolve().parent.parent / "templates"
# How many renders in a row of one template may repeat earlier ones before that template
# counts as exhausted.
MAX_MISSES = 400

# Names the templates use themselves (modules, locals, helper kernels' parameters); sampled
# names (and those names + "_ptr") must avoid them.
RESERVED = frozenset({
    # modules and test helpers
    "torch", "triton", "tl", "F", "os", "pytest", "DEVICE", "make_inputs", "args", "expected",
    "actual", "magnitude", "probs", "tol", "normed",
    # kernel and launcher locals
    "grid", "pid", "offsets", "mask", "start", "step", "result", "acc", "vals", "total", "partials",
    "partials_ptr", "n_chunks", "FINISH_BLOCK", "out_idx", "out_mask", "outer", "inner", "base",
    "red_idx", "red_mask", "ptrs", "extent", "n_red", "n_inner", "out_shape", "n_out", "BLOCK_OUT",
    "BLOCK_RED", "M", "N", "K", "pid_m", "pid_n", "num_pid_m", "num_pid_n", "num_pid_in_group",
    "group_id", "first_pid_m", "group_size_m", "offs_m", "offs_n", "offs_k", "mask_m", "mask_n",
    "mask_k", "k0", "k_idx", "a_tile", "b_tile", "c_ptrs", "bias_row", "out_ptrs", "BLOCK_M",
    "BLOCK_N", "BLOCK_K", "GROUP_M", "row", "in_row", "out_row", "cols", "x_row", "num", "den",
    "row_max", "row_sum", "chunk", "new_max", "n_rows", "n_cols", "mean", "diff", "var", "rstd",
    "weight_row", "y_row", "ms", "inv_rms", "h", "u", "tanh_u", "stride_in", "stride_out",
    # reference locals
    "xf", "exps", "mu", "sigma2", "pre", "act",
    # builtins worth not shadowing
    "input", "sum", "max", "min", "abs", "len", "range", "type", "id", "list", "float", "int",
})


# ----------------------------------------------------------------------------------------------
# Sampling helpers


class Resample(Exception):
    """The sample is unusable (two names collide or hit a reserved one, ...): draw again."""


def pick(rng, options):
    return options[rng.randrange(len(options))]


def sample_dim(rng, lo, hi):
    """A dimension in [lo, hi]: a power of two, one off a power of two, or anything."""
    roll = rng.random()
    powers = [p for p in (2 ** i for i in range(0, 20)) if lo <= p <= hi]
    if roll < 0.25 and powers:
        return pick(rng, powers)
    if roll < 0.45:
        near = [p + d for p in powers for d in (-1, 1) if lo <= p + d <= hi]
        if near:
            return pick(rng, near)
    return rng.randint(lo, hi)


def sample_shape(rng, ndims, lo, hi, max_numel, min_numel=1):
    for _ in range(1000):
        ndim = pick(rng, ndims)
        shape = [sample_dim(rng, lo, hi) for _ in range(ndim)]
        numel = 1
        for d in shape:
            numel *= d
        if min_numel <= numel <= max_numel:
            return shape
    raise RuntimeError("could not sample a shape")  # pragma: no cover - the ranges allow many


def check_row_loop_cost(rows, cols, block_size, passes):
    """The interpreter runs each row's loop in Python: keep rows x chunks x passes modest."""
    if block_size is not None and rows * -(-cols // block_size) * passes > 512:
        raise Resample("too many row iterations for the interpreter")


def float_literal(value):
    return repr(float(value))


def tensor_arg(name, shape, dtype, constructor="randn", scale=1.0, offset=0.0):
    return {
        "name": name,
        "kind": "tensor",
        "tensor": {
            "constructor": constructor,
            "shape": list(shape),
            "dims": [str(d) for d in shape],
            "dtype": dtype,
            "scale": float(scale),
            "offset": float(offset),
        },
        "literal": "",
    }


def scalar_arg(name, kind, value):
    literal = {"int": str, "float": float_literal, "bool": lambda v: "True" if v else "False"}[kind](value)
    return {"name": name, "kind": kind, "literal": literal}


class Names:
    """Draws launcher, reference and kernel names around one sampled base word."""

    PREFIXES = ("", "", "", "triton_", "tl_", "fast_")
    SUFFIXES = ("", "", "_v2", "_v3", "_fwd", "_triton", "_impl", "_op")

    def __init__(self, rng, bases):
        base = pick(rng, bases)
        prefix = pick(rng, self.PREFIXES)
        suffix = pick(rng, self.SUFFIXES)
        if prefix and suffix == "_triton":  # no triton_add_triton
            suffix = ""
        self.base = base
        self.launcher = prefix + base + suffix
        self.reference = pick(rng, (
            f"{base}_reference", f"{base}_ref", f"torch_{base}", f"{base}_torch",
            f"reference_{base}", f"{base}_eager", f"naive_{base}", f"{base}_pytorch"))
        self.kernel = pick(rng, (
            f"{base}_kernel", f"_{base}_kernel", f"{base}{suffix}_kernel", f"{base}_fwd_kernel",
            f"k_{base}", f"triton_{base}_kernel"))

    def as_dict(self):
        return {"launcher": self.launcher, "reference": self.reference, "kernel": self.kernel}


def check_names(*names):
    seen = set()
    for name in names:
        if (not name.isidentifier() or keyword.iskeyword(name) or name in RESERVED
                or name + "_ptr" in RESERVED or name in seen):
            raise Resample(name)
        seen.add(name)


OUT_NAMES = ("out", "output", "res", "dst", "out_buf", "ret")
N_NAMES = ("n_elements", "numel", "n", "size", "num_elements", "length")
BLOCK_NAMES = ("BLOCK_SIZE", "BLOCK", "XBLOCK", "TILE", "CHUNK", "BLOCK_ELEMS")
INPUT_NAMES = ("x", "inp", "src", "data", "values", "a", "xs")


def tolerance_for(dtype):
    return {"float32": (1e-4, 1e-4), "float16": (1e-2, 1e-2), "bfloat16": (5e-2, 5e-2)}[dtype]


# ----------------------------------------------------------------------------------------------
# One sampler per template: each returns (params, difficulty, inputs). `params` is what the
# Jinja templates see (and what the JSON line reports); names live under params["names"].


BINARY_OPS = {
    "add": {"symbol": "+", "method": "add", "function": "torch.add",
            "bases": ("add", "vector_add", "elementwise_add", "add_tensors", "tensor_add", "pointwise_add", "plus"),
            "alpha_bases": ("add_scaled", "axpy", "scaled_add", "add_alpha", "scale_add")},
    "sub": {"symbol": "-", "method": "sub", "function": "torch.sub",
            "bases": ("sub", "subtract", "vector_sub", "elementwise_sub", "difference", "tensor_sub", "minus"),
            "alpha_bases": ("sub_scaled", "scaled_sub", "sub_alpha", "axmy", "scale_sub")},
    "mul": {"symbol": "*", "method": "mul", "function": "torch.mul",
            "bases": ("mul", "multiply", "vector_mul", "elementwise_mul", "hadamard", "pointwise_mul", "tensor_mul"),
            "alpha_bases": ()},
    "div": {"symbol": "/", "method": "div", "function": "torch.div",
            "bases": ("div", "divide", "true_divide", "elementwise_div", "vector_div", "ratio", "tensor_div"),
            "alpha_bases": ()},
}
BINARY_PAIRS = (("x", "y"), ("a", "b"), ("lhs", "rhs"), ("left", "right"), ("first", "second"),
                ("u", "v"), ("x1", "x2"), ("src", "other"))


def sample_binary(op):
    def sample(rng):
        info = BINARY_OPS[op]
        use_alpha = bool(info["alpha_bases"]) and rng.random() < 0.35
        names = Names(rng, info["alpha_bases"] if use_alpha else info["bases"])
        lhs, rhs = pick(rng, BINARY_PAIRS)
        alpha_name = pick(rng, ("alpha", "scale", "factor", "coeff"))
        out, n, block = pick(rng, OUT_NAMES), pick(rng, N_NAMES), pick(rng, BLOCK_NAMES)
        check_names(names.launcher, names.reference, names.kernel, lhs, rhs, alpha_name, out, n, block)
        dtype = pick(rng, DTYPES)
        shape = sample_shape(rng, (1, 2, 3), 3, 3000, 16384, min_numel=64)
        style = pick(rng, ("flat", "flat", "grid_stride"))
        ref_styles = ("function",) if use_alpha else ("operator", "function", "method")
        params = {
            "op": op, "dtype": dtype, "shape": shape, "block_size": pick(rng, (128, 256, 512, 1024, 2048)),
            "style": style, "max_programs": pick(rng, (2, 4, 8)) if style == "grid_stride" else None,
            "ref_style": pick(rng, ref_styles),
            "alpha": pick(rng, (0.5, 2.0, -1.5, 0.25, 3.0, -0.75)) if use_alpha else None,
            "names": dict(names.as_dict(), lhs=lhs, rhs=rhs, alpha=alpha_name, out=out, n=n, block=block),
        }
        inputs = [tensor_arg(lhs, shape, dtype)]
        if op == "div":  # keep the denominators in [0.5, 1.0)
            inputs.append(tensor_arg(rhs, shape, dtype, "rand", 0.5, 0.5))
        else:
            inputs.append(tensor_arg(rhs, shape, dtype))
        if use_alpha:
            inputs.append(scalar_arg(alpha_name, "float", params["alpha"]))
        return params, "easy", inputs
    return sample


REDUCE_OPS = {
    "sum": {"full_bases": ("sum_all", "total_sum", "reduce_sum", "full_sum", "global_sum", "sum_reduce"),
            "dim_bases": ("sum_dim", "sum_along", "reduce_sum_dim", "dim_sum", "axis_sum", "sum_over_axis")},
    "max": {"full_bases": ("max_all", "global_max", "reduce_max", "amax_all", "tensor_max", "full_max"),
            "dim_bases": ("max_dim", "amax_dim", "max_along", "reduce_max_dim", "axis_max", "max_over_axis")},
    "min": {"full_bases": ("min_all", "global_min", "reduce_min", "amin_all", "tensor_min", "full_min"),
            "dim_bases": ("min_dim", "amin_dim", "min_along", "reduce_min_dim", "axis_min", "min_over_axis")},
}


def sample_reduce_full(op):
    def sample(rng):
        names = Names(rng, REDUCE_OPS[op]["full_bases"])
        x = pick(rng, INPUT_NAMES)
        out, n, block = pick(rng, OUT_NAMES), pick(rng, N_NAMES), pick(rng, BLOCK_NAMES)
        check_names(names.launcher, names.reference, names.kernel, x, out, n, block)
        dtype = pick(rng, DTYPES)
        shape = sample_shape(rng, (1, 2, 3), 2, 2000, 12000, min_numel=32)
        style = pick(rng, ("single_program", "two_stage"))
        ref_styles = {"sum": ("function", "method"), "max": ("function", "method", "amax"),
                      "min": ("function", "method", "amax")}[op]
        params = {
            "op": op, "dtype": dtype, "shape": shape, "style": style,
            "block_size": pick(rng, (128, 256, 512, 1024)),
            "finish_block": pick(rng, (32, 64, 128)) if style == "two_stage" else None,
            "ref_style": pick(rng, ref_styles),
            "names": dict(names.as_dict(), x=x, out=out, n=n, block=block),
        }
        if op == "sum":
            # A full sum of zero-mean data can land near 0, where fp32 summation order alone
            # exceeds a relative tolerance; give the data a positive mean.
            constructor, scale, offset = pick(rng, (("rand", 1.0, 0.0), ("randn", 1.0, 1.0), ("rand", 2.0, -0.5)))
        else:
            constructor, scale, offset = "randn", 1.0, 0.0
        inputs = [tensor_arg(x, shape, dtype, constructor, scale, offset)]
        return params, "easy" if style == "single_program" else "medium", inputs
    return sample


def sample_reduce_dim(op):
    def sample(rng):
        names = Names(rng, REDUCE_OPS[op]["dim_bases"])
        x = pick(rng, INPUT_NAMES)
        dim_name = pick(rng, ("dim", "axis", "reduce_dim", "d"))
        keepdim_name = pick(rng, ("keepdim", "keep_dims", "keepdims"))
        out = pick(rng, OUT_NAMES)
        check_names(names.launcher, names.reference, names.kernel, x, dim_name, keepdim_name, out)
        dtype = pick(rng, DTYPES)
        shape = sample_shape(rng, (2, 2, 3), 2, 700, 10000, min_numel=16)
        ndim = len(shape)
        dim = rng.randrange(-ndim, ndim)
        with_keepdim = rng.random() < 0.4
        style = pick(rng, ("tiled", "one_per_program"))
        if style == "one_per_program":
            # One program per output element: keep the output small for the interpreter.
            rest = 1
            for i, d in enumerate(shape):
                if i != dim % ndim:
                    rest *= d
            if rest > 512:
                raise Resample("too many programs")  # draw again
        ref_styles = {"sum": ("function", "method"), "max": ("amax", "values", "method"),
                      "min": ("amax", "values", "method")}[op]
        params = {
            "op": op, "dtype": dtype, "shape": shape, "dim": dim, "style": style,
            "keepdim": (rng.random() < 0.5) if with_keepdim else None,
            "block_out": pick(rng, (8, 16, 32)) if style == "tiled" else None,
            "block_red": pick(rng, (32, 64, 128, 256)),
            "ref_style": pick(rng, ref_styles),
            "names": dict(names.as_dict(), x=x, dim=dim_name, keepdim=keepdim_name, out=out),
        }
        inputs = [tensor_arg(x, shape, dtype), scalar_arg(dim_name, "int", dim)]
        if with_keepdim:
            inputs.append(scalar_arg(keepdim_name, "bool", params["keepdim"]))
        return params, "medium", inputs
    return sample


def sample_matmul(rng):
    names = Names(rng, ("matmul", "mm", "gemm", "matrix_multiply", "tiled_matmul", "blocked_gemm", "mat_product"))
    a, b = pick(rng, (("a", "b"), ("x", "w"), ("lhs", "rhs"), ("A", "B"), ("mat1", "mat2"), ("left", "right")))
    c = pick(rng, ("c", "out", "output", "C", "prod"))
    check_names(names.launcher, names.reference, names.kernel, a, b, c)
    dtype = pick(rng, DTYPES)
    m, k, n = (sample_dim(rng, 8, 130) for _ in range(3))
    style = pick(rng, ("grid_2d", "grouped"))
    params = {
        "dtype": dtype, "m": m, "k": k, "n": n, "style": style,
        "block_m": pick(rng, (16, 32, 64)), "block_n": pick(rng, (16, 32, 64)), "block_k": pick(rng, (16, 32)),
        "group_m": pick(rng, (2, 4, 8)) if style == "grouped" else None,
        "ref_style": pick(rng, ("operator", "matmul", "mm")),
        "names": dict(names.as_dict(), a=a, b=b, c=c),
    }
    inputs = [tensor_arg(a, (m, k), dtype), tensor_arg(b, (k, n), dtype)]
    return params, "hard", inputs


def sample_linear(rng):
    names = Names(rng, ("linear", "fused_linear", "dense", "linear_bias", "fc_forward", "affine_layer", "addmm_bias"))
    x = pick(rng, ("x", "inp", "activations", "features", "hidden"))
    w = pick(rng, ("weight", "w", "W", "weights"))
    bias = pick(rng, ("bias", "b", "bias_vec", "offset"))
    out = pick(rng, ("out", "output", "res", "dst"))
    check_names(names.launcher, names.reference, names.kernel, x, w, bias, out)
    dtype = pick(rng, DTYPES)
    m, k, n = (sample_dim(rng, 8, 130) for _ in range(3))
    params = {
        "dtype": dtype, "m": m, "k": k, "n": n,
        "block_m": pick(rng, (16, 32, 64)), "block_n": pick(rng, (16, 32, 64)), "block_k": pick(rng, (16, 32)),
        "ref_style": pick(rng, ("functional", "explicit")),
        "names": dict(names.as_dict(), x=x, w=w, bias=bias, out=out),
    }
    inputs = [tensor_arg(x, (m, k), dtype), tensor_arg(w, (n, k), dtype), tensor_arg(bias, (n,), dtype)]
    return params, "hard", inputs


def sample_softmax(rng):
    with_temperature = rng.random() < 0.3
    names = Names(rng, ("scaled_softmax", "softmax_temperature", "tempered_softmax", "softmax_with_temp")
                  if with_temperature else
                  ("softmax", "row_softmax", "rowwise_softmax", "softmax_rows", "fused_softmax",
                   "softmax_lastdim", "stable_softmax"))
    x = pick(rng, ("x", "logits", "scores", "inp", "attn_scores"))
    temp = pick(rng, ("temperature", "temp", "tau"))
    out = pick(rng, OUT_NAMES)
    check_names(names.launcher, names.reference, names.kernel, x, temp, out)
    dtype = pick(rng, DTYPES)
    rows, cols = sample_dim(rng, 1, 64), sample_dim(rng, 2, 1200)
    style = pick(rng, ("single_block", "online"))
    params = {
        "dtype": dtype, "shape": [rows, cols], "style": style,
        "block_size": pick(rng, (64, 128, 256, 512)) if style == "online" else None,
        "temperature": pick(rng, (0.5, 2.0, 0.7, 1.5)) if with_temperature else None,
        "ref_style": pick(rng, ("torch", "functional", "manual")),
        "names": dict(names.as_dict(), x=x, temperature=temp, out=out),
    }
    check_row_loop_cost(rows, cols, params["block_size"], passes=2)
    inputs = [tensor_arg(x, (rows, cols), dtype, "randn", pick(rng, (1.0, 2.0, 4.0)), 0.0)]
    if with_temperature:
        inputs.append(scalar_arg(temp, "float", params["temperature"]))
    return params, "medium", inputs


def sample_layer_norm(rng):
    names = Names(rng, ("layer_norm", "layernorm", "fused_layer_norm", "ln_forward", "layer_norm_fwd",
                        "norm_last_dim", "affine_layer_norm"))
    x = pick(rng, ("x", "hidden", "inp", "features", "hidden_states"))
    weight = pick(rng, ("weight", "gamma", "w", "ln_weight"))
    bias = pick(rng, ("bias", "beta", "b", "ln_bias"))
    eps = pick(rng, ("eps", "epsilon", "variance_epsilon"))
    out = pick(rng, OUT_NAMES)
    check_names(names.launcher, names.reference, names.kernel, x, weight, bias, eps, out)
    dtype = pick(rng, DTYPES)
    rows, cols = sample_dim(rng, 1, 64), sample_dim(rng, 16, 1200)
    style = pick(rng, ("single_block", "looped"))
    params = {
        "dtype": dtype, "shape": [rows, cols], "style": style,
        "block_size": pick(rng, (64, 128, 256, 512)) if style == "looped" else None,
        "eps": pick(rng, (1e-5, 1e-6, 1e-12)),
        "ref_style": pick(rng, ("functional", "manual")),
        "names": dict(names.as_dict(), x=x, weight=weight, bias=bias, eps=eps, out=out),
    }
    check_row_loop_cost(rows, cols, params["block_size"], passes=3)
    inputs = [
        tensor_arg(x, (rows, cols), dtype),
        tensor_arg(weight, (cols,), dtype, "rand", 0.5, 0.5),
        tensor_arg(bias, (cols,), dtype, "randn", 0.1, 0.0),
        scalar_arg(eps, "float", params["eps"]),
    ]
    return params, "hard", inputs


def sample_rms_norm(rng):
    names = Names(rng, ("rms_norm", "rmsnorm", "fused_rms_norm", "rms_normalize", "root_mean_square_norm"))
    x = pick(rng, ("x", "hidden", "inp", "features", "hidden_states"))
    weight = pick(rng, ("weight", "gamma", "w", "scale"))
    eps = pick(rng, ("eps", "epsilon", "variance_epsilon"))
    out = pick(rng, OUT_NAMES)
    check_names(names.launcher, names.reference, names.kernel, x, weight, eps, out)
    dtype = pick(rng, DTYPES)
    rows, cols = sample_dim(rng, 1, 64), sample_dim(rng, 16, 1200)
    style = pick(rng, ("single_block", "looped"))
    params = {
        "dtype": dtype, "shape": [rows, cols], "style": style,
        "block_size": pick(rng, (64, 128, 256, 512)) if style == "looped" else None,
        "eps": pick(rng, (1e-5, 1e-6, 1e-8)),
        "ref_style": pick(rng, ("functional", "manual")),
        "names": dict(names.as_dict(), x=x, weight=weight, eps=eps, out=out),
    }
    check_row_loop_cost(rows, cols, params["block_size"], passes=2)
    inputs = [
        tensor_arg(x, (rows, cols), dtype),
        tensor_arg(weight, (cols,), dtype, "rand", 0.5, 0.5),
        scalar_arg(eps, "float", params["eps"]),
    ]
    return params, "medium", inputs


ACTIVATIONS = {
    "relu": ("fused_bias_relu", "scale_bias_relu", "bias_relu", "affine_relu", "scale_add_relu"),
    "leaky_relu": ("bias_leaky_relu", "fused_leaky_relu", "scale_bias_lrelu", "affine_leaky_relu"),
    "silu": ("bias_silu", "fused_bias_swish", "scale_bias_silu", "affine_silu"),
    "gelu_tanh": ("bias_gelu", "fused_bias_gelu", "gelu_tanh_bias", "scale_bias_gelu"),
    "sigmoid": ("bias_sigmoid", "fused_scale_sigmoid", "affine_sigmoid", "scale_bias_sigmoid"),
}


def sample_fused(rng):
    activation = pick(rng, tuple(ACTIVATIONS))
    with_residual = rng.random() < 0.4
    bases = ACTIVATIONS[activation]
    if with_residual:
        bases = tuple(b + "_residual" for b in bases)
    names = Names(rng, bases)
    x = pick(rng, ("x", "inp", "pre_act", "features", "hidden"))
    scale = pick(rng, ("scale", "alpha", "gain", "multiplier"))
    bias = pick(rng, ("bias", "b", "shift"))
    residual = pick(rng, ("residual", "skip", "res_in", "shortcut"))
    out, n, block = pick(rng, OUT_NAMES), pick(rng, N_NAMES), pick(rng, BLOCK_NAMES)
    check_names(names.launcher, names.reference, names.kernel, x, scale, bias, residual, out, n, block)
    dtype = pick(rng, DTYPES)
    shape = sample_shape(rng, (2, 3), 2, 1000, 16384, min_numel=64)
    params = {
        "dtype": dtype, "shape": shape, "activation": activation,
        "negative_slope": pick(rng, (0.01, 0.1, 0.2)) if activation == "leaky_relu" else None,
        "residual": with_residual, "scale": pick(rng, (0.5, 1.5, 2.0, -1.0, 0.125)),
        "block_size": pick(rng, (128, 256, 512, 1024)),
        "names": dict(names.as_dict(), x=x, scale=scale, bias=bias, residual=residual, out=out, n=n, block=block),
    }
    inputs = [
        tensor_arg(x, shape, dtype),
        scalar_arg(scale, "float", params["scale"]),
        tensor_arg(bias, (shape[-1],), dtype, "randn", 0.5, 0.0),
    ]
    if with_residual:
        inputs.append(tensor_arg(residual, shape, dtype))
    return params, "medium", inputs


class Template:
    def __init__(self, name, files, operation_type, sampler, constants=None):
        self.name = name                  # e.g. elementwise/add
        self.files = files                # file stem under templates/{python,triton,pytest}/
        self.operation_type = operation_type
        self.sampler = sampler
        self._constants = constants       # params -> fixed template values (not sampled)

    def constants(self, params):
        return self._constants(params) if self._constants else {}


def binary_constants(params):
    info = BINARY_OPS[params["op"]]
    return {"symbol": info["symbol"], "function": info["function"], "method": info["method"]}


TEMPLATES = [
    *(Template(f"elementwise/{op}", "elementwise/binary", "elementwise", sample_binary(op),
               binary_constants) for op in BINARY_OPS),
    *(Template(f"reduction/{op}", "reduction/full", "reduction", sample_reduce_full(op)) for op in REDUCE_OPS),
    *(Template(f"reduction/{op}_dim", "reduction/dim", "reduction", sample_reduce_dim(op)) for op in REDUCE_OPS),
    Template("matmul/matmul", "matmul/matmul", "matmul", sample_matmul),
    Template("matmul/linear", "matmul/linear", "matmul", sample_linear),
    Template("softmax/rowwise", "softmax/rowwise", "softmax", sample_softmax),
    Template("normalization/layer_norm", "normalization/layer_norm", "normalization", sample_layer_norm),
    Template("normalization/rms_norm", "normalization/rms_norm", "normalization", sample_rms_norm),
    Template("fused/scale_bias_act", "fused/scale_bias_act", "elementwise", sample_fused),
]
TEMPLATE_NAMES = [t.name for t in TEMPLATES]


# ----------------------------------------------------------------------------------------------
# Rendering


def make_environment(templates_dir):
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )


def python_value(arg):
    """The Python expression the repo test uses to build one input."""
    if arg["kind"] != "tensor":
        return arg["literal"]
    spec = arg["tensor"]
    shape = ", ".join(str(d) for d in spec["shape"]) + ("," if len(spec["shape"]) == 1 else "")
    value = f"torch.{spec['constructor']}(({shape}), device=DEVICE)"
    if spec["scale"] != 1.0:
        value += f" * {float_literal(spec['scale'])}"
    if spec["offset"] != 0.0:
        value += f" + {float_literal(spec['offset'])}"
    if value.endswith(")"):
        return f"{value}.to(torch.{spec['dtype']})"
    return f"({value}).to(torch.{spec['dtype']})"


def tidy(code):
    """Strips trailing spaces and keeps at most two blank lines in a row."""
    lines = [line.rstrip() for line in code.split("\n")]
    out, blank = [], 0
    for line in lines:
        blank = blank + 1 if not line else 0
        if blank <= 2:
            out.append(line)
    return "\n".join(out).strip("\n") + "\n"


def render(env, template, params, inputs, test_seed):
    names = params["names"]
    context = dict(template.constants(params), **params)
    context.update(reference=names["reference"], launcher=names["launcher"],
                   kernel=names["kernel"], inputs=inputs, test_seed=test_seed,
                   input_values=[(a["name"], python_value(a)) for a in inputs],
                   tolerance=tolerance_for(params["dtype"]))
    codes = {}
    for kind in ("python", "triton", "pytest"):
        path = f"{kind}/{template.files}.py.j2"
        code = tidy(env.get_template(path).render(**context))
        compile(code, path, "exec")  # a template bug should fail here, not in a child process
        codes[kind] = code
    return codes


def code_key(python_code, triton_code):
    """Hash of the two code fields' tokens. Comments, layout and string statements (docstrings)
    do not count, as in the matcher's canonical hash, so variants never differ only in those."""
    digest = hashlib.sha256()
    for code in (python_code, triton_code):
        previous = tokenize.NEWLINE
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            kind = token.type
            if kind in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
                        tokenize.ENDMARKER):
                if kind != tokenize.COMMENT:
                    previous = kind if kind != tokenize.NL else previous
                continue
            is_docstring = kind == tokenize.STRING and previous in (tokenize.NEWLINE, tokenize.INDENT)
            previous = kind
            if is_docstring:
                continue
            digest.update(token.string.encode() + b"\x00")
        digest.update(b"\x01")
    return digest.hexdigest()


class SpaceExhausted(Exception):
    pass


def generate(count, seed, templates_dir=DEFAULT_TEMPLATES, only=None):
    """Returns `count` distinct variant records; the same arguments give the same records."""
    if count < 0:
        raise ValueError("count must be >= 0")
    selected = [t for t in TEMPLATES if not only or t.name in only]
    unknown = sorted(set(only or ()) - set(TEMPLATE_NAMES))
    if unknown:
        raise ValueError(f"unknown template(s): {', '.join(unknown)}; known: {', '.join(TEMPLATE_NAMES)}")
    env = make_environment(templates_dir)
    rng = random.Random(seed)
    order = list(selected)
    rng.shuffle(order)
    seen, records, exhausted = set(), [], set()
    turn = 0
    while len(records) < count:
        if len(exhausted) == len(order):
            raise SpaceExhausted(
                f"the template space is exhausted: only {len(records)} distinct variants of "
                f"{', '.join(t.name for t in order)} could be rendered (asked for {count})")
        template = order[turn % len(order)]
        turn += 1
        if template.name in exhausted:
            continue
        for _ in range(MAX_MISSES):
            try:
                params, difficulty, inputs = template.sampler(rng)
            except Resample:
                continue
            test_seed = rng.randrange(10000)
            codes = render(env, template, params, inputs, test_seed)
            key = code_key(codes["python"], codes["triton"])
            if key not in seen:
                seen.add(key)
                break
        else:
            exhausted.add(template.name)
            continue
        names = params["names"]
        records.append({
            "template": template.name,
            "operation_type": template.operation_type,
            "difficulty": difficulty,
            "params": params,
            "entry_points": {"python": names["reference"], "triton": names["launcher"]},
            "inputs": {"args": inputs, "origin": f"template:{template.name}"},
            "python_code": codes["python"],
            "triton_code": codes["triton"],
            "test_code": codes["pytest"],
        })
    return records


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Render distinct template-generated Triton/PyTorch variants as JSON lines.")
    parser.add_argument("--count", type=int, required=False, default=None, help="number of variants")
    parser.add_argument("--seed", type=int, default=0, help="sampling seed (same seed, same output)")
    parser.add_argument("--templates", type=pathlib.Path, default=DEFAULT_TEMPLATES,
                        help=f"template folder (default {DEFAULT_TEMPLATES})")
    parser.add_argument("--template", action="append", dest="only", metavar="NAME",
                        help="only this template (repeatable); see --list")
    parser.add_argument("--list", action="store_true", help="list the template names and exit")
    args = parser.parse_args(argv)
    if args.list:
        for t in TEMPLATES:
            print(f"{t.name}\t{t.operation_type}")
        return 0
    if args.count is None:
        parser.error("--count is required")
    if args.count < 0:
        parser.error("--count must be >= 0")
    if not (args.templates / "python").is_dir():
        parser.error(f"{args.templates} holds no python/ templates")
    try:
        records = generate(args.count, args.seed, args.templates, args.only)
    except ValueError as error:
        print(f"tritonpile_generate: {error}", file=sys.stderr)
        return 2
    except SpaceExhausted as error:
        print(f"tritonpile_generate: {error}", file=sys.stderr)
        return 1
    out = sys.stdout
    for record in records:
        out.write(json.dumps(record) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Checks that triton_impl.@LAUNCHER@ computes what reference.@REFERENCE@ computes.

Synthesized by tritonpile. Save python_code as reference.py and triton_code as triton_impl.py
beside this file, then run `pytest`. Without a GPU the kernels run in Triton's interpreter.
"""
import os

import pytest
import torch

if not torch.cuda.is_available():
    os.environ.setdefault("TRITON_INTERPRET", "1")

import reference  # noqa: E402
import triton_impl  # noqa: E402

DEVICE = "cpu" if os.environ.get("TRITON_INTERPRET") == "1" else "cuda"
SEEDS = (0, 1, 2)
# Why the inputs could not be rebuilt, when they could not: the checks are skipped, not faked.
NO_INPUTS = @NO_INPUTS@
# The input the launcher writes its result into, when it returns none (add_in_place(x, y),
# kernel(x, out)): compared with what the reference returns.
RESULT_INPUT = @RESULT_INPUT@
# The element of the launcher's tuple the reference computes (the repository's test compared
# that one alone), or None for the whole result.
RESULT_ELEMENT = @RESULT_ELEMENT@

# (rtol, atol as a fraction of the reference's largest magnitude), per output dtype.
TOLERANCES = {
    torch.float32: (1e-4, 1e-5),
    torch.float16: (1e-2, 1e-3),
    torch.bfloat16: (5e-2, 1e-2),
}


# Every check runs on the recipe's shapes and on "uneven" ones: each power-of-two dimension of
# 16 or more taken to three quarters (128 -> 96, 4096 -> 3072), the same way in every tensor so
# that dimensions that agreed still agree. Masks that only work on powers of two fail there.
SHAPES = ("recipe", "uneven")


def uneven(shape):
    return tuple(d * 3 // 4 if d >= 16 and d & (d - 1) == 0 else d for d in shape)


def make_inputs(seed, shapes="recipe"):
    generator = torch.Generator().manual_seed(seed)

    def tensor(constructor, shape, dtype, scale, offset):
        if shapes == "uneven":
            shape = uneven(shape)
        if constructor in ("randn", "empty"):
            value = torch.randn(shape, generator=generator)
        elif constructor == "rand":
            value = torch.rand(shape, generator=generator)
        elif constructor == "ones":
            value = torch.ones(shape)
        else:
            value = torch.zeros(shape)
        return (value * scale + offset).to(dtype=dtype, device=DEVICE)

    return [
@INPUTS@
    ]


def clone_all(values):
    return [v.clone() if isinstance(v, torch.Tensor) else v for v in values]


def flatten(value):
    if isinstance(value, (tuple, list)):
        return [leaf for item in value for leaf in flatten(item)]
    return [value]


def assert_close_to_reference(actual, expected):
    actual, expected = flatten(actual), flatten(expected)
    assert len(actual) == len(expected), f"{len(actual)} outputs, reference has {len(expected)}"
    errors = []
    for index, (a, e) in enumerate(zip(actual, expected)):
        if not isinstance(e, torch.Tensor):
            e = torch.as_tensor(e)
        assert isinstance(a, torch.Tensor), f"output {index} is {type(a).__name__}, not a tensor"
        assert a.shape == e.shape, f"output {index}: shape {tuple(a.shape)}, reference {tuple(e.shape)}"
        assert a.dtype == e.dtype, f"output {index}: dtype {a.dtype}, reference {e.dtype}"
        a64, e64 = a.detach().cpu().double(), e.detach().cpu().double()
        finite = torch.isfinite(e64)
        assert not (~torch.isfinite(a64) & finite).any(), f"output {index}: NaN/Inf where the reference is finite"
        if e64.numel() > 1 and not bool((e64 == e64.flatten()[0]).all()):
            assert not bool((a64 == a64.flatten()[0]).all()), f"output {index}: constant, reference is not"
        rtol, atol_fraction = TOLERANCES.get(e.dtype, TOLERANCES[torch.float32])
        magnitude = float(e64[finite].abs().max()) if finite.any() else 0.0
        atol = atol_fraction * max(magnitude, 1e-30)
        difference = (a64 - e64).abs()[finite]
        max_abs = float(difference.max()) if difference.numel() else 0.0
        max_rel = float((difference / e64[finite].abs().clamp_min(atol)).max()) if difference.numel() else 0.0
        errors.append((max_abs, max_rel))
        assert torch.allclose(a64[finite], e64[finite], rtol=rtol, atol=atol), (
            f"output {index}: max abs error {max_abs:.3g}, max rel error {max_rel:.3g} "
            f"(rtol {rtol}, atol {atol:.3g})"
        )
    return errors


def run_both(seed, shapes="recipe"):
    if NO_INPUTS:
        pytest.skip(NO_INPUTS)
    inputs = make_inputs(seed, shapes)
    reference_inputs = clone_all(inputs)
    expected = reference.@REFERENCE@(*reference_inputs)
    given = clone_all(inputs)
    actual = triton_impl.@LAUNCHER@(*given)
    if RESULT_INPUT is not None:
        actual = given[RESULT_INPUT]
    if RESULT_ELEMENT is not None:
        actual = actual[RESULT_ELEMENT]
    for index, (before, by_reference, by_triton) in enumerate(zip(inputs, reference_inputs, given)):
        # Only an input the reference leaves alone, and the launcher is not to write, must stay unchanged.
        if index == RESULT_INPUT:
            continue
        if isinstance(before, torch.Tensor) and torch.equal(before, by_reference):
            assert torch.equal(before, by_triton), f"input {index} was modified in place"
    return actual, expected


@pytest.mark.parametrize("shapes", SHAPES)
@pytest.mark.parametrize("seed", SEEDS)
def test_matches_reference(seed, shapes, record_property):
    actual, expected = run_both(seed, shapes)
    errors = assert_close_to_reference(actual, expected)
    record_property("max_abs_err", max(e[0] for e in errors))
    record_property("max_rel_err", max(e[1] for e in errors))


def test_output_follows_inputs():
    (actual_a, expected_a), (actual_b, expected_b) = run_both(SEEDS[0]), run_both(SEEDS[1])
    for a, b, ea, eb in zip(flatten(actual_a), flatten(actual_b), flatten(expected_a), flatten(expected_b)):
        if isinstance(ea, torch.Tensor) and not torch.equal(ea, eb):
            assert not torch.equal(a, b), "output does not change when the inputs change"


def test_speed_against_the_reference(record_property):
    """On a GPU: median times of both sides (triton.testing.do_bench); the ratio is the speedup."""
    if DEVICE != "cuda" or NO_INPUTS:
        pytest.skip("timed on GPUs only")
    import triton.testing

    inputs = make_inputs(SEEDS[0])
    # 40 ms of repetitions after 10 ms of warm-up (do_bench's defaults are 100 and 25): thousands
    # of runs for a small kernel, still five for a 10 ms one, at half the cost per entry.
    timing = dict(warmup=10, rep=40, return_mode="median")
    reference_ms = triton.testing.do_bench(lambda: reference.@REFERENCE@(*inputs), **timing)
    triton_ms = triton.testing.do_bench(lambda: triton_impl.@LAUNCHER@(*inputs), **timing)
    record_property("reference_ms", reference_ms)
    record_property("triton_ms", triton_ms)
    record_property("speedup", reference_ms / triton_ms)

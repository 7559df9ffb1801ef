"""The stand-ins the matcher inlines for FlagGems' runtime answer as FlagGems does on an NVIDIA
GPU, and an operator written against them runs (here in Triton's interpreter)."""
import os
import pathlib
import subprocess
import sys
import textwrap

SUBSTITUTES = pathlib.Path(__file__).resolve().parents[2] / "matcher" / "substitutes"
STAND_INS = ["flag_gems_runtime.py", "flag_gems_libentry.py", "flag_gems_triton_lang_helper.py"]

# An operator in FlagGems' style: a cached kernel whose block size a heuristic looked up by
# the op's name picks, a device-library function picked by name, launched under the runtime's
# device guard (the matcher carries the looked-up entry as `_flag_gems_heuristics_<op>`). `fmod` exists in libdevice, `clamp_to_unit` not.
OPERATOR = textwrap.dedent(
    """
    import torch
    import triton
    import triton.language as tl

    torch_device_fn = _flag_gems_runtime.torch_device_fn
    device = _flag_gems_runtime.device
    libentry = _flag_gems_libentry.libentry
    use_tl_extra = _flag_gems_triton_lang_helper.use_tl_extra


    @use_tl_extra
    @triton.jit
    def fmod(x, y):
        return x


    @use_tl_extra
    @triton.jit
    def clamp_to_unit(x):
        return tl.minimum(tl.maximum(x, -1.0), 1.0)


    def clamp_block(args):
        return min(256, triton.next_power_of_2(args["n"]))


    _flag_gems_heuristics_clamp = {"BLOCK": clamp_block}
    _flag_gems_tuned_clamp = [triton.Config({"BLOCK": 128}), triton.Config({"BLOCK": 256})]
    get_tuned_config = _flag_gems_runtime.get_tuned_config


    @libentry()
    @triton.heuristics(_flag_gems_runtime.get_heuristic_config("clamp"))
    @triton.jit
    def kernel(x_ptr, out_ptr, n, BLOCK: tl.constexpr):
        offsets = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
        mask = offsets < n
        x = tl.load(x_ptr + offsets, mask=mask)
        tl.store(out_ptr + offsets, clamp_to_unit(x) + 0.0 * x, mask=mask)


    def clamp(x):
        out = torch.empty_like(x)
        with torch_device_fn.device(x.device):
            kernel[lambda meta: (triton.cdiv(x.numel(), meta["BLOCK"]),)](x, out, x.numel())
        return out
    """
)

CHECKS = textwrap.dedent(
    """
    import importlib.util, sys
    import torch
    import triton.language.extra.cuda.libdevice as libdevice
    spec = importlib.util.spec_from_file_location("operator_under_test", sys.argv[1])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.torch_device_fn.current_device is torch.cuda.current_device
    assert module.torch_device_fn.get_device_properties is torch.cuda.get_device_properties
    assert (module.device.name, module.device.vendor_name) == ("cuda", "nvidia")
    assert module._flag_gems_triton_lang_helper.tl_extra_shim is libdevice
    assert module.fmod is libdevice.fmod, "a name libdevice has is libdevice's"
    assert module.clamp_to_unit is not getattr(libdevice, "clamp_to_unit", None)
    assert module.libentry()(module.kernel) is module.kernel, "libentry() leaves the kernel as it is"
    import triton
    tuned = module._flag_gems_libentry.libtuner(module.get_tuned_config("clamp"), key=["n"], strategy=["log"])(
        module.kernel)
    assert isinstance(tuned, triton.runtime.Autotuner), "libtuner is Triton's autotuner"
    assert [c.kwargs for c in tuned.configs] == [{"BLOCK": 128}, {"BLOCK": 256}]
    x = torch.randn(1000) * 3
    torch.testing.assert_close(module.clamp(x), x.clamp(-1, 1))
    print("ok")
    """
)


def test_an_operator_on_the_stand_ins_runs_and_matches_torch(tmp_path):
    source = "\n\n".join((SUBSTITUTES / name).read_text() for name in STAND_INS) + OPERATOR
    module = tmp_path / "operator_under_test.py"
    module.write_text(source)
    env = dict(os.environ, TRITON_INTERPRET="1")
    done = subprocess.run([sys.executable, "-c", CHECKS, str(module)], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


# Element-wise operators in FlagGems' style: scalar @triton.jit functions that
# @pointwise_dynamic makes into operators with tensor and non-tensor inputs, one or two
# outputs, and outputs given by keyword.
POINTWISE_OPERATORS = textwrap.dedent(
    """
    import torch
    import triton
    import triton.language as tl

    pointwise_dynamic = _flag_gems_pointwise_dynamic.pointwise_dynamic


    @pointwise_dynamic(is_tensor=[True, True, False], promotion_methods=[(0, 1, "DEFAULT")])
    @triton.jit
    def add_func(x, y, alpha):
        return x + y * alpha


    @pointwise_dynamic(is_tensor=[True, False], promotion_methods=[(0, 1, "DEFAULT")])
    @triton.jit
    def mul_scalar(x, y):
        return x * y


    @pointwise_dynamic(promotion_methods=[(0, "INT_TO_FLOAT")])
    @triton.jit
    def sqrt_func(x):
        return tl.sqrt(x.to(tl.float32))


    @pointwise_dynamic(promotion_methods=[(0, 1, "ALWAYS_BOOL")])
    @triton.jit
    def lt_func(x, y):
        return x < y


    @pointwise_dynamic(promotion_methods=[(0, "DEFAULT"), (0, "DEFAULT")])
    @triton.jit
    def double_and_increment(x):
        return x * 2, x + 1


    @pointwise_dynamic(promotion_methods=[(0, 1, 2, 3, 4, 5, "DEFAULT")])
    @triton.jit
    def sum6(a, b, c, d, e, f):
        return a + b + c + d + e + f
    """
)

POINTWISE_CHECKS = textwrap.dedent(
    """
    import importlib.util, sys
    import torch
    spec = importlib.util.spec_from_file_location("operators_under_test", sys.argv[1])
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    a, b = torch.randn(3, 5), torch.randn(5)
    torch.testing.assert_close(m.add_func(a, b, 2), a + b * 2)  # broadcast
    h = torch.randn(7, dtype=torch.float16)
    assert m.mul_scalar(h, 3.0).dtype == torch.float16, "a Python scalar does not promote a tensor"
    torch.testing.assert_close(m.mul_scalar(h, 3.0), h * 3.0)
    ints = torch.arange(10)
    root = m.sqrt_func(ints)
    assert root.dtype == torch.float32
    torch.testing.assert_close(root, ints.float().sqrt())
    assert torch.equal(m.lt_func(a, b), a < b)
    doubled, incremented = m.double_and_increment(a)
    torch.testing.assert_close((doubled, incremented), (a * 2, a + 1))
    six = [torch.randn(4, 1)] + [torch.randn(4, 6) for _ in range(5)]
    torch.testing.assert_close(m.sum6(*six), sum(six))
    in_place = a.clone()
    assert m.add_func(in_place, b, 1, out0=in_place) is in_place
    torch.testing.assert_close(in_place, a + b)
    strided = torch.empty(5, 3).t()
    m.add_func.instantiate(2)(a, b, 1, out0=strided)
    torch.testing.assert_close(strided, a + b)
    assert m.add_func(torch.empty(0, 5), b, 1).shape == (0, 5)
    try:
        m.add_func(a, b)
    except TypeError as e:
        assert "add_func takes 3 inputs" in str(e)
    else:
        raise AssertionError("a missing input is an error")
    print("ok")
    """
)


def test_pointwise_operators_on_the_stand_in_match_torch(tmp_path):
    source = (SUBSTITUTES / "flag_gems_pointwise_dynamic.py").read_text() + POINTWISE_OPERATORS
    module = tmp_path / "operators_under_test.py"
    module.write_text(source)
    env = dict(os.environ, TRITON_INTERPRET="1")
    done = subprocess.run([sys.executable, "-c", POINTWISE_CHECKS, str(module)], env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"

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

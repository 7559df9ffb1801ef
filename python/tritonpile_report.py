"""pytest plugin that writes one validation outcome as JSON for the tritonpile validator.

Loaded with ``-p tritonpile_report`` (this folder on PYTHONPATH); the report goes to the path in
``$TRITONPILE_REPORT``. It classifies the first failure: an AssertionError from the synthesized
checks means the Triton code computed wrong values ("failed"); anything else is an error with a
class (compile, runtime, oom, import, unsupported-in-interpreter).
"""
import json
import os

import tritonpile_sandbox

# How every validation child runs pytest, forked or fresh. Native tracebacks: pytest's own
# format parses the source of every frame (torch's included), which cost a failing entry ~1 s.
PYTEST_ARGS = ["-q", "--tb=native", "-p", "tritonpile_report", "-p", "no:cacheprovider", "test_entry.py"]

_state = {"status": None, "failure_class": "", "message": "", "properties": {}, "tests": 0, "skipped": "",
          "seconds": {}}

# Messages the Triton interpreter gives for features it does not emulate.
_INTERPRETER_GAPS = ("inline_asm", "libdevice", "extern_elementwise", "autotune", "driver")


def _error_class(excinfo):
    name = type(excinfo.value).__name__
    module = type(excinfo.value).__module__ or ""
    text = str(excinfo.value)
    if os.environ.get("TRITON_INTERPRET") == "1" and any(g in text for g in _INTERPRETER_GAPS):
        return "unsupported-in-interpreter"
    if name == "SandboxViolation":
        return "sandbox-violation"
    if "OutOfMemoryError" in name or "out of memory" in text or "not enough memory" in text or name == "MemoryError":
        return "oom"
    if "CompilationError" in name or module.startswith("triton.compiler"):
        return "compile"
    if name in ("ImportError", "ModuleNotFoundError", "SyntaxError"):
        return "import"
    return "runtime"


def _record(status, failure_class, message):
    if _state["status"] in ("failed", "error"):
        return  # keep the first failure: later ones are usually its echo
    _state.update(status=status, failure_class=failure_class, message=message[-4000:])


def pytest_configure(config):
    # Before collection imports the entry's modules; a hook, not import time, so a fork server
    # may import this plugin once and still sandbox every child.
    if os.environ.get("TRITONPILE_SANDBOX") == "1":
        tritonpile_sandbox.install()


def pytest_collectreport(report):
    if report.failed:
        _record("error", "import", str(report.longrepr))


def pytest_runtest_makereport(item, call):
    if call.when == "call" and call.excinfo is None:
        _state["tests"] += 1
    if call.excinfo is None:
        return
    if call.excinfo.errisinstance(AssertionError) and call.when == "call":
        _record("failed", "mismatch", call.excinfo.exconly())
    elif call.excinfo.typename == "Skipped":
        _state["skipped"] = _state["skipped"] or call.excinfo.exconly()  # skipped only if nothing ran
    else:
        _record("error", _error_class(call.excinfo), call.excinfo.exconly())


def pytest_runtest_logreport(report):
    for key, value in report.user_properties:
        _state["properties"][key] = value
    # Where an entry's time goes, per test function (its parametrizations summed).
    name = report.nodeid.split("::")[-1].split("[")[0]
    _state["seconds"][name] = round(_state["seconds"].get(name, 0.0) + report.duration, 4)


def pytest_sessionfinish(session, exitstatus):
    path = os.environ.get("TRITONPILE_REPORT")
    if not path:
        return
    import torch
    import triton

    interpreted = os.environ.get("TRITON_INTERPRET") == "1" or not torch.cuda.is_available()
    device = "interpreter" if interpreted else torch.cuda.get_device_name().replace("NVIDIA ", "").split()[0]
    status = _state["status"] or ("passed" if _state["tests"] > 0 else "skipped" if _state["skipped"] else "error")
    if status == "skipped":
        _state["message"] = _state["skipped"]
    if tritonpile_sandbox.VIOLATIONS:  # even when the code under test swallowed the exception
        status, _state["failure_class"], _state["status"] = "error", "sandbox-violation", "error"
        _state["message"] = "; ".join(tritonpile_sandbox.VIOLATIONS)[:4000]
    report = {
        "status": status,
        "failure_class": _state["failure_class"] if _state["status"] else
        ("" if status in ("passed", "skipped") else "no-tests"),
        "message": _state["message"],
        "device": device,
        "torch": torch.__version__.split("+")[0],
        "triton": triton.__version__,
        "tests": _state["tests"],
        "properties": _state["properties"],
        "seconds": _state["seconds"],
    }
    with open(path, "w") as out:
        json.dump(report, out)

"""A reference that registration evidence gives (the ATen op an op table names) runs under torch
as the registered function is called: a call leaving out an argument the function defaults
gets that default where the op takes an argument of its name and type."""
import json
import sqlite3
import subprocess
import sys

from tritonpile_testing import tritonpile

KERNEL = """import triton
import triton.language as tl


@triton.jit
def k(p):
    pass
"""

OPS = KERNEL + """

def group_norm(input, weight, bias, N, C, HxW, group, eps=1e-05):
    k[(1,)](input)
    return input


def rms_norm(x, normalized_shape, weight, eps=1e-5):
    k[(1,)](x)
    return x


def argmax(inp, dim=None, keepdim=False, *, dtype=None):
    k[(1,)](inp)
    return inp


def div_mode(A, B, *, rounding_mode=None):
    k[(1,)](A)
    return A


def softmax(x, dim=-1, half_to_float=False, *, approx="none"):
    k[(1,)](x)
    return x


def soft_margin_loss(input, target, reduction="mean"):
    k[(1,)](input)
    return input
"""

TABLE = """from pkg.ops import argmax, div_mode, group_norm, rms_norm, soft_margin_loss, softmax

register((
    ("native_group_norm", group_norm),
    ("rms_norm", rms_norm),
    ("argmax", argmax),
    ("div.Tensor_mode", div_mode),
    ("div.Scalar_mode", div_mode),
    ("_softmax", softmax),
    ("soft_margin_loss", soft_margin_loss),
), lib)
"""

CHECKS = """import importlib.util, sys
import torch


def reference(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name + "_reference")


folder = sys.argv[1]
x = torch.randn(2, 4, 3)
out, mean, rstd = reference(f"{folder}/group_norm.py", "group_norm")(x, torch.ones(4), torch.zeros(4), 2, 4, 3, 2)
torch.testing.assert_close(out, torch.nn.functional.group_norm(x, 2, eps=1e-05))
rows = torch.randn(3, 8) * 1e-3
rms = reference(f"{folder}/rms_norm.py", "rms_norm")
torch.testing.assert_close(rms(rows, [8], None), torch.rms_norm(rows, [8], eps=1e-5))  # not ATen's default eps
torch.testing.assert_close(rms(rows, [8], None, 0.5), torch.rms_norm(rows, [8], eps=0.5))
scores = torch.randn(4, 5)
assert torch.equal(reference(f"{folder}/argmax.py", "argmax")(scores, 1), scores.argmax(1))  # no dtype for ATen
div = reference(f"{folder}/div_mode.py", "div_mode")
a, b = torch.randn(6) * 10, torch.randn(6)
torch.testing.assert_close(div(a, b, rounding_mode="floor"), torch.div(a, b, rounding_mode="floor"))
torch.testing.assert_close(div(a, 3.0, rounding_mode="trunc"), torch.div(a, 3.0, rounding_mode="trunc"))
# _softmax requires dim and half_to_float, which softmax defaults; it has no `approx`.
torch.testing.assert_close(reference(f"{folder}/softmax.py", "softmax")(scores), scores.softmax(-1))
# ATen's reduction is an int: the function's "mean" is left out, and the op's own default applies.
loss = reference(f"{folder}/soft_margin_loss.py", "soft_margin_loss")
torch.testing.assert_close(loss(a, b.sign()), torch.nn.functional.soft_margin_loss(a, b.sign()))
print("ok")
"""


def test_registration_references_run_as_the_registered_functions_are_called(tmp_path, binary):
    package = tmp_path / "ops" / "pkg"
    package.mkdir(parents=True)
    (package / "ops.py").write_text(OPS)
    (package / "__init__.py").write_text(TABLE)
    (tmp_path / "sources.json").write_text(json.dumps(
        {"version": 1, "sources": [{"name": "ops", "kind": "local", "url": "ops", "license": "MIT"}]}))
    tritonpile("crawl", cwd=tmp_path, check_rc=0)
    with sqlite3.connect(tmp_path / "tritonpile.db") as db:
        rows = db.execute("SELECT p.launcher, p.evidence, e.python_code FROM pairs p "
                          "JOIN entries e ON e.pair_id = p.id").fetchall()
    assert {launcher for launcher, _, _ in rows} == {"group_norm", "rms_norm", "argmax", "div_mode", "softmax",
                                                      "soft_margin_loss"}
    references = tmp_path / "references"
    references.mkdir()
    for launcher, evidence, python_code in rows:
        assert evidence == "registration"
        (references / f"{launcher}.py").write_text(python_code)
    done = subprocess.run([sys.executable, "-c", CHECKS, str(references)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"

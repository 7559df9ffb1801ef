"""Checks python/tritonpile_generate.py: deterministic, distinct variants in the recipe schema
whose kernels pass both the validator's synthesized test and their own repo-style test.

The synthesized test is validator/templates/test_entry.py filled in exactly as
validator/test_synthesizer.cc fills it. Kernels run in Triton's CPU interpreter
(TRITON_INTERPRET=1). Under pytest only one variant per template is run; for the full check:

    .venv/bin/python tests/python/test_generate_templates.py --count 200 --seed 1 [--jobs N]
"""
import argparse
import concurrent.futures
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
GENERATOR = ROOT / "python" / "tritonpile_generate.py"
TEST_ENTRY_TEMPLATE = ROOT / "validator" / "templates" / "test_entry.py"

sys.path.insert(0, str(GENERATOR.parent))
import tritonpile_generate  # noqa: E402

RECORD_KEYS = {"template", "operation_type", "difficulty", "params", "entry_points", "inputs", "python_code",
               "triton_code", "test_code"}
OPERATION_TYPES = {"elementwise", "reduction", "matmul", "softmax", "normalization"}


def generate_text(*args):
    proc = subprocess.run([sys.executable, str(GENERATOR), *map(str, args)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def generate_records(count, seed):
    return [json.loads(line) for line in generate_text("--count", count, "--seed", seed).splitlines()]


# ----------------------------------------------------------------------------------------------
# The synthesized test, as validator/test_synthesizer.cc writes it


def python_float(value):
    text = f"{value:.17g}"  # C++ ostream with precision(17)
    if not any(c in text for c in ".eEn"):
        text += ".0"
    return text


def input_line(arg):
    if arg["kind"] != "tensor":
        return f"        {arg['literal']},  # {arg['name']}"
    spec = arg["tensor"]
    shape = ", ".join(str(d) for d in spec["shape"])
    shape = f"({shape}{',)' if len(spec['shape']) == 1 else ')'}"
    return (f"        tensor(\"{spec['constructor']}\", {shape}, torch.{spec['dtype']}, "
            f"{python_float(spec['scale'])}, {python_float(spec['offset'])}),  # {arg['name']}")


def synthesize_test(launcher, reference, recipe):
    code = TEST_ENTRY_TEMPLATE.read_text()
    inputs = "\n".join(input_line(arg) for arg in recipe["args"])
    no_inputs = "None" if recipe["origin"] else '"no test calls the launcher with inputs that could be rebuilt"'
    def index(key):
        return str(recipe[key]) if recipe.get(key, -1) >= 0 else "None"
    for placeholder, value in (("@LAUNCHER@", launcher), ("@REFERENCE@", reference), ("@INPUTS@", inputs),
                               ("@NO_INPUTS@", no_inputs), ("@RESULT_INPUT@", index("result_input")),
                               ("@RESULT_ELEMENT@", index("result_element"))):
        code = code.replace(placeholder, value)
    leftover = re.search(r"@[A-Z_]+@", code)
    assert not leftover, f"{TEST_ENTRY_TEMPLATE} has a placeholder this check does not fill: {leftover.group()}"
    return code


def write_variant(record, directory):
    directory = pathlib.Path(directory)
    (directory / "reference.py").write_text(record["python_code"])
    (directory / "triton_impl.py").write_text(record["triton_code"])
    (directory / "test_entry.py").write_text(
        synthesize_test(record["entry_points"]["triton"], record["entry_points"]["python"], record["inputs"]))
    (directory / "test_repo.py").write_text(record["test_code"])


def run_variant(record, timeout=300, interpret=True):
    """Runs the synthesized test and the repo test of one variant; returns (passed, seconds, log).
    With interpret=False the tests pick the device themselves (a GPU where torch sees one)."""
    with tempfile.TemporaryDirectory(prefix="tritonpile-gen-") as tmp:
        write_variant(record, tmp)
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        if interpret:
            env["TRITON_INTERPRET"] = "1"
        started = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", tmp,
             "test_entry.py", "test_repo.py"],
            cwd=tmp, env=env, capture_output=True, text=True, timeout=timeout)
        return proc.returncode == 0, time.monotonic() - started, proc.stdout + proc.stderr


def run_variants(records, jobs, interpret=True):
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(lambda record: run_variant(record, interpret=interpret), records))


# ----------------------------------------------------------------------------------------------
# Tests


def test_same_seed_same_bytes_other_seed_differs():
    first = generate_text("--count", 60, "--seed", 7)
    assert first == generate_text("--count", 60, "--seed", 7)
    assert first != generate_text("--count", 60, "--seed", 8)
    assert len(first.splitlines()) == 60


def test_two_hundred_are_distinct_and_well_formed():
    records = generate_records(200, 1)
    assert len(records) == 200
    keys = {tritonpile_generate.code_key(r["python_code"], r["triton_code"]) for r in records}
    assert len(keys) == 200, "two variants share their code"
    assert len({r["python_code"] + r["triton_code"] + r["test_code"] for r in records}) == 200
    assert {r["template"] for r in records} == set(tritonpile_generate.TEMPLATE_NAMES)
    assert {r["params"]["dtype"] for r in records} == {"float32", "float16", "bfloat16"}
    for r in records:
        assert set(r) == RECORD_KEYS, r["template"]
        assert r["operation_type"] in OPERATION_TYPES
        assert r["difficulty"] in {"easy", "medium", "hard"}
        launcher, reference = r["entry_points"]["triton"], r["entry_points"]["python"]
        assert f"\ndef {launcher}(" in r["triton_code"] and "@triton.jit" in r["triton_code"]
        assert f"\ndef {reference}(" in r["python_code"] and "import triton" not in r["python_code"]
        assert "libdevice" not in r["triton_code"] and "inline_asm" not in r["triton_code"]
        assert r["inputs"]["origin"] == f"template:{r['template']}"
        for arg in r["inputs"]["args"]:
            assert set(arg) >= {"name", "kind", "literal"} and arg["kind"] in {"tensor", "int", "float", "bool"}
            if arg["kind"] == "tensor":
                spec = arg["tensor"]
                assert spec["constructor"] in {"randn", "rand"} and arg["literal"] == ""
                assert spec["dims"] == [str(d) for d in spec["shape"]]
                assert spec["dtype"] in {"float32", "float16", "bfloat16"}
                assert isinstance(spec["scale"], float) and isinstance(spec["offset"], float)
            else:
                assert arg["literal"] and "tensor" not in arg
        # The launcher takes exactly the recipe's arguments, in order.
        signature = r["triton_code"].split(f"\ndef {launcher}(", 1)[1].split("):", 1)[0]
        assert [p.strip() for p in signature.split(",")] == [a["name"] for a in r["inputs"]["args"]]


def test_non_powers_of_two_and_names_vary():
    records = generate_records(200, 1)
    dims = [d for r in records for a in r["inputs"]["args"] if a["kind"] == "tensor" for d in a["tensor"]["shape"]]
    assert any(d & (d - 1) for d in dims) and any(not d & (d - 1) for d in dims)
    assert len({r["entry_points"]["triton"] for r in records}) > 100


def test_exhausted_space_is_a_clear_error(tmp_path):
    # Templates that ignore their parameters render one variant at most.
    for kind in ("python", "triton", "pytest"):
        for template in tritonpile_generate.TEMPLATES:
            path = tmp_path / kind / f"{template.files}.py.j2"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("VALUE = 1\n")
    proc = subprocess.run([sys.executable, str(GENERATOR), "--count", "2", "--seed", "0", "--templates", str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and proc.stdout == ""
    assert "exhausted" in proc.stderr and "only 1 distinct" in proc.stderr


def test_one_variant_per_template_passes_in_the_interpreter():
    records = generate_records(200, 1)
    sample = {}
    for r in records:
        sample.setdefault(r["template"], r)
    assert len(sample) == len(tritonpile_generate.TEMPLATE_NAMES)
    results = run_variants(list(sample.values()), jobs=max(2, os.cpu_count() or 2))
    failures = [f"{name}:\n{log[-3000:]}" for name, (ok, _, log) in zip(sample, results) if not ok]
    assert not failures, "\n\n".join(failures)


# ----------------------------------------------------------------------------------------------
# Full check


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--device", choices=("interpret", "auto"), default="interpret",
                        help="interpret: TRITON_INTERPRET=1 (default); auto: let the tests pick (GPU if any)")
    args = parser.parse_args()
    records = generate_records(args.count, args.seed)
    started = time.monotonic()
    results = run_variants(records, args.jobs, interpret=args.device == "interpret")
    elapsed = time.monotonic() - started
    failed = [(r, log) for r, (ok, _, log) in zip(records, results) if not ok]
    for record, log in failed:
        print(f"FAILED {record['template']} {record['entry_points']['triton']} {json.dumps(record['params'])}")
        print(log[-4000:])
    per_template = {}
    for record, (ok, seconds, _) in zip(records, results):
        stats = per_template.setdefault(record["template"], [0, 0, 0.0])
        stats[0] += ok
        stats[1] += 1
        stats[2] = max(stats[2], seconds)
    for name, (passed, total, slowest) in sorted(per_template.items()):
        print(f"{name:28s} {passed}/{total} passed, slowest {slowest:.1f}s")
    slowest = sorted(zip(records, results), key=lambda item: -item[1][1])[:5]
    for record, (_, seconds, _) in slowest:
        print(f"slow: {seconds:.1f}s {record['template']} {json.dumps(record['params'])}")
    print(f"{len(records) - len(failed)}/{len(records)} variants passed in {elapsed:.0f}s with {args.jobs} jobs "
          f"(mean {sum(s for _, s, _ in results) / max(1, len(results)):.1f}s per variant)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

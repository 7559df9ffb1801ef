"""The validator against kernels that must fail, each in its own way (tests/fixtures/validator):
every entry gets its expected class, the run finishes, and nothing outside the scratch
directories changes."""
import hashlib
import json
import os
import shutil

from tritonpile_testing import ROOT, tritonpile

EXPECTED = {
    "wrong_value": ("failed", "mismatch"),
    "off_by_one": ("failed", "mismatch"),
    "all_zeros": ("failed", "mismatch"),
    "input_insensitive": ("failed", "mismatch"),
    "inplace_mutation": ("failed", "mismatch"),
    "nan_output": ("failed", "mismatch"),
    "infinite_loop": ("error", "timeout"),
    "segfault": ("error", "crash"),
    "fork_storm": ("error", "sandbox-violation"),
    "huge_allocation": ("error", "oom"),
    "write_outside": ("error", "sandbox-violation"),
    "network_connect": ("error", "sandbox-violation"),
}


def tree_digest(directory):
    digest = hashlib.sha256()
    for path in sorted(directory.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(directory)).encode() + path.read_bytes())
    return digest.hexdigest()


def test_every_bad_kernel_gets_its_class_and_nothing_escapes(tmp_path, binary, monkeypatch):
    shutil.copytree(ROOT / "tests" / "fixtures" / "validator", tmp_path / "cases",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "sources.json").write_text(json.dumps(
        {"version": 1, "sources": [{"name": "cases", "kind": "local", "url": "cases", "license": "MIT"}]}))
    canary = tmp_path / "outside" / "canary"
    canary.parent.mkdir()
    monkeypatch.setenv("TRITONPILE_FIXTURE_CANARY", str(canary))
    before = tree_digest(tmp_path / "cases")
    run = tritonpile("--jobs", "2", "run", "--timeout", "20", "--memory-limit", "2048", cwd=tmp_path, check_rc=1)
    assert "validate done: 12 run" in run.stderr, run.stderr
    # Small bad kernels are near duplicates of each other, so export keeps some and lists the
    # rest in dedup.jsonl; `show` gives those their validation all the same.
    entries = [json.loads(line) for split in ("train", "test", "validation")
               for line in (tmp_path / "dataset" / split / "entries.jsonl").read_text().splitlines()]
    for line in (tmp_path / "dataset" / "dedup.jsonl").read_text().splitlines():
        entries.append(json.loads(tritonpile("show", json.loads(line)["id"], cwd=tmp_path).stdout))
    found = {}
    for entry in entries:
        validation = entry["metadata"]["validation"]
        found[entry["metadata"]["entry_points"]["triton"]] = (validation["status"], validation["failure_class"])
    assert found == EXPECTED
    assert not canary.exists(), "a write escaped the scratch directory"
    assert tree_digest(tmp_path / "cases") == before
    assert not os.path.exists("/tmp/tritonpile-fixture-canary")

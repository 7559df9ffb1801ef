"""End to end through the built binary: crawl -> extract -> match -> validate -> export."""
import json
import shutil
import subprocess
import sys

import pytest

from tritonpile_testing import ROOT, tritonpile

CURATED_LAUNCHERS = {"add", "sub", "mul", "div", "sum_all", "sum_dim", "max_all", "max_dim", "min_all", "min_dim",
                     "matmul"}


def copy_source(src, dst):
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))


def read_dataset(directory):
    entries = []
    for split in ("train", "test", "validation"):
        with open(directory / split / "entries.jsonl") as lines:
            entries += [json.loads(line) for line in lines]
    return entries


def snapshot_bytes(directory):
    return {p.relative_to(directory): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def test_run_exits_zero_and_exports_every_curated_op_passed(default_project):
    project, first = default_project
    assert first.returncode == 0, first.stderr
    entries = read_dataset(project / "dataset")
    launchers = {e["metadata"]["entry_points"]["triton"] for e in entries}
    assert launchers == CURATED_LAUNCHERS
    for entry in entries:
        meta = entry["metadata"]
        assert meta["validation"]["status"] == "passed", entry["id"]
        assert meta["validation"]["device"] == "interpreter"
        assert meta["phase"] == 1
        source = meta["source"]
        assert source["name"] == "curated" and source["license"] == "MIT"
        assert source["commit"] and source["path"].endswith(".py")
        assert source["lines"][0] <= source["lines"][1]
        assert meta["pairing"]["evidence"] in ("test-compare", "naming")
        assert entry["id"].startswith(f"curated/{source['path']}::{meta['entry_points']['triton']}@")
        assert meta["operation_type"] in ("elementwise", "reduction", "matmul")


def test_operation_types_follow_the_kernels(default_project):
    project, _ = default_project
    types = {e["metadata"]["entry_points"]["triton"]: e["metadata"]["operation_type"]
             for e in read_dataset(project / "dataset")}
    assert types["add"] == "elementwise"
    assert types["sum_dim"] == "reduction"
    assert types["matmul"] == "matmul"


def test_second_run_parses_nothing_and_changes_nothing(default_project):
    project, _ = default_project
    before = snapshot_bytes(project / "dataset")
    second = tritonpile("--json", "crawl", cwd=project, check_rc=0)
    assert json.loads(second.stdout)["files_parsed"] == 0
    again = tritonpile("run", cwd=project, check_rc=0)
    assert "0 files parsed" in again.stderr
    assert "0 entries to run" in again.stderr
    assert snapshot_bytes(project / "dataset") == before


def test_exported_test_code_passes_under_plain_pytest(default_project, tmp_path):
    project, _ = default_project
    for entry in read_dataset(project / "dataset"):
        directory = tmp_path / entry["metadata"]["entry_points"]["triton"]
        directory.mkdir()
        (directory / "reference.py").write_text(entry["python_code"])
        (directory / "triton_impl.py").write_text(entry["triton_code"])
        (directory / "test_entry.py").write_text(entry["test_code"])
        proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=directory,
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, f"{entry['id']}\n{proc.stdout[-3000:]}"


def test_broken_kernel_is_exported_as_failed(tmp_path, binary):
    copy_source(ROOT / "tests" / "fixtures" / "broken", tmp_path / "broken")
    (tmp_path / "sources.json").write_text(json.dumps(
        {"version": 1, "sources": [{"name": "broken", "kind": "local", "url": "broken", "license": "MIT"}]}))
    run = tritonpile("run", cwd=tmp_path, check_rc=1)
    entries = read_dataset(tmp_path / "dataset")
    assert [e["metadata"]["entry_points"]["triton"] for e in entries] == ["scale"]
    validation = entries[0]["metadata"]["validation"]
    assert validation["status"] == "failed", run.stderr
    assert validation["failure_class"] == "mismatch"


def test_a_failing_source_does_not_stop_the_others(tmp_path, binary):
    copy_source(ROOT / "tests" / "fixtures" / "broken", tmp_path / "broken")
    (tmp_path / "sources.json").write_text(json.dumps({"version": 1, "sources": [
        {"name": "missing", "kind": "local", "url": "no-such-dir"},
        {"name": "broken", "kind": "local", "url": "broken"}]}))
    crawl = tritonpile("crawl", cwd=tmp_path, check_rc=1)
    assert "source 'missing'" in crawl.stderr and "no-such-dir" in crawl.stderr
    stats = json.loads(tritonpile("--json", "stats", cwd=tmp_path, check_rc=0).stdout)
    assert stats["entries"] == 1


def test_sources_without_a_licence_are_left_out_by_default(tmp_path, binary):
    copy_source(ROOT / "tests" / "fixtures" / "broken", tmp_path / "broken")
    (tmp_path / "sources.json").write_text(json.dumps(
        {"version": 1, "sources": [{"name": "broken", "kind": "local", "url": "broken"}]}))
    tritonpile("crawl", cwd=tmp_path, check_rc=0)
    default = tritonpile("export", cwd=tmp_path, check_rc=0)
    assert read_dataset(tmp_path / "dataset") == []
    assert "left out 1 entries whose source has no licence" in default.stderr
    tritonpile("export", "--licenses", "any", cwd=tmp_path, check_rc=0)
    assert len(read_dataset(tmp_path / "dataset")) == 1
    tritonpile("export", "--licenses", "GPL-3.0", cwd=tmp_path, check_rc=0)
    assert read_dataset(tmp_path / "dataset") == []

"""The Python module `import tritonpile` (pybind11), on a database made by the binary."""
import json
import re
import shutil
import subprocess
import sys

import pytest

from tritonpile_testing import ROOT, tritonpile

tritonpile_module = pytest.importorskip("tritonpile", reason="the Python module is installed by scripts/setup.sh")


@pytest.fixture(scope="module")
def mixed_database(tmp_path_factory, binary):
    """A database with a passed phase-1 entry, a failed phase-3 entry and an unvalidated one."""
    project = tmp_path_factory.mktemp("api")
    (project / "ops").mkdir()
    for name in ("add.py", "test_add.py", "conftest.py"):
        shutil.copy(ROOT / "curated" / name, project / "ops" / name)
    shutil.copytree(ROOT / "tests" / "fixtures" / "broken", project / "broken")
    (project / "sources.json").write_text(json.dumps({"version": 1, "sources": [
        {"name": "ops", "kind": "local", "url": "ops", "phase": 1, "license": "MIT"},
        {"name": "broken", "kind": "local", "url": "broken", "license": "MIT"}]}))
    tritonpile("run", cwd=project, check_rc=1)
    shutil.copy(ROOT / "curated" / "sub.py", project / "ops" / "sub.py")
    shutil.copy(ROOT / "curated" / "test_sub.py", project / "ops" / "test_sub.py")
    tritonpile("crawl", cwd=project, check_rc=0)  # sub is stored but not validated
    return project / "tritonpile.db"


def test_extract_returns_kernels_launchers_references_and_tests():
    found = tritonpile_module.extract((ROOT / "curated" / "sum.py").read_text(), "curated/sum.py")
    assert sorted(k["qualname"] for k in found["kernels"]) == ["sum_all_kernel", "sum_dim_kernel"]
    assert sorted(l["name"] for l in found["launchers"]) == ["sum_all", "sum_dim"]
    assert sorted(r["name"] for r in found["references"]) == ["sum_all_reference", "sum_dim_reference"]
    tests = tritonpile_module.extract((ROOT / "curated" / "test_sum.py").read_text())["tests"]
    assert [t["comparisons"][0]["actual"]["callee"] for t in tests] == ["sum_all", "sum_dim"]


def test_extract_survives_broken_text():
    found = tritonpile_module.extract("def broken(:\n    return\n")
    assert found["kernels"] == [] and found["syntax_errors"] > 0


def test_entries_filter_by_status_phase_and_split(mixed_database):
    db = tritonpile_module.open(str(mixed_database))
    everything = db.entries()
    assert len(everything) == 3
    assert [e["metadata"]["entry_points"]["triton"] for e in db.entries(status="passed")] == ["add"]
    assert [e["metadata"]["entry_points"]["triton"] for e in db.entries(status="failed")] == ["scale"]
    assert {e["metadata"]["entry_points"]["triton"] for e in db.entries(phase=1)} == {"add", "sub"}
    unvalidated = [e for e in everything if e["metadata"]["validation"]["status"] == "skipped"]
    assert [e["metadata"]["entry_points"]["triton"] for e in unvalidated] == ["sub"]
    for split in ("train", "test", "validation"):
        assert all(e["metadata"]["split"] == split for e in db.entries(split=split))
    assert sum(len(db.entries(split=s)) for s in ("train", "test", "validation")) == 3


def test_entry_lookup_and_stats(mixed_database):
    db = tritonpile_module.open(str(mixed_database))
    first = db.entries()[0]
    assert db.entry(first["id"]) == first
    with pytest.raises(KeyError):
        db.entry("no/such::entry@00000000")
    stats = db.stats()
    assert stats["entries"] == 3 and stats["by_status"]["passed"] == 1


def test_open_refuses_a_newer_database(tmp_path):
    import sqlite3
    path = tmp_path / "new.db"
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA user_version = 999")
    with pytest.raises(RuntimeError, match="newer than this tritonpile"):
        tritonpile_module.open(str(path))


def test_readme_example_runs_as_written(default_project):
    project, run = default_project
    assert run.returncode == 0
    readme = (ROOT / "README.md").read_text()
    example = re.search(r"```python\n(.*?)```", readme, re.S).group(1)
    proc = subprocess.run([sys.executable, "-c", example], cwd=project, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "curated/add.py::add@" in proc.stdout

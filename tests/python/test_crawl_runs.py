"""Crawl runs through the binary: parallel sources, a failing source, the lock, a killed run
resumed, sources add/check. An HTTP fixture server on loopback plays the remote side."""
import json
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from tritonpile_testing import BINARY, ROOT, tritonpile


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    served = tmp_path_factory.mktemp("served")
    proc = subprocess.Popen([sys.executable, str(ROOT / "tests" / "servers" / "fixture_server.py"), str(served)],
                            stdout=subprocess.PIPE, text=True)
    port = int(proc.stdout.readline().split()[1])
    yield f"http://127.0.0.1:{port}"
    proc.kill()
    proc.wait()


def write_sources(directory, sources):
    (directory / "sources.json").write_text(json.dumps({"version": 1, "sources": sources}, indent=2) + "\n")


def local_source(directory, name="broken"):
    shutil.copytree(ROOT / "tests" / "fixtures" / "broken", directory / name,
                    ignore=shutil.ignore_patterns("__pycache__"))
    return {"name": name, "kind": "local", "url": name, "license": "MIT"}


def query(db, sql):
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchall()


def test_failing_source_is_reported_and_the_others_go_on(tmp_path, server, binary):
    write_sources(tmp_path, [local_source(tmp_path),
                             {"name": "gone", "kind": "http", "url": f"{server}/missing.py"},
                             {"name": "web", "kind": "http", "url": f"{server}/ok.py"}])
    proc = tritonpile("--json", "--jobs", "3", "crawl", cwd=tmp_path, check_rc=1)
    summary = {s["name"]: s for s in json.loads(proc.stdout)["sources"]}
    assert summary["gone"]["status"] == "failed" and "HTTP 404" in summary["gone"]["error"]
    assert summary["broken"]["status"] == "ok" and summary["broken"]["pairs"] == 1
    assert summary["web"]["status"] == "ok" and summary["web"]["files"] == 1
    assert "source" in proc.stderr and "gone" in proc.stderr and "failed" in proc.stderr  # the table
    assert query(tmp_path / "tritonpile.db", "SELECT error FROM snapshots WHERE status = 'failed'")[0][0].count("404")


def test_second_crawl_of_an_http_source_is_a_304(tmp_path, server, binary):
    write_sources(tmp_path, [{"name": "web", "kind": "http", "url": f"{server}/ok.py"}])
    tritonpile("crawl", cwd=tmp_path, check_rc=0)
    again = json.loads(tritonpile("--json", "crawl", cwd=tmp_path, check_rc=0).stdout)["sources"][0]
    assert again["unchanged"] and again["parsed"] == 0


def test_notebook_source_keeps_cell_provenance(tmp_path, server, binary):
    write_sources(tmp_path, [{"name": "nb", "kind": "http", "url": f"{server}/notebook.ipynb"}])
    tritonpile("crawl", cwd=tmp_path, check_rc=0)
    (path, provenance), = query(tmp_path / "tritonpile.db", "SELECT path, provenance FROM snapshot_files")
    assert path == "notebook.ipynb"
    assert json.loads(provenance)["notebook_cells"][1] == {"cell": 2, "line": 5}


def test_a_second_run_cannot_write_the_same_database(tmp_path, server, binary):
    write_sources(tmp_path, [{"name": "slow", "kind": "http", "url": f"{server}/slow.py?seconds=4"}])
    first = subprocess.Popen([str(BINARY), "crawl"], cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(1)
        second = tritonpile("crawl", cwd=tmp_path, check_rc=2)
        assert f"in use by another tritonpile run (pid {first.pid})" in second.stderr
    finally:
        assert first.wait(timeout=60) == 0


def test_a_killed_run_resumes_where_it_stopped(tmp_path, server, binary):
    sources = [local_source(tmp_path), {"name": "slow", "kind": "http", "url": f"{server}/slow.py?seconds=60"}]
    write_sources(tmp_path, sources)
    db = tmp_path / "tritonpile.db"
    run = subprocess.Popen([str(BINARY), "--jobs", "1", "crawl"], cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        done = db.exists() and query(db, "SELECT count(*) FROM snapshots s JOIN sources o ON o.id = s.source_id "
                                         "WHERE o.name = 'broken'")[0][0]
        if done:
            break
        time.sleep(0.1)
    run.send_signal(signal.SIGKILL)
    run.wait()
    assert query(db, "SELECT status FROM crawl_runs") == [("running",)]
    assert query(db, "PRAGMA integrity_check") == [("ok",)]

    sources[1]["url"] = f"{server}/ok.py"
    write_sources(tmp_path, sources)
    resumed = json.loads(tritonpile("--json", "--jobs", "1", "crawl", cwd=tmp_path, check_rc=0).stdout)
    by_name = {s["name"]: s for s in resumed["sources"]}
    assert by_name["broken"]["unchanged"], "the killed run had committed this source"
    assert by_name["slow"]["status"] == "ok" and by_name["slow"]["parsed"] == 1
    assert query(db, "SELECT status FROM crawl_runs ORDER BY id") == [("interrupted",), ("ok",)]
    assert query(db, "SELECT count(*) FROM entries")[0][0] == 1


def test_sources_add_appends_keeping_the_file_and_refuses_duplicates(tmp_path, server, binary):
    original = '{\n    "version": 1,\n    "sources": [\n        {\n            "name": "a",\n' \
               '            "kind": "http",\n            "url": "' + server + '/ok.py"\n        }\n    ]\n}\n'
    (tmp_path / "sources.json").write_text(original)
    tritonpile("sources", "add", f"{server}/notebook.ipynb", "--license", "MIT", cwd=tmp_path, check_rc=0)
    text = (tmp_path / "sources.json").read_text()
    assert text.startswith(original[:original.rindex("}\n    ]")])
    added = json.loads(text)["sources"][1]
    assert added == {"name": "notebook", "kind": "http", "url": f"{server}/notebook.ipynb", "license": "MIT"}
    assert '\n        {\n            "name": "notebook",' in text, text
    duplicate = tritonpile("sources", "add", f"{server}/notebook.ipynb", "--name", "other", cwd=tmp_path, check_rc=2)
    assert "already listed as 'notebook'" in duplicate.stderr
    dead = tritonpile("sources", "add", f"{server}/missing.py", cwd=tmp_path, check_rc=1)
    assert "does not answer" in dead.stderr and "404" in dead.stderr
    assert len(json.loads((tmp_path / "sources.json").read_text())["sources"]) == 2


def test_sources_check_reports_which_answer(tmp_path, server, binary):
    write_sources(tmp_path, [{"name": "up", "kind": "http", "url": f"{server}/ok.py"},
                             {"name": "down", "kind": "http", "url": f"{server}/missing.py"},
                             {"name": "here", "kind": "local", "url": "."}])
    proc = tritonpile("--json", "sources", "check", cwd=tmp_path, check_rc=1)
    answers = {s["name"]: s["answers"] for s in json.loads(proc.stdout)}
    assert answers == {"up": True, "down": False, "here": True}

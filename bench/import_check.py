"""Do the crawled entries' modules import in a fresh environment with only torch, triton and numpy?

Builds that environment as a new venv (no pip, no system site-packages) whose one .pth file
points at a directory of links to exactly the distributions torch, triton and numpy need
(their Requires-Dist closure, markers evaluated for this interpreter), taken from the project's
venv. So `packaging`, `pytest`, `einops` and the crawled repositories themselves are absent.

Each module then runs as `__main__`-less module code in its own child: the parent imports torch,
triton and numpy once, and forks a child per module (what a fresh interpreter of that
environment would do after those imports, at a fraction of the time). A child that has not
finished in --timeout seconds counts as a hang.

    .venv/bin/python bench/import_check.py DB [--phase 3] [--failures N]

Prints pairs whose python_code and triton_code both import, per source and per evidence kind,
then the failures grouped by their first line of error.
"""
import argparse
import collections
import importlib.metadata as metadata
import json
import os
import pathlib
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile

from packaging.requirements import Requirement  # of the project venv, not of the fresh one

ROOTS = ("torch", "triton", "numpy")


def closure(roots):
    """Distributions the roots need, transitively, as the installer resolved them here."""
    seen, todo = {}, list(roots)
    while todo:
        name = todo.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # an optional dependency this environment does not have
        seen[key] = dist
        for text in dist.requires or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return seen


def make_environment(directory):
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(directory / "venv")], check=True)
    links = directory / "site"
    links.mkdir()
    dists = closure(ROOTS)
    for dist in dists.values():
        for file in dist.files or []:
            top = pathlib.PurePosixPath(file).parts[0]
            if top in ("..", "__pycache__") or (links / top).exists() or top.endswith(".pth"):
                continue
            source = pathlib.Path(dist.locate_file(top))
            if source.exists():
                (links / top).symlink_to(source)
    python = directory / "venv" / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    pathlib.Path(purelib, "fresh_links.pth").write_text(str(links) + "\n")
    return python, sorted(dists)


# Runs in the fresh environment: imports the roots once, then one forked child per module.
CHILD = r"""
import json, os, signal, sys, traceback, types
import numpy, torch, triton
jobs = json.load(open(sys.argv[1]))
timeout = float(sys.argv[2])
def on_alarm(*_):
    raise TimeoutError
signal.signal(signal.SIGALRM, on_alarm)
results = {}
for key, path in jobs:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        code = 0
        try:
            # As an import would: a module object registered in sys.modules (dataclasses and
            # typing look their class's module up there).
            source = open(path).read()
            module = types.ModuleType("entry_module")
            module.__file__ = path
            sys.modules["entry_module"] = module
            exec(compile(source, path, "exec"), module.__dict__)
            message = ""
        except BaseException as error:
            code = 1
            message = "".join(traceback.format_exception_only(type(error), error)).strip()
        os.write(write, message.encode()[:4000])
        os._exit(code)
    os.close(write)
    signal.alarm(int(timeout) + 1)
    try:
        _, status = os.waitpid(pid, 0)
        message = os.read(read, 4000).decode(errors="replace")
    except TimeoutError:
        os.kill(pid, 9); os.waitpid(pid, 0); status, message = 1, "timeout"
    finally:
        signal.alarm(0)
        os.close(read)
    ok = os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    results[key] = "" if ok else (message or f"died with status {status}")
json.dump(results, sys.stdout)
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("--phase", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--failures", type=int, default=25, help="failure groups to list")
    args = parser.parse_args()
    db = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    rows = db.execute("SELECT id, python_code, triton_code, metadata FROM entries WHERE phase = ? AND retired = 0 "
                      "ORDER BY id", (args.phase,)).fetchall()
    with tempfile.TemporaryDirectory() as temp:
        temp = pathlib.Path(temp)
        python, dists = make_environment(temp)
        print(f"fresh environment: {len(dists)} distributions ({', '.join(dists[:12])}, ...)")
        jobs = []
        for index, (entry_id, python_code, triton_code, _) in enumerate(rows):
            for side, code in (("python_code", python_code), ("triton_code", triton_code)):
                path = temp / "modules" / f"{index}_{side}.py"
                path.parent.mkdir(exist_ok=True)
                path.write_text(code)
                jobs.append((f"{entry_id}\t{side}", str(path)))
        (temp / "jobs.json").write_text(json.dumps(jobs))
        env = {"PATH": os.environ.get("PATH", ""), "HOME": str(temp), "TRITON_INTERPRET": "1",
               "CUDA_VISIBLE_DEVICES": os.environ.get("CUDA_VISIBLE_DEVICES", "")}
        proc = subprocess.run([str(python), "-c", CHILD, str(temp / "jobs.json"), str(args.timeout)],
                              capture_output=True, text=True, env=env, cwd=temp)
        if proc.returncode != 0:
            sys.exit(f"import_check: the fresh environment failed: {proc.stderr[-2000:]}")
        results = json.loads(proc.stdout)

    per_source = collections.defaultdict(lambda: [0, 0])
    per_evidence = collections.defaultdict(lambda: [0, 0])
    failures = collections.Counter()
    for entry_id, _, _, meta in rows:
        meta = json.loads(meta)
        errors = [results[f"{entry_id}\t{side}"] for side in ("python_code", "triton_code")]
        ok = not any(errors)
        source = meta.get("source", {}).get("name", "?")
        evidence = meta.get("pairing", {}).get("evidence", "?")
        for table in (per_source[source], per_evidence[evidence]):
            table[0] += ok
            table[1] += 1
        for side, error in zip(("python_code", "triton_code"), errors):
            if error:
                failures[(side, error.splitlines()[-1][:160])] += 1
    total_ok = sum(v[0] for v in per_source.values())
    print(f"\npairs whose two modules import: {total_ok} of {len(rows)}")
    for title, table in (("source", per_source), ("evidence", per_evidence)):
        print(f"\n{title:24} {'import':>7} {'pairs':>6}")
        for key in sorted(table):
            print(f"{key:24} {table[key][0]:7} {table[key][1]:6}")
    print(f"\nfailures ({sum(failures.values())} modules), commonest first:")
    for (side, error), count in failures.most_common(args.failures):
        print(f"{count:5}  {side:12} {error}")


if __name__ == "__main__":
    main()

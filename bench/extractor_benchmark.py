"""Extractor benchmark: recall against Python's `ast`, and speed against an ast-based
extractor doing the same job, on the same files.

Crawls the given sources file with the tritonpile binary into a scratch database (so both
sides see exactly the files a crawl sees), writes each distinct blob out, then
  * runs bench/extract_files of the build (our extractor, tree-sitter) over them, timed;
  * runs bench/ast_extractor.py over them in this process, timed;
  * compares the kernels found: recall of ours against ast per repository and overall, and
    every kernel we report that ast does not, with the reason ast misses it.

    .venv/bin/python bench/extractor_benchmark.py SOURCES.json [--source NAME ...] [--build DIR]
"""
import argparse
import ast
import collections
import io
import json
import pathlib
import sqlite3
import subprocess
import sys
import tempfile
import time
import tokenize

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import ast_extractor  # noqa: E402


def crawl(build, sources, selected, workdir):
    args = [str(build / "cli" / "tritonpile"), "--db", str(workdir / "bench.db"), "--cache",
            str(workdir / "cache"), "--sources", str(sources), "-q", "crawl"]
    for name in selected:
        args += ["--source", name]
    subprocess.run(args, check=False)
    db = sqlite3.connect(workdir / "bench.db")
    rows = db.execute("""SELECT DISTINCT s.name, f.path, b.id, b.content FROM snapshot_files f
                         JOIN snapshots n ON n.id = f.snapshot_id JOIN sources s ON s.id = n.source_id
                         JOIN blobs b ON b.id = f.blob_id""").fetchall()
    return rows


def inside_string_or_comment(source, line):
    """True when line falls inside a string literal or is a comment line."""
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.STRING and token.start[0] <= line <= token.end[0]:
                return True
            if token.type == tokenize.COMMENT and token.start[0] == line:
                return True
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("sources")
    parser.add_argument("--source", action="append", default=[])
    parser.add_argument("--build", type=pathlib.Path, default=ROOT / "build",
                        help="the CMake build whose cli/tritonpile and bench/extract_files run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        temp = pathlib.Path(temp)
        rows = crawl(args.build.resolve(), pathlib.Path(args.sources).resolve(), args.source, temp)
        blobs = {}
        owners = collections.defaultdict(list)
        for source, path, blob, content in rows:
            blobs[blob] = content
            owners[blob].append((source, path))
        files = temp / "files"
        paths = {}
        for blob, content in blobs.items():
            # Each blob under its first real file name: a file's name is evidence (naive.py).
            paths[blob] = files / blob / pathlib.PurePosixPath(owners[blob][0][1]).name
            paths[blob].parent.mkdir(parents=True)
            paths[blob].write_text(content)
        listing = "\n".join(str(paths[blob]) for blob in blobs) + "\n"
        timings, ours = {}, {}
        for threads in (1, 2):
            proc = subprocess.run([str(args.build.resolve() / "bench" / "extract_files"), str(threads)], input=listing,
                                  capture_output=True, text=True, check=True)
            timings[threads] = json.loads(proc.stderr.strip().splitlines()[-1])
        for line in proc.stdout.splitlines():
            found = json.loads(line)
            ours[pathlib.Path(found["path"]).parent.name] = found["extraction"]

    theirs, ast_failures = {}, {}
    start = time.perf_counter()
    for blob, content in blobs.items():
        try:
            theirs[blob] = ast_extractor.extract(content, owners[blob][0][1])
        except (SyntaxError, ValueError, RecursionError) as error:
            ast_failures[blob] = type(error).__name__
    ast_seconds = time.perf_counter() - start

    per_repo = collections.defaultdict(lambda: {"ast": 0, "found": 0, "ours": 0, "launchers": 0, "references": 0,
                                                "tests": 0, "comparing_tests": 0})
    missed, extra = [], []
    for blob, content in blobs.items():
        source, path = owners[blob][0]
        repo = per_repo[source]
        mine = {k["qualname"]: k for k in ours[blob]["kernels"]}
        repo["ours"] += len(mine)
        repo["launchers"] += len(ours[blob]["launchers"])
        repo["references"] += len(ours[blob]["references"])
        repo["tests"] += len(ours[blob]["tests"])
        repo["comparing_tests"] += sum(1 for t in ours[blob]["tests"] if t["comparisons"])
        baseline = {k["qualname"] for k in theirs[blob]["kernels"]} if blob in theirs else set()
        repo["ast"] += len(baseline)
        repo["found"] += len(baseline & set(mine))
        missed += [(source, path, name) for name in sorted(baseline - set(mine))]
        for name in sorted(set(mine) - baseline):
            line = mine[name]["span"]["start_line"]
            if blob in ast_failures:
                why = f"ast cannot parse the file ({ast_failures[blob]})"
            elif inside_string_or_comment(content, line):
                why = "INSIDE A STRING OR COMMENT"
            else:
                why = "ast found no jit decorator or call form here"
            extra.append((source, path, name, line, why))

    print(f"{'repository':24} {'ast':>6} {'found':>6} {'recall':>8} {'ours':>6} {'launch':>7} {'refs':>6} "
          f"{'tests':>6} {'compare':>8}")
    total_ast = total_found = 0
    for source in sorted(per_repo):
        r = per_repo[source]
        total_ast += r["ast"]
        total_found += r["found"]
        recall = r["found"] / r["ast"] if r["ast"] else 1.0
        print(f"{source:24} {r['ast']:6} {r['found']:6} {recall:8.2%} {r['ours']:6} {r['launchers']:7} "
              f"{r['references']:6} {r['tests']:6} {r['comparing_tests']:8}")
    print(f"{'overall':24} {total_ast:6} {total_found:6} {total_found / max(total_ast, 1):8.2%}")
    print(f"\nmissed kernels ({len(missed)}):")
    for item in missed:
        print("  ", *item)
    print(f"\nkernels we report that ast does not ({len(extra)}):")
    for item in extra:
        print("  ", *item)
    in_strings = sum(1 for item in extra if item[4] == "INSIDE A STRING OR COMMENT")
    print(f"\nkernels reported from strings or comments: {in_strings}")
    mb = timings[1]["bytes"] / 1e6
    print(f"\nfiles {len(blobs)} ({mb:.1f} MB), ast could not parse {len(ast_failures)}")
    print(f"ast-based (Python, 1 process)   {ast_seconds:8.3f} s  {mb / ast_seconds:7.2f} MB/s")
    for threads, timing in timings.items():
        print(f"ours (tree-sitter, {threads} thread{'s' if threads > 1 else ' '})   {timing['seconds']:8.3f} s  "
              f"{mb / timing['seconds']:7.2f} MB/s  speed-up {ast_seconds / timing['seconds']:5.1f}x  (target >= 10x)")


if __name__ == "__main__":
    main()

"""Crawl benchmark: a generated git repository of N Python files (default 5,000), crawled
twice through the tritonpile binary over file://. Prints the first-crawl time, the no-change
re-crawl time and their ratio (target: re-crawl under 2% of the first).

    python3 bench/crawl_benchmark.py [--files 5000] [--binary build/cli/tritonpile]
"""
import argparse
import json
import pathlib
import subprocess
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]

KERNEL = '''import torch
import triton
import triton.language as tl


@triton.jit
def scale_{i}_kernel(x_ptr, out_ptr, n, BLOCK: tl.constexpr):
    offsets = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offsets < n
    x = tl.load(x_ptr + offsets, mask=mask)
    tl.store(out_ptr + offsets, x * {i} + 1.0, mask=mask)


def scale_{i}(x):
    out = torch.empty_like(x)
    scale_{i}_kernel[(triton.cdiv(x.numel(), 1024),)](x, out, x.numel(), BLOCK=1024)
    return out


def scale_{i}_reference(x):
    return x * {i} + 1.0
'''


def make_repository(path, files):
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True)
    for i in range(files):
        module = path / f"pkg{i // 500}" / f"ops_{i}.py"
        module.parent.mkdir(exist_ok=True)
        module.write_text(KERNEL.format(i=i))
    subprocess.run(["git", "-C", str(path), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(path), "-c", "user.email=b@b", "-c", "user.name=b", "commit", "-q", "-m", "gen"],
                   check=True)


def crawl(binary, workdir):
    start = time.perf_counter()
    proc = subprocess.run([str(binary), "--json", "-q", "crawl"], cwd=workdir, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"crawl failed ({proc.returncode}): {proc.stderr}")
    return elapsed, json.loads(proc.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--binary", default=str(ROOT / "build" / "cli" / "tritonpile"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        temp = pathlib.Path(temp)
        make_repository(temp / "repo", args.files)
        (temp / "sources.json").write_text(json.dumps({"version": 1, "sources": [
            {"name": "generated", "kind": "git", "url": f"file://{temp / 'repo'}"}]}))
        first, first_summary = crawl(args.binary, temp)
        again, again_summary = crawl(args.binary, temp)
    parsed = first_summary["files_parsed"]
    print(f"files in repository      {args.files}")
    print(f"first crawl              {first:8.3f} s  ({parsed} files parsed)")
    print(f"no-change re-crawl       {again:8.3f} s  ({again_summary['files_parsed']} files parsed)")
    print(f"re-crawl / first crawl  {again / first:8.2%}  (target < 2%)")


if __name__ == "__main__":
    main()

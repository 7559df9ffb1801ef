"""Validator benchmark: the runner (fork server, one forked sandboxed child per entry) against
one fresh `python -m pytest` process per entry, with the same sandbox, on the same entries and
device, in one run. Prints entries per minute for both and their ratio (target >= 10x).

    python bench/validator_benchmark.py BUNDLE_DIR [--jobs N] [--device auto|cuda|interpret]

BUNDLE_DIR comes from `tritonpile validate --bundle DIR`. Both sides share one warmed Triton
cache, so neither pays for compiling; outcomes of the two are compared entry by entry.
"""
import argparse
import concurrent.futures
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

run_bundle = None  # imported from the bundle in main()


def status_of(scratch):
    report = scratch / "report.json"
    return json.loads(report.read_text())["status"] if report.exists() else "crash"


def run_fresh_processes(entries, device, bundle, cache, jobs, timeout):
    def one(entry):
        scratch, env = run_bundle.prepare(entry, device, bundle, cache)
        try:
            subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "tritonpile_report", "-p", "no:cacheprovider",
                            "test_entry.py"], cwd=scratch, env=dict(os.environ, **env), capture_output=True,
                           timeout=timeout)
            return entry["id"], status_of(scratch)
        except subprocess.TimeoutExpired:
            return entry["id"], "timeout"
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        return dict(pool.map(one, entries))


def run_fork_server(entries, device, bundle, cache, jobs, timeout):
    outcomes = {}
    for entry, scratch, answer in run_bundle.fork_server_answers(entries, device, bundle, cache, jobs, timeout, 0):
        outcomes[entry["id"]] = "timeout" if answer["timed_out"] else status_of(scratch)
        shutil.rmtree(scratch, ignore_errors=True)
    return outcomes


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("bundle", type=pathlib.Path)
    parser.add_argument("--jobs", type=int, default=max(1, os.cpu_count() // 2))
    parser.add_argument("--device", choices=("auto", "cuda", "interpret"), default="auto")
    parser.add_argument("--timeout", type=int, default=60)
    args = parser.parse_args()
    device = args.device
    if device == "auto":
        import torch
        device = "cuda" if torch.cuda.is_available() else "interpret"
    bundle = args.bundle.resolve()
    global run_bundle
    sys.path.insert(0, str(bundle))
    import run_bundle  # the bundle's own runner: both sides prepare entries exactly as it does
    entries = [json.loads(line) for line in (bundle / "entries.jsonl").read_text().splitlines() if line.strip()]
    cache = pathlib.Path(tempfile.mkdtemp(prefix="tritonpile-bench-cache-"))
    start = time.perf_counter()
    run_fork_server(entries, device, bundle, cache, args.jobs, args.timeout)
    print(f"warm-up (compiles into the shared cache): {time.perf_counter() - start:.1f} s", flush=True)
    timings, outcomes = {}, {}
    for name, runner in (("fresh pytest process per entry", run_fresh_processes), ("fork-server runner", run_fork_server)):
        start = time.perf_counter()
        outcomes[name] = runner(entries, device, bundle, cache, args.jobs, args.timeout)
        timings[name] = time.perf_counter() - start
        print(f"{name:32} {timings[name]:8.1f} s  {len(entries) / timings[name] * 60:8.1f} entries/min", flush=True)
    fresh, server = outcomes.values()
    disagreements = [i for i in fresh if fresh[i] != server.get(i)]
    ratio = timings["fresh pytest process per entry"] / timings["fork-server runner"]
    print(f"entries {len(entries)} on {device} with {args.jobs} jobs; outcomes differ for {len(disagreements)}")
    for entry_id in disagreements[:10]:
        print(f"  {entry_id}: fresh {fresh[entry_id]}, runner {server.get(entry_id)}")
    print(f"speed-up (entries per minute, runner / fresh processes): {ratio:.1f}x  (target >= 10x)")
    shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()

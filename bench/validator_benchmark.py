"""Validator benchmark: the runner (fork server, one forked sandboxed child per entry) against
one fresh `python -m pytest` process per entry, with the same sandbox, on the same entries and
device, in one run. Prints entries per minute for both and their ratio (target >= 10x).

    python bench/validator_benchmark.py BUNDLE_DIR [--jobs N] [--device auto|cuda|interpret] [--limit N]

BUNDLE_DIR comes from `tritonpile validate --bundle DIR`. Both sides share one warmed Triton
cache, so neither pays for compiling; outcomes of the two are compared entry by entry. Both run
as many workers as the runner does: on GPUs one per GPU, each alone on its GPU. Prints where
each side's time went: seconds per entry and per test function of the synthesized test.
"""
import argparse
import concurrent.futures
import json
import math
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

run_bundle = tritonpile_report = None  # imported from the bundle in main()


def report_of(scratch):
    report = scratch / "report.json"
    return json.loads(report.read_text()) if report.exists() else {"status": "crash"}


def describe(outcomes):
    """Where one side's time went: seconds per entry, and per test function of the synthesized test."""
    seconds = sorted(s for _, s in outcomes.values())
    print(f"    seconds per entry: median {statistics.median(seconds):.2f}, "
          f"90th percentile {seconds[int(0.9 * (len(seconds) - 1))]:.2f}, max {seconds[-1]:.2f}")
    by_test = {}
    for report, _ in outcomes.values():
        for test, s in report.get("seconds", {}).items():
            by_test.setdefault(test, []).append(s)
    for test, samples in sorted(by_test.items()):
        print(f"    {test:36} median {statistics.median(samples):.3f} s over {len(samples)} entries")


def run_fresh_processes(entries, device, bundle, cache, jobs, timeout, gpus):
    """Worker i runs its processes on the GPU the runner's worker i uses."""
    import tritonpile_runner
    visible = tritonpile_runner.visible_gpus(gpus) if device == "cuda" else []
    workers = iter(range(jobs))
    worker = threading.local()

    def one(entry):
        if not hasattr(worker, "gpu"):
            worker.gpu = visible[next(workers) % len(visible)] if visible else None
        scratch, env = run_bundle.prepare(entry, device, bundle, cache)
        if worker.gpu is not None:
            env["CUDA_VISIBLE_DEVICES"] = worker.gpu
        start = time.perf_counter()
        try:
            subprocess.run([sys.executable, "-m", "pytest", *tritonpile_report.PYTEST_ARGS], cwd=scratch,
                           env=dict(os.environ, **env), capture_output=True, timeout=timeout)
            return entry["id"], (report_of(scratch), time.perf_counter() - start)
        except subprocess.TimeoutExpired:
            return entry["id"], ({"status": "timeout"}, timeout)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        return dict(pool.map(one, entries))


def run_fork_server(entries, device, bundle, cache, jobs, timeout, gpus):
    outcomes = {}
    for entry, scratch, answer in run_bundle.fork_server_answers(entries, device, bundle, cache, jobs, timeout, 0, gpus):
        report = {"status": "timeout"} if answer["timed_out"] else report_of(scratch)
        outcomes[entry["id"]] = (report, answer["seconds"])
        shutil.rmtree(scratch, ignore_errors=True)
    return outcomes


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("bundle", type=pathlib.Path)
    parser.add_argument("--jobs", type=int, help="workers in the interpreter (default: half the cores); "
                        "on GPUs one per GPU, as the runner has")
    parser.add_argument("--device", choices=("auto", "cuda", "interpret"), default="auto")
    parser.add_argument("--timeout", type=int, default=60)
    parser.add_argument("--limit", type=int, help="only N of the bundle's entries, spread evenly over it")
    args = parser.parse_args()
    bundle = args.bundle.resolve()
    global run_bundle, tritonpile_report
    sys.path.insert(0, str(bundle))
    import run_bundle  # the bundle's own runner: both sides prepare and run entries exactly as it does
    import tritonpile_report
    device, gpus = run_bundle.probe()
    if args.device != "auto":
        device = args.device
    jobs = run_bundle.workers(device, gpus, args.jobs)
    entries = [json.loads(line) for line in (bundle / "entries.jsonl").read_text().splitlines() if line.strip()]
    if args.limit and args.limit < len(entries):
        entries = entries[::math.ceil(len(entries) / args.limit)]
    cache = pathlib.Path(tempfile.mkdtemp(prefix="tritonpile-bench-cache-"))
    start = time.perf_counter()
    # Compiling is not what is measured: the warm-up may use every core.
    run_fork_server(entries, device, bundle, cache, max(jobs, os.cpu_count() // 2), args.timeout, gpus)
    print(f"warm-up (compiles into the shared cache): {time.perf_counter() - start:.1f} s", flush=True)
    timings, outcomes = {}, {}
    for name, runner in (("fresh pytest process per entry", run_fresh_processes), ("fork-server runner", run_fork_server)):
        start = time.perf_counter()
        outcomes[name] = runner(entries, device, bundle, cache, jobs, args.timeout, gpus)
        timings[name] = time.perf_counter() - start
        print(f"{name:32} {timings[name]:8.1f} s  {len(entries) / timings[name] * 60:8.1f} entries/min", flush=True)
        describe(outcomes[name])
    fresh, server = ({i: report["status"] for i, (report, _) in side.items()} for side in outcomes.values())
    disagreements = [i for i in fresh if fresh[i] != server.get(i)]
    ratio = timings["fresh pytest process per entry"] / timings["fork-server runner"]
    print(f"entries {len(entries)} on {device} with {jobs} workers a side; outcomes differ for {len(disagreements)}")
    for entry_id in disagreements[:10]:
        print(f"  {entry_id}: fresh {fresh[entry_id]}, runner {server.get(entry_id)}")
    print(f"speed-up (entries per minute, runner / fresh processes): {ratio:.1f}x  (target >= 10x)")
    shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()

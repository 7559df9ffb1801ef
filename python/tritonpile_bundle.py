"""Runs a validation bundle on a host without the C++ build (a GPU node, say).

`tritonpile validate --bundle DIR` writes DIR/entries.jsonl and copies this script (as
DIR/run_bundle.py) with the runner, the report plugin and the sandbox beside it. On the host:

    python DIR/run_bundle.py [--jobs N] [--timeout S] [--device auto|cuda|interpret]

validates every entry exactly as `tritonpile validate` does (fork server, one sandboxed child
per entry) and appends one JSON line per entry to DIR/results.jsonl as each finishes; a second
run skips entries already there, so a killed run resumes. Bring results.jsonl back and store it
with `tritonpile validate --ingest DIR/results.jsonl`.
"""
import argparse
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent


def prepare(entry, device, bundle, cache):
    """A scratch directory holding the entry's three files, and the environment its child gets."""
    scratch = pathlib.Path(tempfile.mkdtemp(prefix="tritonpile-"))
    (scratch / "reference.py").write_text(entry["python_code"])
    (scratch / "triton_impl.py").write_text(entry["triton_code"])
    (scratch / "test_entry.py").write_text(entry["test_code"])
    env = {"PYTHONPATH": str(bundle), "TRITONPILE_REPORT": str(scratch / "report.json"), "TRITONPILE_SANDBOX": "1",
           "TMPDIR": str(scratch), "PYTHONDONTWRITEBYTECODE": "1", "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
           "TRITON_CACHE_DIR": str(cache), "TRITON_CACHE_AUTOTUNING": "1",
           "TRITON_INTERPRET": "1" if device == "interpret" else "0"}
    return scratch, env


def probe():
    """The device the children will use and how many GPUs torch sees, asked of a fresh Python:
    the caller must not initialise CUDA before the fork server forks."""
    answer = subprocess.run([sys.executable, "-c", "import torch; print(torch.cuda.is_available(), torch.cuda.device_count())"],
                            capture_output=True, text=True).stdout.split()
    available, gpus = (answer + ["False", "0"])[:2]
    return ("cuda" if available == "True" else "interpret"), int(gpus)


def workers(device, gpus, jobs):
    """On cuda one worker per GPU, so no two entries share a GPU while they are timed; in the
    interpreter jobs, or half the cores."""
    if device == "cuda" and gpus:
        return gpus
    return jobs or max(1, (os.cpu_count() or 2) // 2)


def fork_server_answers(entries, device, bundle, cache, jobs, timeout, max_rss, gpus=0):
    """Runs entries through the fork server, jobs at once, worker i on GPU i mod gpus when gpus;
    yields (entry, scratch, answer) as each ends."""
    server_env = dict(os.environ, PYTHONPATH=str(bundle), PYTHONDONTWRITEBYTECODE="1", TRITON_CACHE_DIR=str(cache),
                      TRITON_INTERPRET="1" if device == "interpret" else "0")
    server = subprocess.Popen([sys.executable, str(bundle / "tritonpile_runner.py"), "--workers", str(jobs),
                               "--gpus", str(gpus if device == "cuda" else 0)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=server_env)
    scratches = {}
    for index, entry in enumerate(entries):
        scratch, env = prepare(entry, device, bundle, cache)
        scratches[str(index)] = (entry, scratch)
        server.stdin.write(json.dumps({"id": str(index), "scratch": str(scratch), "timeout": timeout,
                                       "max_rss": max_rss, "env": env}) + "\n")
    server.stdin.close()
    for line in server.stdout:
        answer = json.loads(line)
        entry, scratch = scratches.pop(answer["id"])
        yield entry, scratch, answer
    server.wait()


def read_report(scratch, answer, timeout, max_rss):
    report_path = scratch / "report.json"
    output = (scratch / "output.txt").read_text(errors="replace") if (scratch / "output.txt").exists() else ""
    if answer.get("memory_exceeded"):
        return {"status": "error", "failure_class": "oom", "message": f"used more than {max_rss >> 20} MiB"}
    if answer.get("timed_out"):
        return {"status": "error", "failure_class": "timeout", "message": f"no result within {timeout} s"}
    if not report_path.exists():
        how = f"killed by signal {answer['signal']}" if answer.get("signal") else f"exited {answer.get('exit_code')}"
        return {"status": "error", "failure_class": "crash", "message": f"{how} without a report: {output[-2000:]}"}
    return json.loads(report_path.read_text())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, help="children at once in the interpreter (default: half the cores); "
                        "on GPUs there is one per GPU")
    parser.add_argument("--timeout", type=int, default=300)
    parser.add_argument("--memory-limit", type=int, default=8192, help="MiB per entry")
    parser.add_argument("--device", choices=("auto", "cuda", "interpret"), default="auto")
    args = parser.parse_args()
    device, gpus = probe()
    if args.device != "auto":
        device = args.device
    jobs = workers(device, gpus, args.jobs)
    results_path = HERE / "results.jsonl"
    done = set()
    if results_path.exists():
        done = {json.loads(line)["entry_id"] for line in results_path.read_text().splitlines() if line.strip()}
    entries = [json.loads(line) for line in (HERE / "entries.jsonl").read_text().splitlines() if line.strip()]
    todo = [e for e in entries if e["id"] not in done]
    print(f"{len(entries)} entries, {len(done)} already done, {len(todo)} to run on {device} with {jobs} workers",
          flush=True)
    cache = HERE / "triton-cache"
    cache.mkdir(exist_ok=True)
    max_rss = args.memory_limit << 20
    answers = fork_server_answers(todo, device, HERE, cache, jobs, args.timeout, max_rss, gpus)
    with results_path.open("a") as results:
        for count, (entry, scratch, answer) in enumerate(answers, 1):
            report = read_report(scratch, answer, args.timeout, max_rss)
            properties = report.get("properties", {})
            result = {"entry_id": entry["id"], "code_hash": entry["code_hash"], "status": report["status"],
                      "failure_class": report.get("failure_class", ""), "message": report.get("message", ""),
                      "device": report.get("device", ""), "torch": report.get("torch", ""),
                      "triton": report.get("triton", ""), "max_abs_err": properties.get("max_abs_err"),
                      "max_rel_err": properties.get("max_rel_err"), "speedup": properties.get("speedup"),
                      "seconds": answer.get("seconds", 0)}
            results.write(json.dumps(result) + "\n")
            results.flush()
            shutil.rmtree(scratch, ignore_errors=True)
            print(f"[{count}/{len(todo)}] {result['status']} {result['failure_class']} {entry['id']}", flush=True)


if __name__ == "__main__":
    main()

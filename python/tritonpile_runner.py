"""Fork server for validation children.

Imports torch, triton and pytest once, then runs each requested entry in a fresh forked child
(own process group, own network namespace where the OS allows, the entry's scratch directory
as working directory, CUDA initialised only there), so a child costs a fork instead of a
Python start and a torch import. Reads one JSON request a line on stdin:
    {"id": ..., "scratch": DIR, "timeout": SECONDS, "max_rss": BYTES, "env": {...}}
and answers, as each child ends, one JSON line on stdout:
    {"id": ..., "exit_code": N|null, "signal": N|null, "timed_out": bool,
     "memory_exceeded": bool, "seconds": S}
Runs up to --workers children at once; exits when stdin closes and every child has ended.
"""
import argparse
import ctypes
import json
import os
import select
import signal
import sys
import time

import pytest  # noqa: F401  (imported once here, inherited by every child)
import torch  # noqa: F401
import triton  # noqa: F401

import tritonpile_report  # noqa: F401
import tritonpile_sandbox  # noqa: F401

CLONE_NEWNET = 0x40000000
PAGE = os.sysconf("SC_PAGE_SIZE")


def run_child(request):
    """In the forked child: never returns."""
    try:
        os.setpgid(0, 0)
        ctypes.CDLL(None, use_errno=True).unshare(CLONE_NEWNET)  # fails quietly without privileges
        os.chdir(request["scratch"])
        os.environ.update(request.get("env", {}))
        out = os.open("output.txt", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(out, 1)
        os.dup2(out, 2)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        code = pytest.main(["-q", "-p", "tritonpile_report", "-p", "no:cacheprovider", "test_entry.py"])
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(int(code))
    except BaseException:  # noqa: BLE001 - whatever happens, the child must not return
        os._exit(125)


def resident(pid):
    try:
        with open(f"/proc/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    pending, running, buffer, open_input = [], {}, b"", True
    while open_input or pending or running:
        if open_input:
            ready, _, _ = select.select([sys.stdin.buffer], [], [], 0.01)
            if ready:
                chunk = os.read(sys.stdin.fileno(), 1 << 16)
                if not chunk:
                    open_input = False
                buffer += chunk
                *lines, buffer = buffer.split(b"\n")
                pending += [json.loads(line) for line in lines if line.strip()]
        else:
            time.sleep(0.005)
        while pending and len(running) < args.workers:
            request = pending.pop(0)
            pid = os.fork()
            if pid == 0:
                run_child(request)
            running[pid] = (request, time.monotonic())
        for pid, (request, started) in list(running.items()):
            done, status = os.waitpid(pid, os.WNOHANG)
            elapsed = time.monotonic() - started
            result = {"id": request["id"], "exit_code": None, "signal": None, "timed_out": False,
                      "memory_exceeded": False}
            if done == 0:
                over_memory = request.get("max_rss") and resident(pid) > request["max_rss"]
                if not over_memory and elapsed < request.get("timeout", 300):
                    continue
                result["memory_exceeded" if over_memory else "timed_out"] = True
                os.killpg(pid, signal.SIGKILL)
                _, status = os.waitpid(pid, 0)
            try:
                os.killpg(pid, signal.SIGKILL)  # whatever the child left in its group
            except ProcessLookupError:
                pass
            if os.WIFEXITED(status):
                result["exit_code"] = os.WEXITSTATUS(status)
            if os.WIFSIGNALED(status) and not (result["timed_out"] or result["memory_exceeded"]):
                result["signal"] = os.WTERMSIG(status)
            result["seconds"] = round(elapsed, 3)
            del running[pid]
            sys.stdout.write(json.dumps(result) + "\n")
            sys.stdout.flush()


if __name__ == "__main__":
    main()

"""Fork server for validation children.

Imports torch, triton and pytest once, then runs each requested entry in a fresh forked child
(own process group, own network namespace where the OS allows, the entry's scratch directory
as working directory, CUDA initialised only there), so a child costs a fork instead of a
Python start and a torch import. What keeps a child's fixed cost near zero:
  * what needs no GPU is done once here (prepare_what_children_need), and the heap is frozen
    (gc.freeze) before forking, so the collections pytest runs in every child neither scan nor
    copy-on-write the interpreter's ~million torch objects;
  * each worker slot keeps a spare child forked in advance, which creates its CUDA context while
    the slot's current entry runs, then waits (sandbox not yet installed, no entry code loaded)
    until it is handed a request. Every entry still gets a process no other entry has touched;
  * a child says it is done, with its exit code, before it exits, so the slot's next entry
    starts while the driver tears the old CUDA context down.
With --gpus N, worker slot i runs its children on GPU i mod N alone (CUDA_VISIBLE_DEVICES), so
one worker per GPU times kernels on a GPU nothing else uses.
Reads one JSON request a line on stdin:
    {"id": ..., "scratch": DIR, "timeout": SECONDS, "max_rss": BYTES, "env": {...}}
and answers, as each child ends, one JSON line on stdout:
    {"id": ..., "exit_code": N|null, "signal": N|null, "timed_out": bool,
     "memory_exceeded": bool, "seconds": S}
A child's timeout and seconds count from the moment it is handed its request. Runs up to
--workers children at once; exits when stdin closes and every child has ended.
"""
import argparse
import ctypes
import gc
import importlib
import json
import os
import select
import signal
import sys
import tempfile
import time

import _pytest.config
import pytest
import torch
import triton

import tritonpile_report
import tritonpile_sandbox  # noqa: F401

CLONE_NEWNET = 0x40000000
PAGE = os.sysconf("SC_PAGE_SIZE")


# What every child would otherwise import for itself: pytest's debugging and faulthandler
# plugins' modules, Triton's code generator (with gluon) and its timing helpers.
CHILD_IMPORTS = ("pdb", "faulthandler", "triton.compiler.code_generator", "triton.testing")


def prepare_what_children_need():
    """What every child would compute for itself and that needs no GPU, done once here: pytest
    imports its built-in plugins on first use, and Triton hashes its own sources and its 400 MB
    libtriton (triton_key, ~0.4 s) before its first kernel launch, even on a cache hit."""
    modules = ["_pytest." + name for name in _pytest.config.default_plugins] + list(CHILD_IMPORTS)
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    from triton.runtime.cache import triton_key
    triton_key()


def warm_up():
    """In a spare: what every GPU child pays before its first check, paid while it waits: the
    CUDA context, a cuBLAS handle, Triton's driver (its compiled helpers come from Triton's
    cache, which the server's environment names like the requests' do) and its backend's hash
    (ptxas --version). Best effort: if any of it fails here it fails again, and is classified,
    in the entry's own test."""
    if os.environ.get("TRITON_INTERPRET") == "1":
        return
    try:
        from triton.compiler.compiler import make_backend
        from triton.runtime import driver

        torch.ones(1, device="cuda")
        torch.cuda.current_blas_handle()
        make_backend(driver.active.get_current_target()).hash()
        torch.cuda.synchronize()
    except Exception:  # noqa: BLE001
        pass


def run_child(request, done):
    """In the forked child, once it has its request: never returns."""
    try:
        ctypes.CDLL(None, use_errno=True).unshare(CLONE_NEWNET)  # fails quietly without privileges
        os.chdir(request["scratch"])
        os.environ.update(request.get("env", {}))
        # tempfile keeps the directory it found first; the warm-up may have asked before TMPDIR
        # named the scratch directory (Triton compiles its driver helpers in a temporary one).
        tempfile.tempdir = None
        out = os.open("output.txt", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(out, 1)
        os.dup2(out, 2)
        code = int(pytest.main(tritonpile_report.PYTEST_ARGS))
        sys.stdout.flush()
        sys.stderr.flush()
        os.write(done, str(code).encode())
        os._exit(code)
    except BaseException:  # noqa: BLE001 - whatever happens, the child must not return
        os._exit(125)


def run_spare(requests, done, gpu):
    """In a spare child: warm up, wait for the request on the pipe, run it. Never returns."""
    try:
        os.setpgid(0, 0)
        # Until it has an entry the child must not touch the server's pipes.
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        if gpu is not None:
            os.environ["CUDA_VISIBLE_DEVICES"] = gpu
        warm_up()
        with os.fdopen(requests, "rb") as pipe:
            data = pipe.read()
        if not data:
            os._exit(0)  # the server is done and needs no more children
        run_child(json.loads(data), done)
    except BaseException:  # noqa: BLE001
        os._exit(125)


def resident(pid):
    try:
        with open(f"/proc/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


class Child:
    """A forked child: a spare until it is handed a request, then running until it says it is
    done (or dies, or overruns), then exiting until it is reaped."""

    # How long a child that said it is done may take to exit: the code under test holds the
    # pipe too and could say so early, which must not take it out of the timeout's reach.
    EXIT_GRACE_SECONDS = 10

    def __init__(self, pid, requests, done):
        self.pid = self.group = pid
        self.requests, self.done = requests, done
        self.request, self.started, self.said_done = None, 0.0, 0.0

    def hand(self, request):
        """A spare that died while warming up still takes its request: reaping it reports how
        it died, as for any other child."""
        self.request, self.started = request, time.monotonic()
        try:
            os.write(self.requests, json.dumps(request).encode())
        except BrokenPipeError:
            pass
        os.close(self.requests)
        self.requests = None

    def outcome(self):
        """The answer once the child is done or overdue, else None."""
        elapsed = time.monotonic() - self.started
        result = {"id": self.request["id"], "exit_code": None, "signal": None, "timed_out": False,
                  "memory_exceeded": False, "seconds": round(elapsed, 3)}
        if self.done is not None and select.select([self.done], [], [], 0)[0]:
            message = os.read(self.done, 64)
            os.close(self.done)
            self.done = None
            if message:  # done; its exit code is the one it is about to exit with
                result["exit_code"] = int(message) if message.isdigit() else None
                self.said_done = time.monotonic()
                return result
            # Closed without a word: it died, or the code under test closed the pipe; either
            # way it is watched like any child from here on.
        finished, status = os.waitpid(self.pid, os.WNOHANG)
        if finished == 0:
            over_memory = self.request.get("max_rss") and resident(self.pid) > self.request["max_rss"]
            if not over_memory and elapsed < self.request.get("timeout", 300):
                return None
            result["memory_exceeded" if over_memory else "timed_out"] = True
            os.killpg(self.group, signal.SIGKILL)
            _, status = os.waitpid(self.pid, 0)
        self.pid = None  # reaped
        if os.WIFEXITED(status):
            result["exit_code"] = os.WEXITSTATUS(status)
        if os.WIFSIGNALED(status) and not (result["timed_out"] or result["memory_exceeded"]):
            result["signal"] = os.WTERMSIG(status)
        return result

    def reap(self, block=False):
        """True once the child has exited; then whatever it left in its group is killed."""
        if self.pid is not None:
            if block or time.monotonic() - self.said_done > self.EXIT_GRACE_SECONDS:
                self.kill()
            finished, _ = os.waitpid(self.pid, 0 if block else os.WNOHANG)
            if finished == 0:
                return False
            self.pid = None
        for fd in self.pipes():
            os.close(fd)
        self.requests = self.done = None
        self.kill()
        return True

    def pipes(self):
        """The server's ends of this child's pipes that are still open."""
        return [fd for fd in (self.requests, self.done) if fd is not None]

    def kill(self):
        try:
            os.killpg(self.group, signal.SIGKILL)
        except ProcessLookupError:
            pass


class Slot:
    """One worker: at most one running child, and a spare to run the next entry."""

    def __init__(self, gpu):
        self.gpu, self.spare, self.running = gpu, None, None

    def fork_spare(self, open_fds):
        requests_read, requests_write = os.pipe()
        done_read, done_write = os.pipe()
        pid = os.fork()
        if pid == 0:
            # A sibling's pipe end held here would keep that sibling from ever seeing EOF.
            for fd in open_fds + [requests_write, done_read]:
                os.close(fd)
            run_spare(requests_read, done_write, self.gpu)
        os.close(requests_read)
        os.close(done_write)
        self.spare = Child(pid, requests_write, done_read)


def visible_gpus(count):
    """The ids CUDA_VISIBLE_DEVICES gives the first count GPUs this process may use."""
    listed = [d for d in os.environ.get("CUDA_VISIBLE_DEVICES", "").split(",") if d.strip()]
    return (listed or [str(i) for i in range(count)])[:count]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--gpus", type=int, default=0, help="GPUs to spread the workers over (0: leave as is)")
    args = parser.parse_args()
    prepare_what_children_need()
    gc.collect()
    gc.freeze()
    gpus = visible_gpus(args.gpus)
    slots = [Slot(gpus[i % len(gpus)] if gpus else None) for i in range(max(1, args.workers))]
    exiting = []  # children that said they are done but have not exited yet
    pending, buffer, open_input = [], b"", True
    while open_input or pending or any(slot.running for slot in slots):
        if open_input:
            ready, _, _ = select.select([sys.stdin.buffer], [], [], 0.005)
            if ready:
                chunk = os.read(sys.stdin.fileno(), 1 << 16)
                if not chunk:
                    open_input = False
                buffer += chunk
                *lines, buffer = buffer.split(b"\n")
                pending += [json.loads(line) for line in lines if line.strip()]
        else:
            time.sleep(0.002)
        for slot in slots:
            if slot.running:
                result = slot.running.outcome()
                if result is not None:
                    exiting.append(slot.running)
                    slot.running = None
                    sys.stdout.write(json.dumps(result) + "\n")
                    sys.stdout.flush()
            if slot.running is None and slot.spare and pending:
                slot.spare.hand(pending.pop(0))
                slot.running, slot.spare = slot.spare, None
            if slot.spare is None and (open_input or pending):
                children = [c for s in slots for c in (s.spare, s.running) if c] + exiting
                slot.fork_spare([fd for child in children for fd in child.pipes()])
        exiting = [child for child in exiting if not child.reap()]
    for child in [slot.spare for slot in slots if slot.spare] + exiting:
        child.reap(block=True)


if __name__ == "__main__":
    main()

"""Helpers the pytest suites share: where the repository and the built binary are, and
running the binary."""
import os
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = pathlib.Path(os.environ.get("TRITONPILE_BIN", ROOT / "build" / "cli" / "tritonpile"))


def tritonpile(*args, cwd=None, check_rc=None, timeout=900):
    """Runs the built binary; returns the CompletedProcess (text mode)."""
    proc = subprocess.run([str(BINARY), *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=timeout)
    if check_rc is not None:
        assert proc.returncode == check_rc, f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    return proc

import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = pathlib.Path(os.environ.get("TRITONPILE_BIN", ROOT / "build" / "cli" / "tritonpile"))


def tritonpile(*args, cwd=None, check_rc=None):
    """Runs the built binary; returns the CompletedProcess (text mode)."""
    proc = subprocess.run([str(BINARY), *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=900)
    if check_rc is not None:
        assert proc.returncode == check_rc, f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    return proc


@pytest.fixture(scope="session")
def binary():
    if not BINARY.exists():
        pytest.fail(f"{BINARY} is not built: run scripts/setup.sh")
    return BINARY

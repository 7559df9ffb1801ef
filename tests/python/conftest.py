import pytest

from tritonpile_testing import BINARY


@pytest.fixture(scope="session")
def binary():
    if not BINARY.exists():
        pytest.fail(f"{BINARY} is not built: run scripts/setup.sh")
    return BINARY

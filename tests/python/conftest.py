import json
import shutil

import pytest

from tritonpile_testing import BINARY, ROOT, tritonpile


@pytest.fixture(scope="session")
def binary():
    if not BINARY.exists():
        pytest.fail(f"{BINARY} is not built: run scripts/setup.sh")
    return BINARY


@pytest.fixture(scope="session")
def default_project(tmp_path_factory, binary):
    """The repository's own sources.json and curated/, after the README's run command."""
    project = tmp_path_factory.mktemp("project")
    shutil.copy(ROOT / "sources.json", project / "sources.json")
    shutil.copytree(ROOT / "curated", project / "curated", ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    first = tritonpile("run", cwd=project)
    return project, first

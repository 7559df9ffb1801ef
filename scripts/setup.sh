#!/usr/bin/env bash
# Sets up tritonpile on a fresh Debian 12 machine, idempotently: Debian packages, the Python
# venv (.venv) and the build (build/). A second run with everything present downloads nothing.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

packages=(build-essential cmake ninja-build pkg-config git
          libgit2-dev libtree-sitter-dev libjemalloc-dev nlohmann-json3-dev libsqlitecpp-dev libsqlite3-dev
          pybind11-dev python3-dev python3-venv libcurl4-openssl-dev libgtest-dev
          libxxhash-dev libcli11-dev libyaml-cpp-dev clang-14 libclang-rt-14-dev libfuzzer-14-dev)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# npm fetches the tree-sitter-python grammar at configure time; Node.js may come from elsewhere.
command -v npm >/dev/null || missing+=(npm)
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi

# Debian's python3 matches python3-dev, which the pybind11 module builds against.
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  /usr/bin/python3 -m venv .venv
fi
if ! .venv/bin/python - <<'PY' 2>/dev/null
import importlib.metadata as m
from packaging.requirements import Requirement
for line in open("python/requirements.txt"):
    line = line.split("#")[0].strip()
    if line:
        req = Requirement(line)
        assert req.specifier.contains(m.version(req.name), prereleases=True), req
PY
then
  echo "setup: installing Python packages (python/requirements.txt)"
  .venv/bin/pip install -q --upgrade pip packaging
  .venv/bin/pip install -q -r python/requirements.txt
fi

if [ ! -f build/CMakeCache.txt ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake --build build

# The Python module (`import tritonpile`), installed into .venv with pip when it is missing or
# older than the C++ it is built from.
module=$(.venv/bin/python -c "import tritonpile; print(tritonpile.__file__)" 2>/dev/null || true)
if [ -z "$module" ] || [ -n "$(find common extractor storage python/module.cc python/CMakeLists.txt \
      -newer "$module" -print -quit)" ]; then
  echo "setup: installing the Python module (pip install .)"
  .venv/bin/pip install -q --no-build-isolation .
fi

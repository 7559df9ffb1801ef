#!/usr/bin/env bash
# Sets up (scripts/setup.sh) and runs every test: the GoogleTest suites through ctest, then
# the pytest suites (end to end through the built binary, and the curated set itself).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
scripts/setup.sh
(cd build && ctest --output-on-failure -j "$(nproc)")
.venv/bin/python -m pytest -q tests/python curated

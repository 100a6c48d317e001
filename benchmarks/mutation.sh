#!/usr/bin/env bash
# Mutation testing of stage 1 (mechanisms/goods.py) and stage 3 (mechanisms/shares.py) with
# mutmut: docs/mutation.md says what it found and why each survivor is equivalent.
#
#   benchmarks/mutation.sh [VENV] [WORKERS]
#
# VENV (default ../mutvenv) is made on first use: mutmut in a venv of its own, which sees the
# project's test dependencies through a path file pointing at the project's venv (.venv, or
# PEERCONOMY_VENV), so mutmut never becomes a dependency of peerconomy. The settings (which
# files, which tests) are [tool.mutmut] in pyproject.toml. WORKERS (default 2) runs that many
# mutants at once. The working copy is mutants/ (ignored by git); delete it for a fresh run.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${1:-../mutvenv}
workers=${2:-2}
project_venv=${PEERCONOMY_VENV:-.venv}
if [ ! -x "$venv/bin/mutmut" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "mutmut==3.8.1"
  site=$("$project_venv/bin/python" -c "import site; print(site.getsitepackages()[0])")
  mine=$("$venv/bin/python" -c "import site; print(site.getsitepackages()[0])")
  echo "$site" > "$mine/peerconomy_deps.pth"  # the test dependencies, not peerconomy itself
fi
# the tests import peerconomy from mutants/src; the folder must exist before Python starts,
# or its path finder remembers it as missing
mkdir -p mutants/src
PYTHONPATH="$PWD/mutants/src" "$venv/bin/mutmut" run --max-children "$workers"
"$venv/bin/mutmut" export-cicd-stats
cat mutants/mutmut-cicd-stats.json
"$venv/bin/mutmut" results

#!/usr/bin/env bash
# The pre-commit integration with the real pre-commit from PyPI, configured as the
# README says (this repository as `repo`, its HEAD commit as `rev`), on a temporary git
# repository with a staged secret and a staged os.getenv. The hook must fail on both;
# after `shush check --fix` and re-staging, only the secret may remain. What is tested
# is the committed HEAD. Run by .ci/run (it needs the network to PyPI).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
shush="$repo/target/release/shush"
[[ -x $shush ]] || (cd "$repo" && cargo build --release --locked -q)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q pre-commit
export PATH="$work/venv/bin:$PATH"
export PRE_COMMIT_HOME="$work/cache"
# pre-commit builds shush once, with `cargo install` (the release profile), and caches
# it in PRE_COMMIT_HOME for the second run: in this repository's target directory, so
# that the dependencies the release build above compiled are reused.
export CARGO_TARGET_DIR="$repo/target"
rev=$(git -C "$repo" rev-parse HEAD)

mkdir "$work/app" && cd "$work/app"
git init -q -b main
git config user.email ci@example.com && git config user.name ci
cat > app.py <<'PY'
import os

TOKEN = os.getenv("API_TOKEN")
GITHUB_KEY = "ghp_FAKE23456789abcdefghijklmnopqrstuvwx"
PY
git add app.py
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $repo
    rev: $rev
    hooks:
      - id: shush
YAML
git add .pre-commit-config.yaml

passed=0 failed=0
check() { if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: ${*}"; cat out.txt; fi; }

pre-commit run > out.txt 2>&1 && status=0 || status=$?
check test "$status" -ne 0
check grep -q "py-os-getenv" out.txt
check grep -q "secret-github-pat" out.txt
check bash -c '! grep -q "ghp_FAKE23456789abcdefghijklmnopqrstuvwx" out.txt'

"$shush" check --fix app.py > /dev/null || true
git add app.py
pre-commit run > out.txt 2>&1 && status=0 || status=$?
check test "$status" -ne 0
check bash -c '! grep -q "py-os-getenv" out.txt'
check grep -q "secret-github-pat" out.txt
check grep -q 'get_config_value("api_token")' app.py

echo "pre-commit: $passed passed, $failed failed"
((failed == 0))

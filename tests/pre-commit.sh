#!/usr/bin/env bash
# The pre-commit integration with the real pre-commit from PyPI: `pre-commit try-repo`
# against this repository, on a temporary git repository with a staged secret and a
# staged os.getenv. The hook must fail on both; after `shush check --fix` and
# re-staging, only the secret may remain. Run by .ci/run (it needs the network to PyPI).
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
# pre-commit builds shush with `cargo install`: a quick profile and a kept target dir.
export CARGO_TARGET_DIR="$repo/target/pre-commit"
export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_DEBUG=false

mkdir "$work/app" && cd "$work/app"
git init -q -b main
git config user.email ci@example.com && git config user.name ci
cat > app.py <<'PY'
import os

TOKEN = os.getenv("API_TOKEN")
GITHUB_KEY = "ghp_FAKE23456789abcdefghijklmnopqrstuvwx"
PY
git add app.py

passed=0 failed=0
check() { if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: ${*}"; cat out.txt; fi; }

pre-commit try-repo "$repo" shush > out.txt 2>&1 && status=0 || status=$?
check test "$status" -ne 0
check grep -q "py-os-getenv" out.txt
check grep -q "secret-github-pat" out.txt
check bash -c '! grep -q "ghp_FAKE23456789abcdefghijklmnopqrstuvwx" out.txt'

"$shush" check --fix app.py > /dev/null || true
git add app.py
pre-commit try-repo "$repo" shush > out.txt 2>&1 && status=0 || status=$?
check test "$status" -ne 0
check bash -c '! grep -q "py-os-getenv" out.txt'
check grep -q "secret-github-pat" out.txt
check grep -q 'get_config_value("api_token")' app.py

echo "pre-commit: $passed passed, $failed failed"
((failed == 0))

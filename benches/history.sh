#!/usr/bin/env bash
# The table of issue 19 on a real history: `shush check --history` (and `--all`) against
# `kingfisher scan --git-history full`, wall time in one hyperfine call, then each one's
# peak RSS and what it counted.
#
#   benches/history.sh CLONE [SHUSH]
#
# CLONE is a full (not shallow) clone; it is not fetched here. The measured one
# (benches/README.md) is rust-lang/cargo, 23,077 commits from HEAD. SHUSH defaults to
# target/release/shush. Needs hyperfine, kingfisher (`pip install kingfisher-bin`,
# `apt-get install -y hyperfine`) and GNU time. Extra hyperfine options may come in
# HYPERFINE_OPTS (default -w 1 -r 3).
set -euo pipefail

clone=$(realpath "${1:?usage: benches/history.sh CLONE [SHUSH]}")
shush=$(realpath "${2:-target/release/shush}")
kingfisher=${KINGFISHER:-$(command -v kingfisher)}
# pip's entry point for kingfisher is a Python script that starts the binary: time the
# binary itself.
if head -c 2 "$kingfisher" | grep -q '#!'; then
    kingfisher=$("$(head -1 "$kingfisher" | cut -c3-)" -c 'import kingfisher, os; print(os.path.dirname(kingfisher.__file__))')/bin/kingfisher
fi
cd "$clone"
echo "commits from HEAD: $(git rev-list --count HEAD), from every ref: $(git rev-list --count --all)"
commands=(
    "$shush check --history --format json"
    "$shush check --all --format json"
    "$kingfisher scan . --git-history full --no-validate --format json"
)
# Exit codes say "found something"; only the time is compared here.
# shellcheck disable=SC2086
hyperfine ${HYPERFINE_OPTS:--w 1 -r 3} -i -N "${commands[@]}"
for c in "${commands[@]}"; do
    # shellcheck disable=SC2086
    /usr/bin/time -f "%M KB peak: $c" $c >/dev/null 2>"$clone/../time.err" || true
    tail -1 "$clone/../time.err"
done
"$shush" check --all --stats --format json 2>&1 >/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    if line.startswith("{") and "history" in line:
        h = json.loads(line)["history"]
        print("shush --all: {commits} commits, {trees} trees, {blobs_seen} blobs seen, {blobs_scanned} scanned, {mb:.0f} MB".format(mb=h["bytes"] / 1e6, **h))
'

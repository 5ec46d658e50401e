#!/usr/bin/env bash
# The table of issue 17 on a tree of real repositories: shush's whole check against
# ripgrep's count of seven trigger words, kingfisher (secrets only) and ast-grep
# (environment reads only), wall time in one hyperfine call, then each one's peak RSS.
#
#   benches/real.sh TREE [SHUSH]
#
# TREE is a directory of work trees; it is not fetched here. The measured one
# (benches/README.md) holds snapshots of PrefectHQ/prefect, documenso/documenso,
# dubinc/dub and rust-lang/cargo, each made with
#   git --git-dir=MIRROR archive HEAD | tar -x -C TREE/NAME
# SHUSH defaults to target/release/shush. Needs hyperfine, rg, kingfisher, ast-grep
# (`pip install kingfisher-bin ast-grep-cli`, `apt-get install -y ripgrep hyperfine`)
# and GNU time. Extra hyperfine options may come in HYPERFINE_OPTS (default -w 1 -r 5).
set -euo pipefail

tree=${1:?usage: benches/real.sh TREE [SHUSH]}
shush=$(realpath "${2:-target/release/shush}")
kingfisher=${KINGFISHER:-$(command -v kingfisher)}
astgrep=${AST_GREP:-$(command -v ast-grep)}
# pip's entry point for kingfisher is a Python script that starts the binary: time the
# binary itself.
if head -c 2 "$kingfisher" | grep -q '#!'; then
    kingfisher=$(python3 -c 'import kingfisher, os; print(os.path.dirname(kingfisher.__file__))')/bin/kingfisher
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -n "${KEEP:-}" ] && trap - EXIT && echo "work: $work"
# ast-grep's patterns for the environment reads shush's packs find, one rule per
# language (ast-grep runs a rule on its language's files only).
ts_rule() {
    cat <<RULE
id: env-read-$1
language: $1
rule:
  any:
    - pattern: process.env.\$A
    - pattern: process.env[\$A]
    - pattern: import.meta.env.\$A
    - pattern: Deno.env.get(\$A)
    - pattern: Bun.env.\$A
RULE
}
{
    ts_rule TypeScript; echo ---
    ts_rule Tsx; echo ---
    ts_rule JavaScript; echo ---
    cat <<'RULE'
id: env-read-python
language: Python
rule:
  any:
    - pattern: os.getenv($$$)
    - pattern: os.environ.get($$$)
    - pattern: os.environ[$A]
    - pattern: getenv($$$)
    - pattern: environ[$A]
---
id: env-read-rust
language: Rust
rule:
  any:
    - pattern: std::env::var($A)
    - pattern: std::env::var_os($A)
    - pattern: env::var($A)
    - pattern: env::var_os($A)
    - pattern: env!($$$)
    - pattern: option_env!($$$)
RULE
} > "$work/sgconfig-rules.yml"

rg_cmd="rg -c 'getenv|environ|process\\.env|env::|password|secret|token' $tree"
shush_cmd="$shush check $tree --format json --exit-zero"
kf_cmd="$kingfisher scan --no-validate --no-update-check --format json $tree"
sg_cmd="$astgrep scan --rule $work/sgconfig-rules.yml --json=compact $tree"

echo "tree: $tree ($(du -sb "$tree" | cut -f1) bytes, $(find "$tree" -type f | wc -l) files)"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
# shellcheck disable=SC2086
hyperfine ${HYPERFINE_OPTS:--w 1 -r 5} -i -N --export-markdown "$work/wall.md" \
    -n "rg -c (7 words)" "$rg_cmd" \
    -n "shush check --format json" "$shush_cmd" \
    -n "kingfisher --no-validate" "$kf_cmd" \
    -n "ast-grep (env reads)" "$sg_cmd"
cat "$work/wall.md"

echo
echo "| command | peak RSS |"
echo "|---|---|"
for pair in "rg -c (7 words)|$rg_cmd" "shush check --format json|$shush_cmd" \
    "kingfisher --no-validate|$kf_cmd" "ast-grep (env reads)|$sg_cmd"; do
    name=${pair%%|*}
    cmd=${pair#*|}
    # shellcheck disable=SC2086
    # kingfisher exits non-zero when it finds something.
    kb=$({ eval command /usr/bin/time -f %M $cmd 2>&1 >/dev/null || true; } | tail -n 1)
    echo "| $name | $((kb / 1024)) MB |"
done

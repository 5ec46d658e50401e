#!/bin/sh
# Seeds fuzz/corpus/<target>/ from the fixtures (run from anywhere; the corpus is not
# committed). The typescript and fix targets read a selector byte first: t/x/j for
# .ts/.tsx/.js, and, in the fix target, p/r for Python and Rust.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
fixtures=$(cd "$here/../fixtures" && pwd)
corpus="$here/corpus"
mkdir -p "$corpus/python" "$corpus/typescript" "$corpus/rust" "$corpus/secrets" "$corpus/fix"

# copy FILE TARGET PREFIX: the file's bytes after PREFIX, named by its fixture path.
copy() {
    name=$(printf '%s' "${1#"$fixtures"/}" | tr '/' '_')
    { printf '%s' "$3"; cat "$1"; } >"$corpus/$2/$name"
}

find "$fixtures" -type f | while read -r f; do
    case "$f" in
    */secrets/*) copy "$f" secrets "" ;;
    esac
    case "$f" in
    *.py | */python/manage) copy "$f" python "" && copy "$f" fix p ;;
    *.ts | *.mts | *.cts) copy "$f" typescript t && copy "$f" fix t ;;
    *.tsx | *.jsx) copy "$f" typescript x && copy "$f" fix x ;;
    *.js | *.mjs | *.cjs) copy "$f" typescript j && copy "$f" fix j ;;
    *.rs) copy "$f" rust "" && copy "$f" fix r ;;
    esac
done
for t in python typescript rust secrets fix; do
    echo "$t: $(find "$corpus/$t" -type f | wc -l) seeds"
done

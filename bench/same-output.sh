#!/usr/bin/env bash
# Proves that a change leaves charted's output byte for byte the same: builds
# the example site, the needs-attention fixture and a generated corpus site
# with the charted of BASE and with the charted of the work tree, and compares
# every file. For refactors, which must not change a byte.
#
#   bench/same-output.sh main~3          # 10,000-item corpus
#   N=1000 bench/same-output.sh main~3   # a quicker run
#
# Both binaries are release builds sharing this checkout's target folder
# (BASE is built in a temporary worktree). Exits 1 and lists the files that
# differ when any does.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:?"usage: bench/same-output.sh BASE-REVISION (e.g. main~1)"}
n=${N:-10000}
root=$PWD
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
work=$CARGO_TARGET_DIR/same-output
rm -rf "$work"
mkdir -p "$work"

build_binary() { # revision folder → copies charted to $work/charted-$2
  (cd "$1" && cargo build --release --quiet --bin charted)
  cp "$CARGO_TARGET_DIR/release/charted" "$work/charted-$2"
}

git worktree add --quiet --detach "$work/base-tree" "$base"
trap 'git worktree remove --force "$work/base-tree" 2>/dev/null || true' EXIT
build_binary "$work/base-tree" base
build_binary "$root" head
cargo build --release --quiet --example corpus
"$CARGO_TARGET_DIR/release/examples/corpus" "$n" "$work/corpus-site" >/dev/null

# The date and the highlight cache are fixed, so the only variable is the binary.
export SOURCE_DATE_EPOCH=1764460800 CHARTED_CACHE_DIR=
status=0
for site in example-site tests/fixtures/needs-attention "$work/corpus-site"; do
  name=$(basename "$site")
  for which in base head; do
    "$work/charted-$which" build "$site" --out "$work/out-$which/$name" >/dev/null 2>&1 ||
      { echo "charted ($which) failed to build $site" >&2; exit 2; }
  done
  files=$(find "$work/out-head/$name" -type f | wc -l)
  if diff -rq "$work/out-base/$name" "$work/out-head/$name" >"$work/diff-$name.txt"; then
    echo "same: $site ($files files)"
  else
    echo "DIFFERENT: $site ($(wc -l <"$work/diff-$name.txt") files differ; first ones below)"
    head -5 "$work/diff-$name.txt"
    status=1
  fi
done
exit "$status"

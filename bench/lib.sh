# shellcheck shell=bash
# Shell functions the benchmarks share (sourced by bench/run.sh and bench/history.sh).

# Runs a command under /usr/bin/time; prints "wall_s cpu_s peak_mib".
measure() {
  local log
  log=$(mktemp)
  /usr/bin/time -f "%e %U %S %M" -o "$log" "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; cat "$log" >&2; }
  awk '{ printf "%.2f %.2f %.0f\n", $1, $2 + $3, $4 / 1024 }' "$log"
  rm -f "$log"
}

# Writes TABLE into docs/performance.md between <!-- MARKER:START --> and
# <!-- MARKER:END -->, when the page has them.
write_table() {
  local marker=$1 table=$2 doc=docs/performance.md
  if grep -q "<!-- $marker:START -->" "$doc"; then
    awk -v table="$table" -v start="<!-- $marker:START -->" -v end="<!-- $marker:END -->" '
      $0 == start { print; print table; skip = 1; next }
      $0 == end { skip = 0 }
      !skip { print }
    ' "$doc" > "$doc.tmp" && mv "$doc.tmp" "$doc"
    echo "updated $doc" >&2
  fi
}

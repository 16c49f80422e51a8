#!/usr/bin/env bash
# Benchmarks charted against Hugo on generated corpora of 1,000, 10,000 and
# 100,000 items (override with SIZES="1000 10000"), and measures serve's
# edit → reload latency. Prints a Markdown table and writes it into
# docs/performance.md between the BENCH markers.
#
#   bench/run.sh                # all sizes
#   SIZES=1000 bench/run.sh     # a quick run
#
# Needs: cargo, /usr/bin/time (Debian package `time`) and hugo (Debian package
# `hugo`; installed here when missing). Works in a scratch folder under target/.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-"1000 10000 100000"}
work=target/bench
mkdir -p "$work"

command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
command -v hugo >/dev/null || { apt-get update -qq && apt-get install -y -qq hugo; }
cargo build --release --quiet --bin charted --example corpus --example reload_bench
charted=target/release/charted

# Runs a command under /usr/bin/time; prints "wall_s cpu_s peak_mib".
measure() {
  local log
  log=$(mktemp)
  /usr/bin/time -f "%e %U %S %M" -o "$log" "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; cat "$log" >&2; }
  awk '{ printf "%.2f %.2f %.0f\n", $1, $2 + $3, $4 / 1024 }' "$log"
  rm -f "$log"
}

rows=()
for n in $SIZES; do
  site="$work/site-$n"; twin="$work/hugo-$n"
  if [ ! -d "$site" ]; then
    rm -rf "$twin"
    target/release/examples/corpus "$n" "$site" --hugo "$twin" >/dev/null
  fi
  rm -rf "$work/out-$n" "$work/hugo-out-$n"
  read -r c_wall c_cpu c_mem < <(measure "$charted" build "$site" --out "$work/out-$n")
  read -r k_wall _ k_mem < <(measure "$charted" check "$site")
  read -r h_wall h_cpu h_mem < <(measure hugo --quiet --source "$twin" --destination "$PWD/$work/hugo-out-$n")
  ratio=$(awk -v h="$h_wall" -v c="$c_wall" 'BEGIN { printf "%.1f×", (c > 0 ? h / c : 0) }')
  reload="—"
  if [ "$n" -le 10000 ]; then
    reload=$(target/release/examples/reload_bench "$site" 20 2>/dev/null | sed -n 's/.*median \([0-9.]*\) ms, p95 \([0-9.]*\) ms/\1 ms (p95 \2 ms)/p')
  fi
  rows+=("| $n | $c_wall s | $c_cpu s | $c_mem MiB | $k_wall s | $h_wall s | $h_mem MiB | $ratio | $reload |")
  echo "${rows[-1]}" >&2
done

machine="$(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GiB, $(uname -m)"
table=$(
  echo "Measured $(date -u +%Y-%m-%d) on $machine with \`bench/run.sh\`; Hugo $(hugo version | awk '{ print $2 }')."
  echo
  echo "| items | charted build (wall) | charted CPU | charted peak RSS | charted check | Hugo build (wall) | Hugo peak RSS | Hugo ÷ charted | serve reload, median |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
)
echo "$table"
doc=docs/performance.md
if grep -q '<!-- BENCH:START -->' "$doc"; then
  awk -v table="$table" '
    /<!-- BENCH:START -->/ { print; print table; skip = 1; next }
    /<!-- BENCH:END -->/ { skip = 0 }
    !skip { print }
  ' "$doc" > "$doc.tmp" && mv "$doc.tmp" "$doc"
  echo "updated $doc" >&2
fi

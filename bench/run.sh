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
# `hugo`; installed here when missing). Works in a scratch folder under target/;
# both tools write their output to /dev/shm when it exists (BENCH_OUT=DIR to
# choose), so the table measures the generators rather than a virtual disk.
#
# charted is measured cold (highlight cache off) and warm (the cache filled by
# a previous build, as on a CI machine that keeps ~/.cache/charted).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-"1000 10000 100000"}
work=target/bench
mkdir -p "$work"

command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
command -v hugo >/dev/null || { apt-get update -qq && apt-get install -y -qq hugo; }
cargo build --release --quiet --bin charted --example corpus --example reload_bench
charted=target/release/charted

# shellcheck source=bench/lib.sh
source bench/lib.sh

out_root=${BENCH_OUT:-$([ -d /dev/shm ] && echo /dev/shm/charted-bench || echo "$PWD/$work")}
mkdir -p "$out_root"
cache="$work/highlight-cache"

rows=()
for n in $SIZES; do
  site="$work/site-$n"; twin="$work/hugo-$n"
  if [ ! -d "$site" ]; then
    rm -rf "$twin"
    target/release/examples/corpus "$n" "$site" --hugo "$twin" >/dev/null
  fi
  # Both tools read their input from the page cache, not the virtual disk
  # (which adds seconds at random): read every file once before timing.
  find "$site" "$twin" -type f -exec cat {} + >/dev/null
  out="$out_root/out-$n"; hugo_out="$out_root/hugo-out-$n"
  rm -rf "$out" "$hugo_out" "$cache"
  read -r c_wall c_cpu c_mem < <(CHARTED_CACHE_DIR='' measure "$charted" build "$site" --out "$out")
  rm -rf "$out"
  CHARTED_CACHE_DIR="$cache" "$charted" build "$site" --out "$out" >/dev/null 2>&1
  rm -rf "$out"
  read -r w_wall _ w_mem < <(CHARTED_CACHE_DIR="$cache" measure "$charted" build "$site" --out "$out")
  rm -rf "$out" "$cache"
  read -r k_wall _ _ < <(measure "$charted" check "$site")
  read -r h_wall _ h_mem < <(measure hugo --quiet --source "$twin" --destination "$hugo_out")
  rm -rf "$hugo_out"
  ratio=$(awk -v h="$h_wall" -v c="$c_wall" 'BEGIN { printf "%.1f×", (c > 0 ? h / c : 0) }')
  reload="—"; reload_front="—"
  latency() { sed -n 's/.*median \([0-9.]*\) ms, p95 \([0-9.]*\) ms/\1 ms (p95 \2 ms)/p'; }
  if [ "$n" -le 10000 ]; then
    reload=$(CHARTED_CACHE_DIR='' target/release/examples/reload_bench "$site" 20 2>/dev/null | latency)
    reload_front=$(CHARTED_CACHE_DIR='' target/release/examples/reload_bench "$site" 20 --front 2>/dev/null | latency)
  fi
  rows+=("| $n | $c_wall s | $c_cpu s | $c_mem MiB | $w_wall s | $w_mem MiB | $k_wall s | $h_wall s | $h_mem MiB | $ratio | $reload | $reload_front |")
  echo "${rows[-1]}" >&2
done

machine="$(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GiB, $(uname -m)"
table=$(
  echo "Measured $(date -u +%Y-%m-%d) on $machine with \`bench/run.sh\`; Hugo $(hugo version | awk '{ print $2 }'); output written to $out_root."
  echo
  echo "| items | charted build, cold (wall) | charted CPU | charted peak RSS | charted build, warm cache (wall) | warm peak RSS | charted check | Hugo build (wall) | Hugo peak RSS | Hugo ÷ charted (cold) | reload after a prose edit, median | reload after a front-matter edit, median |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
)
echo "$table"
write_table BENCH "$table"

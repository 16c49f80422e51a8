#!/usr/bin/env bash
# Benchmarks history: a generated corpus of N items made into a git
# repository with 12 quarterly reviews (tags review-1 … review-12), each
# changing about 10% of the files, built with history and without it
# (`history: false`). Prints a Markdown table and writes it into
# docs/performance.md between the HISTORY markers.
#
#   bench/history.sh                 # 1,000 and 10,000 items
#   SIZES=1000 bench/history.sh      # a quick run
#
# Needs: cargo, git, perl and /usr/bin/time (Debian package `time`).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-"1000 10000"}
REVIEWS=${REVIEWS:-12}
RUNS=${RUNS:-3}
work=target/bench
mkdir -p "$work"
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
cargo build --release --quiet --bin charted --example corpus
charted=$PWD/target/release/charted
out_root=${BENCH_OUT:-$([ -d /dev/shm ] && echo /dev/shm/charted-bench || echo "$PWD/$work")}
mkdir -p "$out_root"

# shellcheck source=bench/lib.sh
source bench/lib.sh

# The fastest of $RUNS runs (wall), with that run's CPU and memory.
best() {
  local best_line="" line
  for _ in $(seq "$RUNS"); do
    line=$(measure "$@")
    if [ -z "$best_line" ] || awk -v a="${line%% *}" -v b="${best_line%% *}" 'BEGIN { exit !(a < b) }'; then
      best_line=$line
    fi
  done
  echo "$best_line"
}

# A repository of the corpus with $REVIEWS reviews, each editing a tenth of
# the files (a different tenth each time): pains' reach, other kinds' bodies.
make_repo() {
  local n=$1 repo=$2
  rm -rf "$repo" && mkdir -p "$repo"
  target/release/examples/corpus "$n" "$repo/site" >/dev/null
  cd "$repo"
  git init -q -b main .
  git config user.name bench && git config user.email bench@example.invalid && git config commit.gpgsign false
  mapfile -t files < <(find site/content -name '*.md' | sort)
  for r in $(seq "$REVIEWS"); do
    if [ "$r" -gt 1 ]; then
      for i in "${!files[@]}"; do
        if [ $(((i + r) % 10)) -eq 0 ]; then printf '%s\0' "${files[$i]}"; fi
      done | xargs -0 perl -0pi -e "s/^reach: (\d+)/'reach: '.(\$1 + $r)/me or \$_ .= \"\nReviewed again in review $r.\n\""
    fi
    local month=$(((r - 1) % 4 * 3 + 3)) year=$((2023 + (r - 1) / 4))
    local when
    when="$year-$(printf %02d "$month")-28T12:00:00Z"
    export GIT_AUTHOR_DATE="$when" GIT_COMMITTER_DATE="$when"
    git add -A && git commit -q -m "Review $r" && git tag -a "review-$r" -m "Review $r"
  done
  # One more edit after the last review, as a working week would make.
  # shellcheck disable=SC2016 # Perl's $_, not the shell's.
  printf '%s\0' "${files[@]:0:$((n / 100 + 1))}" | xargs -0 perl -0pi -e '$_ .= "\nEdited since.\n"'
  git commit -qam "Work since the last review"
  # Packed, as a clone (a CI checkout) has it.
  git gc --quiet
  cd - >/dev/null
}

rows=()
for n in $SIZES; do
  repo="$work/history-$n"
  [ -d "$repo/.git" ] || make_repo "$n" "$repo"
  site="$repo/site"
  find "$repo" -type f -exec cat {} + >/dev/null
  out="$out_root/history-out-$n"
  config="$site/charted.yaml"
  cp "$config" "$config.orig"
  printf '\nhistory: false\n' >> "$config"
  read -r off_wall off_cpu off_mem < <(CHARTED_CACHE_DIR='' best "$charted" build "$site" --out "$out" --force)
  cp "$config.orig" "$config"
  read -r on_wall on_cpu on_mem < <(CHARTED_CACHE_DIR='' best "$charted" build "$site" --out "$out" --force)
  read -r h_wall _ _ < <(best "$charted" history "$site")
  rm -f "$config.orig"
  rm -rf "$out"
  ratio=$(awk -v a="$on_wall" -v b="$off_wall" 'BEGIN { printf "%.2f×", (b > 0 ? a / b : 0) }')
  rows+=("| $n | $REVIEWS | $off_wall s | $off_cpu s | $off_mem MiB | $on_wall s | $on_cpu s | $on_mem MiB | $ratio | $h_wall s |")
  echo "${rows[-1]}" >&2
done

machine="$(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GiB, $(uname -m)"
table=$(
  echo "Measured $(date -u +%Y-%m-%d) on $machine with \`bench/history.sh\` (fastest of $RUNS cold builds each, highlight cache off)."
  echo
  echo "| items | reviews | build without history (wall) | its CPU | its peak RSS | build with history (wall) | its CPU | its peak RSS | with ÷ without | \`charted history\` |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
)
echo "$table"
write_table HISTORY "$table"

#!/usr/bin/env bash
# Screenshots of every view of a built site, light and dark, for a human to look at.
#   tests/browser/screenshots.sh BUILT_SITE_DIR OUT_DIR [PREFIX]
# WIDTH=390 takes them at a phone's width (default 1280), named with the width.
set -euo pipefail
site=$(cd "$1" && pwd); out=$2; prefix=${3:-}; width=${WIDTH:-1280}
mkdir -p "$out"
views=(index.html charter/index.html vision/index.html pain/index.html solutions/index.html roadmap/index.html
  experiments/index.html discovery/index.html slas/index.html pain/_by/bucket/slow-feedback/index.html
  changes/index.html org/index.html org/roadmap/index.html org/users/index.html org/discovery/index.html)
for view in "${views[@]}"; do
  [ -f "$site/$view" ] || continue
  name=$prefix${WIDTH:+$width-}$(echo "${view%/index.html}" | tr '/' '-' | sed 's/^index.html$/dashboard/')
  for mode in light dark; do
    extra=()
    [ "$mode" = dark ] && extra=(--force-dark-mode --blink-settings=preferredColorScheme=0)
    chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
      --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$(mktemp -d)" \
      --window-size="$width",1800 "${extra[@]}" --screenshot="$out/$name-$mode.png" "file://$site/$view" 2>/dev/null
  done
done
ls "$out"

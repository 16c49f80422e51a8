# Installs charted $CHARTED_VERSION from its release binary, checksum verified.
# One source: src/scaffold/install.sh in charted's repository, which `charted init`
# copies into the site's workflow and charted's GitHub Action (action.yml) runs.
# Environment:
#   CHARTED_VERSION        the version to install, e.g. 0.1.0 (required)
#   CHARTED_REPOSITORY     charted's repository address (required)
#   CHARTED_DOWNLOAD_BASE  where the release assets are (default: the repository's release v<version>)
#   CHARTED_INSTALL_DIR    the folder charted goes into (default: ~/.charted/bin), added to $GITHUB_PATH
#   CHARTED_SOURCE_DIR     a checkout of charted to build from when there is no release binary
set -euo pipefail
version="${CHARTED_VERSION#v}"
repo="${CHARTED_REPOSITORY%/}"
base="${CHARTED_DOWNLOAD_BASE:-$repo/releases/download/v$version}"
dir="${CHARTED_INSTALL_DIR:-$HOME/.charted/bin}"
exe=charted
case "$(uname -s)" in MINGW* | MSYS* | CYGWIN* | Windows_NT) exe=charted.exe ;; esac
mkdir -p "$dir"

on_path() {
  local installed entry="$dir"
  installed="$("$dir/$exe" --version)"
  # On Windows the runner wants C:\ paths, not Git Bash's /c/ ones.
  if command -v cygpath >/dev/null 2>&1; then entry="$(cygpath -w "$dir")"; fi
  if [ -n "${GITHUB_PATH:-}" ]; then echo "$entry" >>"$GITHUB_PATH"; fi
  echo "charted: ready, $installed in $dir"
}

# A binary restored from the cache: nothing to download.
if [ -x "$dir/$exe" ] && [ "$("$dir/$exe" --version 2>/dev/null)" = "charted $version" ]; then
  on_path
  exit 0
fi

# The release asset built for this machine (names: .github/workflows/release.yml).
target=""
case "$(uname -s)/$(uname -m)" in
  Linux/x86_64 | Linux/amd64) target=x86_64-unknown-linux-gnu ;;
  Linux/aarch64 | Linux/arm64) target=aarch64-unknown-linux-gnu ;;
  Darwin/x86_64) target=x86_64-apple-darwin ;;
  Darwin/arm64 | Darwin/aarch64) target=aarch64-apple-darwin ;;
  MINGW*/x86_64 | MSYS*/x86_64 | CYGWIN*/x86_64 | Windows_NT/x86_64) target=x86_64-pc-windows-msvc ;;
esac
ext=tar.gz
if [ "$target" = x86_64-pc-windows-msvc ]; then ext=zip; fi

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1"; else shasum -a 256 "$1"; fi | cut -d ' ' -f 1
}

# Downloads, verifies and unpacks the asset into $dir, and sets `fetched`; leaves it
# unset when the asset cannot be downloaded; exits (never installs) when its checksum
# is wrong. Called as a plain command, not in a condition, so `set -e` holds inside.
fetched=""
from_release() {
  local tmp archive="charted-$target.$ext"
  tmp="$(mktemp -d)"
  echo "charted: downloading $base/$archive"
  if ! curl --fail --silent --show-error --location --retry 3 --connect-timeout 10 \
    -o "$tmp/$archive" "$base/$archive" ||
    ! curl --fail --silent --show-error --location --retry 3 --connect-timeout 10 \
      -o "$tmp/charted-$target.sha256" "$base/charted-$target.sha256"; then
    rm -rf "$tmp"
    return 0
  fi
  local expected actual
  expected="$(cut -d ' ' -f 1 <"$tmp/charted-$target.sha256" | head -n 1 | tr 'A-F' 'a-f')"
  actual="$(sha256 "$tmp/$archive")"
  if [ -z "$expected" ] || [ "$expected" != "$actual" ]; then
    echo "::error::charted: checksum mismatch for $archive (expected '$expected', got '$actual'); nothing was installed. Retry; if it persists, report it at $repo/issues"
    rm -rf "$tmp"
    exit 1
  fi
  echo "charted: checksum verified ($actual)"
  mkdir "$tmp/unpacked"
  if [ "$ext" = zip ]; then
    if command -v unzip >/dev/null 2>&1; then unzip -q "$tmp/$archive" -d "$tmp/unpacked"; else 7z x -y -o"$tmp/unpacked" "$tmp/$archive" >/dev/null; fi
  else
    tar -xzf "$tmp/$archive" -C "$tmp/unpacked"
  fi
  mv -f "$tmp/unpacked/$exe" "$dir/$exe"
  chmod +x "$dir/$exe"
  rm -rf "$tmp"
  fetched=yes
}

# Compiles charted: from CHARTED_SOURCE_DIR, else from the release's tag.
from_source() {
  local root
  root="$(mktemp -d)"
  if [ -n "${CHARTED_SOURCE_DIR:-}" ]; then
    cargo install --locked --root "$root" --path "$CHARTED_SOURCE_DIR"
  else
    cargo install --locked --root "$root" --git "$repo" --tag "v$version" charted
  fi
  mv -f "$root/bin/$exe" "$dir/$exe"
  rm -rf "$root"
}

if [ -z "$target" ]; then
  echo "::warning::charted: no release binary for $(uname -s)/$(uname -m); compiling charted $version from source with cargo (a few minutes)"
  from_source
else
  from_release
  if [ -z "$fetched" ]; then
    echo "::warning::charted: could not download the release binary for $target from $base; compiling charted $version from source with cargo (a few minutes)"
    from_source
  fi
fi
on_path

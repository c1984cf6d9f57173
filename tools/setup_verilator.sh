#!/usr/bin/env bash
# Find a Verilator >= 5.036 (cocotb 2.x refuses older ones) or build 5.048 from
# the Debian unstable source package into a cache outside the repository, so
# that a fresh clone (CI) reuses it. Prints the verilator executable's path on
# the last line of stdout; everything else goes to stderr.
set -euo pipefail

MIN_VERSION=5.036
BUILD_VERSION=5.048
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/vsq-accel"
ROOT="$CACHE/verilator-$BUILD_VERSION"

log() { printf 'setup_verilator: %s\n' "$*" >&2; }

# version_ok EXE: true when EXE reports a version >= MIN_VERSION.
version_ok() {
  local v
  v=$("$1" --version 2>/dev/null | awk '{print $2}') || return 1
  [ -n "$v" ] || return 1
  [ "$(printf '%s\n%s\n' "$MIN_VERSION" "$v" | sort -V | head -n1)" = "$MIN_VERSION" ]
}

for cand in "$(command -v verilator 2>/dev/null || true)" "$ROOT/bin/verilator"; do
  if [ -n "$cand" ] && [ -x "$cand" ] && version_ok "$cand"; then
    echo "$cand"
    exit 0
  fi
done

command -v apt-get >/dev/null || {
  log "no Verilator >= $MIN_VERSION on PATH and no apt-get to build one; install Verilator >= $MIN_VERSION and put it on PATH"
  exit 1
}

log "no Verilator >= $MIN_VERSION found; building $BUILD_VERSION from Debian's source package into $ROOT (about 10 minutes on 2 cores)"
export DEBIAN_FRONTEND=noninteractive
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
$SUDO apt-get install -y -qq bison flex libfl-dev help2man autoconf dpkg-dev g++ make perl python3 ccache >&2

# A private apt configuration: a deb-src entry for unstable that does not
# touch the machine's own sources or package lists.
work="$CACHE/verilator-src"
apt_dir="$work/apt"
rm -rf "$work"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian unstable main" \
  >"$apt_dir/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
          -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache")
apt-get "${apt_opts[@]}" update -qq >&2
(cd "$work" && apt-get "${apt_opts[@]}" source "verilator=$BUILD_VERSION-*" >&2 2>&1) || (cd "$work" && apt-get "${apt_opts[@]}" source verilator >&2)
src=$(find "$work" -maxdepth 1 -type d -name "verilator-$BUILD_VERSION*" | head -n1)
[ -n "$src" ] || { log "apt-get source did not unpack verilator-$BUILD_VERSION"; exit 1; }

# Build in place: only the optimized verilator_bin and the coverage tool, not
# the debug binary or the manuals.
rm -rf "$ROOT"
mv "$src" "$ROOT"
cd "$ROOT"
unset VERILATOR_ROOT
autoconf >&2
./configure >&2
jobs=$(nproc 2>/dev/null || echo 2)
make -C src -j"$jobs" opt >&2
make -C src -j"$jobs" ../bin/verilator_coverage_bin_dbg >&2
rm -rf "$work" src/obj_opt src/obj_dbg
version_ok "$ROOT/bin/verilator" || { log "the build finished but $ROOT/bin/verilator does not run"; exit 1; }
log "built $("$ROOT/bin/verilator" --version)"
echo "$ROOT/bin/verilator"

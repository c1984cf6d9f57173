# VSQ accelerator: RTL, reference model and verification.
# `make help` lists the targets. Every target prepares what it needs (setup).

SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := help

# Tools: the project's venv and the cached Verilator come first on PATH.
VERILATOR_CACHE := $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/vsq-accel/verilator-5.048/bin
export PATH := $(CURDIR)/.venv/bin:$(VERILATOR_CACHE):$(PATH)
PY := $(CURDIR)/.venv/bin/python

# Knobs (see README)
TEST ?=
SIM ?= icarus
SEED ?=
PARAMS ?= fast
WAVES ?=
COVERAGE ?=
REGRESSION ?= smoke
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
SEEDS ?=
RERUN ?=
LAUNCHER ?= local
PARTITION ?=
ACCOUNT ?=
SLURM_ARGS ?=
CASE ?=
OUT ?=
MUTANTS ?= 300
MODULES ?=
DEPTH ?= nightly

SIM_FLAGS = --test "$(TEST)" --sim "$(SIM)" --params "$(PARAMS)" \
	$(if $(SEED),--seed $(SEED)) $(if $(filter 1 yes true,$(WAVES)),--waves) \
	$(if $(filter 1 yes true,$(COVERAGE)),--coverage)

.PHONY: help setup test test-models test-slurm lint sim list-tests regress mutate run-case bench accuracy qat ip formal formal-ci clean

help:
	@echo "make setup                     install/check everything (apt, .venv, Verilator)"
	@echo "make test                      model unit tests + quick simulator tests (both simulators)"
	@echo "make regress [REGRESSION=smoke|nightly] [SIM=..] [JOBS=..] [SEEDS=..]   the main job: regression + report"
	@echo "make regress RERUN=n           rerun up to n failing jobs once with waves (default 2, 0: none)"
	@echo "make regress BATCH=n           jobs of one build per simulator process (default 32, 1: each alone)"
	@echo "make regress REGRESSION=.. REPORT_ONLY=1   re-merge and re-report the last run (after editing exclusions)"
	@echo "make regress LAUNCHER=slurm [PARTITION=..] [ACCOUNT=..] [SLURM_ARGS=\"..\"]   the same through Slurm (docs/slurm.md)"
	@echo "make test-slurm                the Slurm launcher against a throw-away single-node Slurm (root)"
	@echo "make mutate [MUTANTS=300] [MODULES=a,b] [SEED=n] [DEPTH=own|smoke|nightly] [JOBS=..] [LAUNCHER=..]   mutation score (build/mutate/)"
	@echo "make sim TEST=name [SIM=icarus|verilator] [SEED=n] [PARAMS=fast|paper] [WAVES=1]"
	@echo "make list-tests                every simulator test and its testbench"
	@echo "make lint                      verilator --lint-only -Wall over rtl/"
	@echo "make formal                    SymbiYosys proofs of formal/ (AXI protocols, invariants): build/formal/summary.md"
	@echo "make formal-ci                 the small formal set run by CI (a few minutes)"
	@echo "make run-case CASE=in.npz OUT=out.npz [SIM=..]"
	@echo "make bench                     benchmarks (build/bench/)"
	@echo "make ip                        C header, IP-XACT, register reference from rdl/vsq_top.rdl (build/ip/)"
	@echo "make accuracy                  MiniLM-L6 through the bit-exact numerics vs FP32 (build/accuracy/)"
	@echo "make qat                       QAT of MiniLM-L6 (torch, build/accuracy/qat/; make accuracy then adds vsq4_qat)"
	@echo "make clean"

setup:
	@bash tools/setup.sh

test: setup
	$(PY) -m pytest tests -n $(JOBS) -q

test-models: setup
	$(PY) -m pytest tests/models -n $(JOBS) -q

lint: setup
	@bash tools/lint.sh

formal: setup
	@$(PY) -m tools.formal

formal-ci: setup
	@$(PY) -m tools.formal --ci

sim: setup
	@$(PY) -m tb.sim $(SIM_FLAGS)

list-tests: setup
	@$(PY) -m tb.sim --list

regress: setup
	@$(PY) -m tools.regress --regression "$(REGRESSION)" --jobs "$(JOBS)" \
		$(if $(filter command line,$(origin SIM)),--sim "$(SIM)") $(if $(SEEDS),--seeds $(SEEDS)) \
		--launcher "$(LAUNCHER)" $(if $(PARTITION),--partition "$(PARTITION)") \
		$(if $(ACCOUNT),--account "$(ACCOUNT)") $(if $(SLURM_ARGS),--slurm-args="$(SLURM_ARGS)") \
		$(if $(REPORT_ONLY),--report-only) $(if $(RERUN),--rerun $(RERUN)) $(if $(BATCH),--batch $(BATCH))

# Mutants run under Icarus unless SIM= is given on the command line (docs/mutation.md).
mutate: setup
	@$(PY) -m tools.mutate --mutants "$(MUTANTS)" $(if $(MODULES),--modules "$(MODULES)") \
		$(if $(SEED),--seed $(SEED)) --depth "$(DEPTH)" --jobs "$(JOBS)" \
		$(if $(filter command line,$(origin SIM)),--sim "$(SIM)") --launcher "$(LAUNCHER)" \
		$(if $(PARTITION),--partition "$(PARTITION)") $(if $(ACCOUNT),--account "$(ACCOUNT)") \
		$(if $(SLURM_ARGS),--slurm-args="$(SLURM_ARGS)") $(if $(RETEST),--retest-survivors)

# Keep the '=' in --slurm-args=: argparse would read a value like --mem=.. as an option.
test-slurm: setup
	VSQ_SLURM_LIVE=1 $(PY) -m pytest tests/regress -p no:xdist -q -rs -s

run-case: setup
	@$(PY) -m tools.run_case_rtl "$(CASE)" -o "$(OUT)" $(if $(filter command line,$(origin SIM)),--sim "$(SIM)")

bench: setup
	@$(PY) -m tools.bench

ip: setup
	@$(PY) -m tools.ip

accuracy: setup
	@bash tools/setup_accuracy.sh
	@$(PY) -m transformer

# torch only here: build/accuracy/torch-site on PYTHONPATH (never in .venv); cached, keyed (transformer/qat_train.py)
qat: setup
	@bash tools/setup_accuracy.sh
	@PYTHONPATH=$(CURDIR)/build/accuracy/torch-site nice -n 19 $(PY) -m transformer.qat_train

clean:
	rm -rf build sim_build .pytest_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

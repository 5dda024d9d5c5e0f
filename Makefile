# Two commands do everything, set-up included:
#   make demo   publish the seed story to a local S3-compatible endpoint
#   make test   run the test suite (what CI runs)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# Prefect's ephemeral API gets 20 s to start by default; a busy 2-core machine can need more.
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS ?= 120

.PHONY: demo test test-fast bench bench-pipeline bench-memory clean image up down bench-latency

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	# The pip that ships with a new venv (23.2) crashes resolving this stack.
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[local,test]'
	touch $(STAMP)

demo: $(STAMP)
	PREFECT_SERVER_ANALYTICS_ENABLED=false DO_NOT_TRACK=1 $(BIN)/newsroom demo

# Test processes at once (pytest-xdist): each takes whole test files, the
# slowest first (tests/conftest.py; xdist would otherwise reorder files by
# their number of tests, and the one-test scale file would start last).
# TEST_WORKERS=0 runs them in this process.
TEST_WORKERS ?= 4
test: $(STAMP)
	PREFECT_SERVER_ANALYTICS_ENABLED=false DO_NOT_TRACK=1 $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not integration and not container"

# The container image (Dockerfile). Where no Docker engine runs, e.g.:
#   make image ENGINE='podman --runtime runc --cgroup-manager cgroupfs' BUILD_FLAGS='--network host'
ENGINE  ?= docker
BUILD_FLAGS ?=
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
image:
	$(ENGINE) build $(BUILD_FLAGS) --build-arg NEWSROOM_VERSION=$(VERSION) \
	  --build-arg NEWSROOM_REVISION=$$(git rev-parse HEAD 2>/dev/null || echo unknown) \
	  --build-arg NEWSROOM_SOURCE=$$(git config --get remote.origin.url | sed 's#//[^/@]*@#//#' | grep . || echo unknown) \
	  -t newsroom-pipeline:$(VERSION) .

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/extraction.py

# 200 stories end to end (bare, thread pool, poll-feeds on Prefect's local API).
bench-pipeline: $(STAMP)
	PREFECT_SERVER_ANALYTICS_ENABLED=false DO_NOT_TRACK=1 $(BIN)/python bench/pipeline.py

# One story per process at the extremes of page size: time and peak memory.
bench-memory: $(STAMP)
	$(BIN)/python bench/memory.py

# The whole local stack (cli/stack.py): Prefect server and UI, S3 endpoint,
# the fixture news site, work pool, deployments, a worker. No Docker.
#   make up [POSTGRES=1]   start it, print the UI's URL and the bucket
#   make down              stop everything and delete its state ($(STACK_DIR))
STACK_DIR ?= $(CURDIR)/.stack
POSTGRES ?=
up: $(STAMP)
	PREFECT_SERVER_ANALYTICS_ENABLED=false DO_NOT_TRACK=1 $(BIN)/python -m cli.stack up --dir $(STACK_DIR) \
	  $(if $(filter-out 0,$(POSTGRES)),--postgres)

down:
	$(BIN)/python -m cli.stack down --dir $(STACK_DIR)

# Run-to-Completed latency of the on-demand deployment (add ARGS=--cold for Prefect's defaults).
bench-latency: $(STAMP)
	PREFECT_SERVER_ANALYTICS_ENABLED=false DO_NOT_TRACK=1 $(BIN)/python bench/latency.py $(ARGS)

clean:
	rm -rf $(VENV) demo-output .pytest_cache

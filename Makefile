# Two commands do everything, set-up included:
#   make demo   publish the seed story to a local S3-compatible endpoint
#   make test   run the test suite (what CI runs)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test test-fast bench bench-pipeline bench-memory clean image

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	# The pip that ships with a new venv (23.2) crashes resolving this stack.
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[local,test]'
	touch $(STAMP)

demo: $(STAMP)
	PREFECT_SERVER_ANALYTICS_ENABLED=false DO_NOT_TRACK=1 $(BIN)/newsroom demo

test: $(STAMP)
	PREFECT_SERVER_ANALYTICS_ENABLED=false DO_NOT_TRACK=1 $(BIN)/python -m pytest

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

clean:
	rm -rf $(VENV) demo-output .pytest_cache

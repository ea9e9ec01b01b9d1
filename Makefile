PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test bench install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## Serve every vendor, seeded, on 127.0.0.1:8080 (flags: make run ARGS="--seed 7 --scale medium")
run: $(STAMP)
	$(BIN)/mockserver run $(ARGS)

## The whole test suite against live servers on free loopback ports
test: $(STAMP)
	$(BIN)/python -m pytest -q $(ARGS)

## Load benchmark: the sandbox vs Stoplight Prism on the same spec (results -> README table)
bench: $(STAMP)
	$(BIN)/python bench/run.py $(ARGS)

clean:
	rm -rf $(VENV) dist build

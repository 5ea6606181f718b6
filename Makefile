# The README's two commands: `make run` and `make test`. Everything else here serves them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint typecheck bench browser clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The modules mypyc compiles at install time (setup.py); a change to one re-installs, so the
# extension imported is never older than its source.
COMPILED := $(shell grep -v '^\#' compiled-modules.txt)

# Re-install when the dependency list, the build script or a compiled module changes.
$(VENV)/.installed: pyproject.toml setup.py compiled-modules.txt $(COMPILED) | $(BIN)/activate
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/treatydesk init
	$(BIN)/treatydesk serve --host $(HOST) --port $(PORT)

# Chromium for the browser tests comes from Debian when the machine lacks it.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || { echo "could not install chromium: the browser tests need /usr/bin/chromium" >&2; exit 1; }; }

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests bench

typecheck: $(VENV)/.installed
	$(BIN)/mypy

test: $(VENV)/.installed browser lint typecheck
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: $(VENV)/.installed
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) var build .pytest_cache .mypy_cache .ruff_cache
	find src -name '*.so' -delete

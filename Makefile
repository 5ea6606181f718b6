# The README's two commands: `make run` and `make test`. Everything else here serves them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test native lint typecheck bench browser clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Re-install when the dependency list or the build changes.
$(VENV)/.installed: pyproject.toml setup.py compiled-modules.txt tools/native_build.py | $(BIN)/activate
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# The compiled modules (setup.py) are rebuilt whenever the extensions no longer match the
# sources they were built from: a core module changed, a build failed, build/ was removed.
native: $(VENV)/.installed
	@$(BIN)/python tools/native_build.py || { echo "rebuilding the compiled modules"; \
	  $(BIN)/pip install --quiet -e '.[dev]'; }

run: native
	$(BIN)/treatydesk init
	$(BIN)/treatydesk serve --host $(HOST) --port $(PORT)

# Chromium for the browser tests comes from Debian when the machine lacks it.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || { echo "could not install chromium: the browser tests need /usr/bin/chromium" >&2; exit 1; }; }

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests bench tools setup.py

typecheck: $(VENV)/.installed
	$(BIN)/mypy

test: native browser lint typecheck
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: native
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) var build .pytest_cache .mypy_cache .ruff_cache
	find src -name '*.so' -delete

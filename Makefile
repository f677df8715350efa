# Every target creates or refreshes .venv from the pinned requirements when needed.
# Run `make help` for the list.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MKDOCS := $(VENV)/bin/mkdocs
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Output format of `make check`: text, github (Actions annotations) or json.
FORMAT ?= text
# Test processes of `make test`: one per CPU, at most 4 (each builds the site and runs a Chromium);
# TEST_WORKERS=1 for one.
TEST_WORKERS ?= auto

export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.DEFAULT_GOAL := help
.PHONY: help serve build test lint fix check clean distclean new-page review-report offline bench csp-scripts

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-test.txt constraints.txt pyproject.toml scripts/ensure-venv.sh
	@PYTHON=$(PYTHON) scripts/ensure-venv.sh $(VENV)

# Plain `mkdocs serve`: every edit rebuilds the site and reloads the browser. --no-strict keeps the
# server up when a page has a warning; errors show in the terminal and at the top of the page.
# Python files (hooks, kb) are loaded once: restart the server after editing them.
serve: $(STAMP) ## Live-reloading site at http://127.0.0.1:8000
	$(MKDOCS) serve --no-strict --dev-addr $(HOST):$(PORT) --watch overrides --watch includes --watch data --watch schema

build: check ## The content checks, the strict build into site/, then the check of the built pages
	$(MKDOCS) build --strict --site-dir site
	@$(PY) -m kb.html_safety --built site
	@$(PY) -m kb.crisis --built site

offline: $(STAMP) ## Offline copy: site-offline/ and dist/ketamine-ptsd-offline.zip, opens from disk
	PYTHON=$(PY) scripts/build-offline.sh

csp-scripts: $(STAMP) ## After a Material upgrade: rewrite kb/csp-theme-scripts.txt, then review its diff
	PYTHON=$(PY) scripts/csp-theme-scripts.sh

check: $(STAMP) ## Fast content checks, no build (FORMAT=text|github|json)
	@$(PY) -m kb.check --format $(FORMAT)

# The test files are shared out between processes whole, so the fixtures of a file are made once:
# tests/browser/test_every_page_desktop.py holds every reader of the desktop walk over every page.
test: lint ## The linters, then the whole test suite, browser tests included
	@scripts/ensure-node-modules.sh
	CHROMIUM="$$(scripts/find-chromium.sh)" && export CHROMIUM && $(PY) -m pytest -n $(TEST_WORKERS) --maxprocesses 4 --dist loadfile

# Both linters run, so one run lists every problem.
lint: $(STAMP) ## Ruff over the Python code, whitespace of every text file; changes nothing (`make fix` fixes)
	@status=0; VENV=$(VENV) scripts/whitespace.sh || status=1; $(VENV)/bin/ruff check || status=1; exit $$status

fix: $(STAMP) ## Fix what `make lint` finds that a tool can fix, in place
	@VENV=$(VENV) scripts/whitespace.sh --fix
	$(VENV)/bin/ruff check --fix

new-page: $(STAMP) ## Start a page with valid front matter, added to the nav (asks; ARGS=--help for flags)
	$(PY) -m kb.tools.new_page $(ARGS)

review-report: $(STAMP) ## Pages by next review date, overdue first (FORMAT=text|json)
	$(PY) -m kb.tools.review_report --format $(FORMAT)

bench: $(STAMP) ## Build, check and reload times, before and after figures, Lighthouse (see benchmarks/README.md)
	CHROMIUM="$$(scripts/find-chromium.sh)" && export CHROMIUM && $(PY) benchmarks/run.py

clean: ## Remove build outputs and test artefacts
	rm -rf site site-offline dist test-artifacts .pytest_cache .hypothesis .ruff_cache benchmarks/out benchmarks/.work

distclean: clean ## Also remove .venv and node_modules
	rm -rf $(VENV) node_modules

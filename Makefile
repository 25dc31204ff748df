# compendium: set-up, build, test.  `make build` and `make test` are all a new machine needs.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Debian packages: WeasyPrint's libraries (harfbuzz-subset embeds font subsets),
# and poppler-utils for looking at PDF pages as images.
DEB_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 poppler-utils
# The tests also open the HTML in a real browser, and check PDFs of killed builds with qpdf.
# The accessibility gate (tests/test_a11y.py) runs vnu on Java and axe-core on Node, from npm (package.json).
TEST_DEB_PACKAGES := chromium qpdf nodejs openjdk-17-jre-headless
NODE_STAMP := node_modules/.installed

.PHONY: build test lint docs docs-serve clean update-golden system-deps node-deps fuzz bench bench-check bench-profile

build: $(STAMP)
	$(BIN)/compendium build

test: $(STAMP)
	@$(MAKE) --no-print-directory system-deps DEB_PACKAGES="$(TEST_DEB_PACKAGES)"
	@$(MAKE) --no-print-directory node-deps
	@$(MAKE) --no-print-directory docs
	@# Exit code 5 means pytest collected no tests: say so plainly, and fail, since this suite is never empty.
	$(BIN)/pytest -q; rc=$$?; if [ $$rc -eq 5 ]; then echo "Error: pytest collected no tests; check testpaths in pyproject.toml"; exit 1; fi; exit $$rc

# The docs site (mkdocs.yml, docs/) into site/, also by `make test`; --strict fails on any warning, a broken link or anchor among them.
# The references are generated from the code while it builds (tools/mkdocs_hooks.py); nothing is fetched.
MKDOCS := NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs

docs: $(STAMP)
	$(MKDOCS) build --strict --quiet

docs-serve: $(STAMP)
	$(MKDOCS) serve --strict

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# Over 10,000 generated input trees, Markdown texts and consents (about 15 minutes; not part of `make test`).
fuzz: $(STAMP)
	COMPENDIUM_FUZZ=1 $(BIN)/pytest -q -p no:randomly tests/test_properties.py --hypothesis-show-statistics

update-golden: $(STAMP)
	$(BIN)/python -m tests.golden

# Benchmarks (see BENCHMARKS.md): `make bench SIZES=100 RUNS=1` for a quick try.
SIZES ?= 100,1000
RUNS ?= 3
GROUPS ?= pdf,html,edit-pdf
CHECK_SIZE ?= 10000
PROFILE_SIZE ?= 1000

bench: $(STAMP)
	@$(MAKE) --no-print-directory system-deps DEB_PACKAGES="pandoc"
	$(BIN)/python -m benchmarks.run --sizes $(SIZES) --runs $(RUNS) --groups $(GROUPS)

# Peak memory of `check` on a large corpus (limit: 1 GiB).
bench-check: $(STAMP)
	$(BIN)/python -m benchmarks.run --check-size $(CHECK_SIZE) --runs 1

# Where a cold build's time goes, stage by stage.
bench-profile: $(STAMP)
	$(BIN)/python -m benchmarks.profile --stories $(PROFILE_SIZE)

# npm packages of the accessibility gate, exactly as package-lock.json pins them (no install scripts:
# playwright-core drives Debian's Chromium and downloads no browser).
node-deps: $(NODE_STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

clean:
	rm -rf build site .build-cache node_modules $(VENV) *.egg-info .pytest_cache .mypy_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory system-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip 'setuptools>=70.1'
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Install missing Debian packages when we can (as root with apt); otherwise say what is missing.
system-deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian packages:$$missing"; \
	    (apt-get install -y -q $$missing || (apt-get update -q && apt-get install -y -q $$missing)) >/dev/null; \
	  else \
	    echo "Warning: missing Debian packages:$$missing (install them with apt-get)"; \
	  fi; \
	fi

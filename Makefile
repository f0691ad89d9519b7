# Hidden Harm. `make run` sets up and serves the demo; `make test` installs and runs every test.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STATIC := src/hiddenharm/web/static/govuk
GOVUK_VERSION := 5.9.0
PYTEST := $(PY) -m pytest

.PHONY: install deps static pdfdeps system pg-start pg-stop run demo test test-sqlite test-postgres bench lint docs clean

install: deps static

# Python packages from the lock file, into .venv.
deps: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml uv.lock
	@python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	python3 -m uv sync --frozen --all-extras --quiet
	@touch $@

# Front-end packages from the npm registry, pinned: GOV.UK Frontend for the application, and
# Vega, Vega-Lite and Vega-Embed, inlined into HTML reports so their charts are interactive offline.
VEGA := src/hiddenharm/reports/vendor
# axe-core: the accessibility checks of the browser tests (read from build/npm).
NPM_PACKAGES := govuk-frontend@$(GOVUK_VERSION) vega@6.4.0 vega-lite@6.5.0 vega-embed@7.3.0 axe-core@4.10.3
static: $(STATIC)/.installed
$(STATIC)/.installed: Makefile
	mkdir -p build/npm
	cd build/npm && ( [ -f package.json ] || echo '{"private":true}' > package.json ) \
	  && npm install --no-audit --no-fund --silent $(NPM_PACKAGES)
	rm -rf $(STATIC) $(VEGA) && mkdir -p $(STATIC) $(VEGA)
	cp -r build/npm/node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js \
	      build/npm/node_modules/govuk-frontend/dist/govuk/assets $(STATIC)/
	# GDS Transport is licensed for GOV.UK domains only: the stylesheet goes without its
	# @font-face rules and font name, so no page ever asks for its files (they are not served
	# at /assets/fonts/, and a browser that laid text out before app.css arrived asked for
	# them and got 404s). The check stops the build if a new GOV.UK Frontend changes the form.
	sed -E -e 's/@font-face\{font-family:GDS Transport;[^}]*\}//g' -e 's/GDS Transport,//g' \
	  build/npm/node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css > $(STATIC)/govuk-frontend.min.css
	! grep -q -e 'GDS Transport' -e '/assets/fonts/' $(STATIC)/govuk-frontend.min.css
	rm -rf $(STATIC)/assets/fonts
	cp build/npm/node_modules/vega/build/vega.min.js \
	   build/npm/node_modules/vega-lite/build/vega-lite.min.js \
	   build/npm/node_modules/vega-embed/build/vega-embed.min.js $(VEGA)/
	@touch $@

# Debian packages WeasyPrint needs to draw a PDF (Pango, HarfBuzz, fonts): `make run` needs these.
pdfdeps: build/.pdfdeps
build/.pdfdeps:
	@mkdir -p build
	@if ! ldconfig -p | grep -q libpangoft2-1.0 || ! ldconfig -p | grep -q libharfbuzz-subset || [ ! -d /usr/share/fonts/truetype/dejavu ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null; \
	fi
	@touch $@

# Debian packages the browser tests and the PDF checks need (Chromium, poppler-utils).
system: pdfdeps build/.system
build/.system:
	@mkdir -p build
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; \
	fi
	@touch $@

pg-start:
	@scripts/pg.sh start
pg-stop:
	@scripts/pg.sh stop

run: install pdfdeps
	$(VENV)/bin/hiddenharm demo --serve

test: install system
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite:
	$(PYTEST) -n 2 --dist loadgroup -q

# The database-touching tests again, on a throwaway PostgreSQL. The browser tests drive the
# same views as the tests without a browser, so they run once, on SQLite (the suite's time).
test-postgres:
	@url=$$(scripts/pg.sh start) && trap 'scripts/pg.sh stop' EXIT && \
	  DATABASE_URL=$$url $(PYTEST) -q -n 2 -p no:randomly -m "not browser" src/hiddenharm/web src/hiddenharm/accounts src/hiddenharm/cases src/hiddenharm/audit src/hiddenharm/safeguarding src/hiddenharm/partnership src/hiddenharm/api

bench: install
	$(PY) bench/run.py

lint: install
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/mypy

docs: install
	$(VENV)/bin/hiddenharm docs

clean:
	rm -rf build $(VENV) $(STATIC)

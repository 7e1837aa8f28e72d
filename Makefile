# Portcullis. `make run` serves the demo; `make test` runs the whole suite. Both set themselves up.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/portcullis
DEV_ENV := DJANGO_DEBUG=1
# Development settings for this checkout, read by manage.py (gitignored; never on a server), so
# that README's `.venv/bin/python manage.py ...` commands work as printed after `make setup`.
DEV_SETTINGS := development.env

.PHONY: run setup test test-sqlite test-postgres lint typecheck demo-code clean system-packages dictionaries browser imap axe fonts schemathesis peers bench-phishing native bench-screening

$(STAMP): requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	@$(MAKE) --no-print-directory system-packages
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# PyICU (needed by the screening engine) builds from source against ICU's headers.
system-packages:
	@if ! pkg-config --exists icu-uc 2>/dev/null || ! command -v g++ >/dev/null; then \
	  echo "Installing ICU headers, pkg-config and g++ (needed to build PyICU)"; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends libicu-dev pkg-config g++; fi

# Screening translates organisations' names through FreeDict's dictionaries (GPL): read where
# Debian installs them, never copied into this repository; so is WordNet (which words of a name
# are English words or places).
FREEDICT := spa fra por ita tur ara
dictionaries:
	@missing=$$(for l in $(FREEDICT); do test -f /usr/share/dictd/freedict-$$l-eng.index || echo dict-freedict-$$l-eng; done); \
	test -f /usr/share/wordnet/data.noun || missing="$$missing wordnet-base"; \
	if [ -n "$$missing" ]; then echo "Installing Debian's $$missing (organisation names across languages)"; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing; fi

# Browser tests drive Debian's chromium (Playwright cannot download its own browser here).
browser:
	@command -v chromium >/dev/null || { echo "Installing Debian's chromium for browser tests"; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium; }

# The browser accessibility check injects axe-core, from the npm registry into the gitignored
# node_modules/ (no package.json or lock file is written).
AXE_VERSION := 4.14.1
axe:
	@test -f node_modules/axe-core/axe.min.js && grep -q '"version": "$(AXE_VERSION)"' node_modules/axe-core/package.json || \
	  npm install --no-save --no-package-lock --no-audit --no-fund axe-core@$(AXE_VERSION)

# Mailbox tests run a real IMAP server (dovecot) on loopback.
imap:
	@test -x /usr/sbin/dovecot || { echo "Installing Debian's dovecot-imapd for mailbox tests"; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends dovecot-imapd; }

# The phishing benchmark's peers: SpamAssassin (spamd/spamc) and Rspamd, run on loopback by it.
peers:
	@{ command -v spamd >/dev/null && command -v spamc >/dev/null && command -v rspamd >/dev/null; } || { \
	  echo "Installing Debian's spamassassin, spamd, spamc and rspamd for the phishing benchmark"; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends spamassassin spamd spamc rspamd; }

bench-phishing: $(STAMP) peers
	$(PY) benchmarks/phishing.py

# The screening matcher's scoring modules compiled by mypyc into var/native/ (a third less CPU per
# pair). Nothing to do when the build is current; the package ignores a build of other sources.
native: $(STAMP)
	$(DEV_ENV) $(PY) -P portcullis/screening/matching/native.py

bench-screening: $(STAMP) native
	$(PY) benchmarks/screening.py

# PDFs embed Unicode fonts so every name prints: DejaVu Sans, and Droid Sans Fallback for CJK.
fonts:
	@{ test -n "$$(find /usr/share/fonts -name DejaVuSans.ttf -print -quit)" && \
	  test -n "$$(find /usr/share/fonts -name DroidSansFallbackFull.ttf -print -quit)"; } || { \
	  echo "Installing Debian's fonts-dejavu-core and fonts-droid-fallback for PDFs"; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends fonts-dejavu-core fonts-droid-fallback; }

$(DEV_SETTINGS):
	printf '# Written by make for development (see README). Never copy to a server.\nDJANGO_DEBUG=1\n' > $@

setup: $(STAMP) native fonts dictionaries $(DEV_SETTINGS)
	$(PY) manage.py migrate --no-input -v0
	$(PY) manage.py load_demo

run: setup
	$(PY) manage.py run_platform

# The two databases' suites run side by side, one a core (each test server takes a free port, the
# Redis test queue a unique name, the screening index a directory named by list ids): each log is
# printed whole when both are done, and either failing fails the target.
test: $(STAMP) native browser imap fonts axe dictionaries
	$(MAKE) --no-print-directory lint typecheck
	@logs=$$(mktemp -d); \
	if [ -n "$$DATABASE_URL" ] || $(PY) -c "import socket; socket.create_connection(('127.0.0.1', 5432), 2)" 2>/dev/null; then \
	  echo "Running the suite on SQLite and on PostgreSQL side by side"; \
	  $(MAKE) --no-print-directory test-postgres > $$logs/postgres.log 2>&1 & pg=$$!; \
	else pg=; echo "PostgreSQL not reachable and DATABASE_URL unset: the suite runs on SQLite only"; fi; \
	$(MAKE) --no-print-directory test-sqlite > $$logs/sqlite.log 2>&1; lite=$$?; \
	echo "=== SQLite ==="; cat $$logs/sqlite.log; status=$$lite; \
	if [ -n "$$pg" ]; then wait $$pg; pgs=$$?; echo "=== PostgreSQL ==="; cat $$logs/postgres.log; \
	  [ $$pgs -eq 0 ] || status=$$pgs; fi; \
	rm -r $$logs; exit $$status

# Each suite's log ends with its 25 slowest tests, to show where the time of `make test` goes.
DURATIONS ?= --durations=25

test-sqlite: $(STAMP)
	env -u DATABASE_URL $(PY) -m pytest -q $(DURATIONS)

test-postgres: $(STAMP)
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(PY) -m pytest -q $(DURATIONS)
	@echo "POSTGRESQL-SUITE-PASSED"

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(DEV_ENV) $(VENV)/bin/mypy portcullis

demo-code: $(STAMP)
	@$(DEV_ENV) $(PY) -c "from django_otp.oath import totp; from portcullis.lib.demo import DEMO_TOTP_KEY_HEX as k; print(f'{totp(bytes.fromhex(k)):06d}')"

# schemathesis in its own environment; serves the demo on SCHEMATHESIS_PORT with its own database
# (SCHEMATHESIS_DATABASE_URL, default a fresh SQLite file) and fuzzes the API as a security
# officer's and a staffer's integration tokens. Fails on any server error.
ST_VENV := .venv-schemathesis
SCHEMATHESIS_PORT ?= 8105
SCHEMATHESIS_DATABASE_URL ?=

$(ST_VENV)/.installed: requirements-schemathesis.txt
	test -d $(ST_VENV) || $(PYTHON) -m venv $(ST_VENV)
	$(ST_VENV)/bin/pip install --quiet --upgrade pip
	$(ST_VENV)/bin/pip install --quiet -r requirements-schemathesis.txt
	touch $@

schemathesis: $(STAMP) $(ST_VENV)/.installed
	PORT=$(SCHEMATHESIS_PORT) DATABASE_URL=$(SCHEMATHESIS_DATABASE_URL) \
	  $(PY) -m portcullis.lib.testing.schemathesis_run

clean:
	rm -rf $(VENV) $(ST_VENV) var $(DEV_SETTINGS)

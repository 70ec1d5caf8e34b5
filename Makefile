# The README's commands. Every target installs first, so a fresh clone needs nothing else.
PYTHON ?= $(shell command -v python3.13 >/dev/null 2>&1 && python3.13 -c 'import sys' 2>/dev/null && echo python3.13 || echo python3.12)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PORT ?= 8000
BOOTSTRAP_VERSION := 5.3.8
AXE_VERSION := 4.14.1

.PHONY: install run test lint format bench vendor

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check '.[dev]'
	touch $@

# Reminders go out as in production (where cron runs send_reminders), checked every minute.
REMINDERS_EVERY ?= 60
run: export DJANGO_DEBUG ?= 1
# Links in emails and handouts point at the port this server listens on, unless SITE_URL says otherwise.
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) ensure_demo_staff
	$(MANAGE) db_worker & worker=$$!; \
	$(MANAGE) send_reminders --every $(REMINDERS_EVERY) & reminders=$$!; \
	trap 'kill $$worker $$reminders 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# mypy reads the settings through django-stubs (DJANGO_DEBUG spares it a secret key) and
# keeps its cache in .mypy_cache, so a second run checks only what changed.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_DEBUG=1 $(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# One test process per core (pytest-xdist): the browser journeys, subprocesses and sleeps of
# one process overlap the other's work. A plain `.venv/bin/pytest tests/...` runs in one process,
# which suits a few files (each extra process migrates its own database first).
test: lint
	$(BIN)/pytest -n auto

# The suite again at the two clocks that used to break it, in Madison: a Sunday at 20:00
# (tomorrow is inside a 24-hour notice and after the day's last time) and New Year's Eve at
# 23:30 (tomorrow is another year). TEST_CLOCK starts every test process's wall clock there
# (tests/conftest.py); SQLite only, since PostgreSQL's own clock would not follow. Not
# tests/deploy: its servers, object store and workers are other processes on the real
# clock, and the store refuses requests signed hours or weeks away from it.
CLOCKS := 2026-12-06T20:00:00-06:00 2026-12-31T23:30:00-06:00
.PHONY: test-clocks
test-clocks: install
	for clock in $(CLOCKS); do \
	  DATABASE_URL= TEST_CLOCK=$$clock $(BIN)/pytest -n auto -m 'not browser' --ignore=tests/deploy \
	    || exit 1; \
	done

bench: install
	$(BIN)/python bench/run.py

# Refresh the vendored front-end files from their pinned npm packages.
vendor:
	rm -rf /tmp/peak-vendor && mkdir -p /tmp/peak-vendor
	cd /tmp/peak-vendor && npm pack --silent bootstrap@$(BOOTSTRAP_VERSION) axe-core@$(AXE_VERSION) \
	  && for f in *.tgz; do mkdir -p $${f%.tgz} && tar xzf $$f -C $${f%.tgz}; done
	cp /tmp/peak-vendor/bootstrap-$(BOOTSTRAP_VERSION)/package/dist/css/bootstrap.min.css static/vendor/bootstrap/
	cp /tmp/peak-vendor/bootstrap-$(BOOTSTRAP_VERSION)/package/LICENSE static/vendor/bootstrap/LICENSE
	sed -i 's#/\*\# sourceMappingURL=bootstrap.min.css.map \*/##' static/vendor/bootstrap/bootstrap.min.css
	cp /tmp/peak-vendor/axe-core-$(AXE_VERSION)/package/axe.min.js tests/browser/vendor/axe-core/
	cp /tmp/peak-vendor/axe-core-$(AXE_VERSION)/package/LICENSE tests/browser/vendor/axe-core/LICENSE

# Slot-search timing: 5 clinicians, 28 days, a year of history (bench/README.md).
.PHONY: bench-slots
bench-slots: install
	$(BIN)/python bench/slots.py

# MDN HTTP Observatory score of each public page, from its own npm scanner (bench/README.md).
.PHONY: observatory
observatory: install
	bench/observatory.sh

# Two app servers behind HAProxy with a worker beside each, on PostgreSQL, Redis and
# SeaweedFS, from the production files in deploy/ (deploy/cluster.py). Ctrl-C stops it.
.PHONY: cluster
cluster: install
	$(BIN)/python deploy/cluster.py

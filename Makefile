# VolNet: `make run` serves the demo, `make test` runs every test. Both set themselves up.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
MAIL_PORT ?= 1025
JOBS ?= 2

.PHONY: run test test-fast lint bench loadtest faults system-run system-test messages catalogues clean

# English catalogues, compiled from the .po files kept in git (msgfmt comes with gettext).
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po volnet/*/locale/*/LC_MESSAGES/django.po))

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

system-run:
	@scripts/system-deps.sh run

system-test:
	@scripts/system-deps.sh test

messages: $(MO_FILES)

%.mo: %.po
	msgfmt --check -o $@ $<

# Refresh every English catalogue from the code in one run: each file's words go to the nearest locale/
# (an app's own, else the project's). File names without line numbers, so two changes rarely conflict.
catalogues: $(BIN)/.installed
	$(BIN)/python manage.py makemessages -l en --no-obsolete --add-location file \
		-i "*/tests/*" -i "tests/*" -i "*/migrations/*" -i ".venv/*" -i "var/*" -i "bench/*"

run: $(BIN)/.installed system-run messages
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py seed_demo
	DEBUG=1 $(BIN)/python manage.py signing_certificate
	@echo "志願服務資訊網: http://$(HOST):$(PORT)/  信件匣 outbox: http://$(HOST):$(PORT)/dev/outbox/"
	DEBUG=1 EMAIL_PORT=$(MAIL_PORT) SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} $(BIN)/python manage.py rundev --mail-port $(MAIL_PORT) $(HOST):$(PORT)

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache  # the architecture's contracts (pyproject.toml, docs/architecture.md)
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check

test: $(BIN)/.installed system-test messages lint
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/python -m pytest -n $(JOBS) $(PYTEST_ARGS)

# The inner loop: every test but the browser ones (no Chromium, no lint); PYTEST_ARGS narrows it further.
test-fast: $(BIN)/.installed system-test messages
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/python -m pytest -n $(JOBS) -m "not browser" $(PYTEST_ARGS)

bench: $(BIN)/.installed system-test messages
	@scripts/system-deps.sh bench
	$(BIN)/python -m bench $(BENCH_ARGS)

loadtest: $(BIN)/.installed system-run messages
	$(BIN)/python -m bench.loadtest $(LOAD_ARGS)

faults: $(BIN)/.installed system-run messages
	$(BIN)/python -m bench.faults

clean:
	rm -rf $(VENV) var/static

# Everything a contributor runs. `make run` and `make test` are the README's two commands.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
WORKERS ?= 3
PYTEST_ARGS ?= -n 2

.PHONY: run test test-fast venv demo lint format typecheck messages bench serve clean
.PHONY: load

$(BIN)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

venv: $(BIN)/.installed

## Set up, migrate, load the demo province if the database is empty, serve on 127.0.0.1:$(PORT).
run: venv
	$(BIN)/serment migrate --noinput
	PORT=$(PORT) $(BIN)/serment demo --if-empty
	$(BIN)/serment collectstatic --noinput -v 0
	@echo "Serment: sign in at http://127.0.0.1:$(PORT) (demo users in README.md, password 'demo')"
	@echo "Background jobs (imports, large exports, long reports): a worker runs beside gunicorn and stops with it"
	$(BIN)/serment db_worker --no-reload --no-startup-delay --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn serment.wsgi --bind 127.0.0.1:$(PORT) --workers $(WORKERS) --access-logfile -

## Run the whole test suite, slow end-to-end checks included (SQLite, or PostgreSQL when DATABASE_URL
## is set). This is the README's test command, and what .ci/run runs on both databases.
test: venv
	$(BIN)/pytest $(PYTEST_ARGS)

## The quick loop while working: the suite without the checks marked slow.
test-fast: venv
	$(BIN)/pytest $(PYTEST_ARGS) -m "not slow"

demo: venv
	$(BIN)/serment migrate --noinput
	$(BIN)/serment demo

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## mypy with django-stubs on the domain modules (actions, queries, policies, rules).
typecheck: venv
	$(BIN)/mypy

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Regenerate and compile translations (needs GNU gettext); the .mo files are committed.
messages: venv
	cd src/serment && for app in core organisations members accounts oath ratings admissions home inspection cadres api jobs transfers; do \
	  (cd $$app && mkdir -p locale && ../../../$(BIN)/django-admin makemessages -l vi -l fr -l en --no-obsolete >/dev/null); done
	cd src/serment && ../../$(BIN)/django-admin compilemessages >/dev/null

## Pages and reports on SQLite and PostgreSQL, each from a fresh demo, as ratios to /healthz (docs/benchmarks.md).
bench: venv
	$(BIN)/pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	$(BIN)/python bench/run.py

## National scale on PostgreSQL beside DuckDB (PROVINCES=4 for a fraction), and the import rates (docs/performance.md).
bench-nation: venv
	$(BIN)/pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	$(BIN)/python bench/nation.py --provinces $(or $(PROVINCES),63)

bench-imports: venv
	$(BIN)/pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	$(BIN)/python bench/imports.py

clean:
	rm -rf $(VENV) var

## Load test: 200 simulated users × 10 minutes on a copy of the PostgreSQL demo (serment_demo), served by
## gunicorn as `make run` does; prints p95 per endpoint against /healthz's and the load (docs/benchmarks.md).
load: venv
	$(BIN)/pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	$(BIN)/python bench/load.py

# Two commands for a newcomer: `make run` (demo on http://127.0.0.1:8000) and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# The first Python >= 3.11 found on the PATH.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	2>/dev/null && { echo $$p; break; }; done)

.PHONY: run serve test test-fast install mutation

$(VENV)/.installed: pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
		echo "Python 3.11 or newer is required and none was found on the PATH."; \
		echo "Install it (Debian/Ubuntu: apt install python3 python3-venv) and run make again."; \
		exit 1; fi
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || { \
		echo "$(PYTHON) has no venv module (Debian/Ubuntu: apt install python3-venv)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

# The development server runs each task (e-mail) at once: no worker to start. PORT=8001 (make
# run PORT=8001) serves on another port.
PORT ?= 8000
run: $(VENV)/.installed
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py seed_demo
	DJANGO_DEBUG=1 DJANGO_TASKS_BACKEND=immediate $(PY) manage.py runserver 127.0.0.1:$(PORT)

# As in production: gunicorn, the task worker and the periodic tasks, stopped together by
# Ctrl-C (bin/serve). Needs DJANGO_SECRET_KEY; HOST and PORT say where to listen.
serve: $(VENV)/.installed
	PORT=$(PORT) ./bin/serve

# On SQLite by default; on PostgreSQL when DATABASE_URL is set. One worker per core, the
# longest tests first, an idle worker taking work from the other; PYTEST_ARGS="-n 0" runs in
# a single process.
test: $(VENV)/.installed
	$(PY) -m pytest -n auto --dist worksteal $(PYTEST_ARGS)

# The edit-test loop: everything but the browser journeys.
test-fast: $(VENV)/.installed
	$(PY) -m pytest -n auto --dist worksteal -m "not browser" $(PYTEST_ARGS)

# Mutation testing of the legal rules (the modules and their tests: [tool.mutmut] in
# pyproject.toml). Each change mutmut makes to a rule must make a test fail; a clean run each
# time, then the score of each module, failing under 90 %.
mutation: $(VENV)/.installed
	rm -rf mutants
	$(VENV)/bin/mutmut run
	$(PY) tests/mutation_report.py $(REPORT_ARGS)

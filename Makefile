# Quick start: `make run` serves the demo app, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py

.PHONY: run test install install-dev db demo serve clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

db: install
	$(BIN)/flask db upgrade

demo: db
	$(BIN)/flask qa demo

run: demo
	$(BIN)/flask run --host 127.0.0.1 --port 5000

# Production serving: gunicorn (settings in gunicorn.conf.py; QA_BIND, QA_WORKERS, QA_TIMEOUT from the environment).
# Migrates first. With QA_ENV=production the app refuses to start without a real SECRET_KEY.
serve: db
	$(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

test: install-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) instance .pytest_cache

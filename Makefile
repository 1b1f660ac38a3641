# Palvelumanuaali: the two set-up commands of the README are `make run` and `make test`.
# Needs Python 3.11, make and npm; everything else is installed into .venv (and
# GraphiQL's scripts into cms/static/cms/graphiql, fetched once from the npm registry).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Where `make run` serves: HOST and PORT given on the command line or in the
# environment, else the ones var/local.env recorded, else 127.0.0.1:8000.
LOCAL_ENV := var/local.env
local_env_value = $(shell sed -n 's/^$(1)=//p' $(LOCAL_ENV) 2>/dev/null)
HOST ?= $(or $(call local_env_value,HOST),127.0.0.1)
PORT ?= $(or $(call local_env_value,PORT),8000)
BASE_URL_HOST := $(if $(filter 127.0.0.1 0.0.0.0,$(HOST)),localhost,$(HOST))

.PHONY: run test e2e install lint schema messages services-start services-stop ci clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall whenever the declared dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

# GraphiQL's scripts and styles, self-hosted (cms/graphiql_assets.py): fetched at install
# time, again only when the installed graphene-django pins other versions.
GRAPHIQL_ASSETS := cms/static/cms/graphiql/.fetched
$(GRAPHIQL_ASSETS): $(VENV)/.installed cms/graphiql_assets.py
	DJANGO_SETTINGS_MODULE=cms.test_settings $(BIN)/python manage.py fetch_graphiql
	touch $@

install: $(VENV)/.installed $(GRAPHIQL_ASSETS)

# The local environment file manage.py reads (cms/local_env.py), so the README's
# commands work by hand too. Written once and never overwritten: it holds the
# generated SECRET_KEY that signs sessions and password-reset links.
$(LOCAL_ENV):
	mkdir -p $(@D)
	umask 077 && { \
	  echo "# Written once by make run for this machine; manage.py reads it, the environment wins."; \
	  echo "SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')"; \
	  echo "DEBUG=1"; \
	  echo "HOST=$(HOST)"; \
	  echo "PORT=$(PORT)"; \
	  echo "WAGTAILADMIN_BASE_URL=http://$(BASE_URL_HOST):$(PORT)"; \
	} > $@

# The main job: embedded SQLite + database search, demo content, admin and GraphQL on
# http://localhost:8000 (HOST, PORT). The demo content is loaded and indexed once; a
# second run leaves editors' work alone and starts serving at once.
run: export HOST := $(HOST)
run: export PORT := $(PORT)
run: export WAGTAILADMIN_BASE_URL ?= http://$(BASE_URL_HOST):$(PORT)
run: install $(LOCAL_ENV)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo --index
	$(BIN)/python manage.py load_demo_questionnaires
	$(BIN)/python manage.py ensure_admin
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# The test command: lint, then the whole suite (SQLite + database search unless
# DATABASE_URL / ELASTICSEARCH_URL point at real services, as in CI).
# One worker per core (pytest-xdist); TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= auto
test: lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --durations=25 $(PYTEST_ARGS)

# The browser suite (tests/e2e): Playwright driving Debian's Chromium
# (`deploy/local-services.sh browser` installs it) against a server it starts;
# axe-core comes from the npm registry. Screenshots go to var/artifacts/e2e.
AXE := tests/e2e/node_modules/axe-core/axe.min.js
$(AXE): tests/e2e/package.json tests/e2e/package-lock.json
	npm ci --prefix tests/e2e --no-audit --no-fund
	touch $@

e2e: install $(AXE)
	$(BIN)/python -m pytest -m e2e tests/e2e -p no:xdist $(PYTEST_ARGS)

schema: install
	DJANGO_SETTINGS_MODULE=cms.test_settings $(BIN)/python manage.py graphql_schema --schema cms.delivery_schema.schema --out graphql/schema.graphql

# Translations of the project's own strings: collect them from the code into
# locale/*/LC_MESSAGES/django.po, then (after translating) compile the .mo files,
# which are committed. Both steps need GNU gettext (Debian: apt-get install gettext).
I18N_IGNORE := --ignore .venv --ignore var --ignore tests --ignore scripts --ignore deploy --ignore docs
messages: export DEBUG ?= 1
messages: install
	$(BIN)/python manage.py makemessages -l fi -l sv -l en --add-location file $(I18N_IGNORE)
	$(BIN)/python manage.py compilemessages $(I18N_IGNORE)

services-start:
	deploy/local-services.sh start

services-stop:
	deploy/local-services.sh stop

clean:
	rm -rf $(VENV) var

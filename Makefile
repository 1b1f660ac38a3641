# Palvelumanuaali: the two set-up commands of the README are `make run` and `make test`.
# Needs Python 3.11, make and npm; everything else is installed into .venv (and
# GraphiQL's scripts into cms/static/cms/graphiql, fetched once from the npm registry).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint schema messages services-start services-stop ci clean

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

# The main job: embedded SQLite + database search, demo content, admin and GraphQL on :8000.
run: export DEBUG ?= 1
run: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py update_index
	# With Elasticsearch, delivery search has an index of its own (search/index.py).
	if [ -n "$$ELASTICSEARCH_URL" ]; then $(BIN)/python manage.py search_rebuild; fi
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
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

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

"""Shared fixtures: the site tree, a GraphQL client, and the service guards.

Tests marked ``elasticsearch`` run whenever ELASTICSEARCH_URL is set, and
those marked ``cache_server`` whenever CACHE_URL is. In CI
(CI_REQUIRE_SERVICES=1) the run refuses to start unless PostgreSQL,
Elasticsearch and the Valkey/Redis cache are all configured, so a missing
service fails instead of silently shrinking the suite.
"""

import itertools
import json
import os

import pytest
from django.conf import settings


def _require_services():
    return os.environ.get("CI_REQUIRE_SERVICES") == "1"


def pytest_configure(config):
    if not _require_services():
        return
    missing = []
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        missing.append("DATABASE_URL (PostgreSQL)")
    if not os.environ.get("ELASTICSEARCH_URL"):
        missing.append("ELASTICSEARCH_URL")
    if not (os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL")):
        missing.append("CACHE_URL (Valkey/Redis)")
    if missing:
        raise pytest.UsageError("CI_REQUIRE_SERVICES=1 but not configured: " + ", ".join(missing))


def pytest_report_header(config):
    lines = [f"database: {settings.DATABASES['default']['ENGINE']}"]
    if settings.ELASTICSEARCH_URL:
        from wagtail.search.backends import get_search_backend

        try:
            version = get_search_backend().es.info()["version"]["number"]
        except Exception as exc:  # the header reports; the tests themselves fail
            version = f"unreachable ({exc.__class__.__name__})"
        lines.append(f"search: Elasticsearch {version} at {settings.ELASTICSEARCH_URL}")
    else:
        lines.append("search: Wagtail database backend")
    lines.append(f"cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}")
    return lines


def pytest_collection_modifyitems(config, items):
    skips = {}
    if not settings.ELASTICSEARCH_URL:
        skips["elasticsearch"] = pytest.mark.skip(
            reason="ELASTICSEARCH_URL is not set (runs in CI)"
        )
    if not settings.CACHE_URL:
        skips["cache_server"] = pytest.mark.skip(reason="CACHE_URL is not set (runs in CI)")
    for item in items:
        for marker, skip in skips.items():
            if marker in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _drop_test_cache_keys():
    """Delete this run's keys from the shared cache afterwards (their prefix is unique per run)."""
    yield
    if settings.CACHE_URL:
        from django.core.cache import cache

        client = cache._cache.get_client(write=True)
        # Every key of the run, whatever its version (Wagtail uses its own).
        for key in client.scan_iter(match=f"{cache.key_prefix}:*", count=1000):
            client.delete(key)


@pytest.fixture(scope="session", autouse=True)
def _drop_test_indices(django_db_setup, django_db_blocker):
    """Create this run's Elasticsearch indices with Wagtail's mappings, drop them afterwards.

    Without the mappings, the first indexed page would make Elasticsearch create
    the index with dynamic mappings, and full-text search would find nothing.
    The index prefix is unique per run.
    """
    if settings.ELASTICSEARCH_URL and django_db_setup is not None:
        from django.core.management import call_command

        with django_db_blocker.unblock():
            call_command("update_index", verbosity=0)
    yield
    if settings.ELASTICSEARCH_URL:
        from wagtail.search.backends import get_search_backend

        backend = get_search_backend()
        prefix = settings.WAGTAILSEARCH_BACKENDS["default"]["INDEX_PREFIX"]
        # Elasticsearch refuses wildcard deletes (action.destructive_requires_name).
        for name in backend.es.indices.get(index=f"{prefix}*", expand_wildcards="all"):
            backend.es.indices.delete(index=name, ignore_unavailable=True)


DELIVERY_ENGINES = ["database", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)]


@pytest.fixture(params=DELIVERY_ENGINES)
def delivery_engine(request, monkeypatch):
    """Run a test once per delivery engine: the database always, Elasticsearch when configured
    (in CI, always). The engine is swapped where search.backends chooses it."""
    from search import backends
    from search.backends.database import DatabaseEngine
    from search.backends.elasticsearch import ElasticsearchEngine

    engine = ElasticsearchEngine() if request.param == "elasticsearch" else DatabaseEngine()
    monkeypatch.setattr(backends, "get_delivery_backend", lambda: engine)
    return engine


@pytest.fixture
def catalogue_root(db):
    """Home → service catalogue, as a fresh installation gets it."""
    from people.site_tree import ensure_site_root

    return ensure_site_root()


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker):
    """The migrated test database, plus the fixed site tree every installation has.

    Building the tree (pages, groups' rights, workflow, audit entries) is the
    slowest set-up there is, so it is built once per test database and
    committed; each test runs in a transaction on top of it and rolls back.
    Returns the primary keys ``site_tree`` reloads.
    """
    from pytest_django.fixtures import _get_databases_for_setup

    from people.site_tree import ensure_site_tree

    if "default" not in _get_databases_for_setup(request.session.items)[0]:
        return None  # No selected test uses the database, so none was created.
    with django_db_blocker.unblock():
        tree = ensure_site_tree()
    return _tree_keys(tree)


def _tree_keys(tree):
    keys = {
        name: getattr(tree, name).pk for name in tree.__dataclass_fields__ if name != "area_pages"
    }
    keys["area_pages"] = {code: page.pk for code, page in tree.area_pages.items()}
    return keys


@pytest.fixture
def site_tree(db, django_db_setup):
    """The whole fixed tree with its groups' rights and the publication workflow,
    as fresh instances (tests may change them; the database rolls back)."""
    from wagtail.models import Collection, Page

    from people.site_tree import SiteTree

    keys = django_db_setup
    pages = {page.pk: page for page in Page.objects.filter(pk__in=_all_page_keys(keys)).specific()}
    collections = Collection.objects.in_bulk([keys["attachments"], keys["internal_attachments"]])
    return SiteTree(
        **{
            name: pages[pk]
            for name, pk in keys.items()
            if name not in ("area_pages", "attachments", "internal_attachments")
        },
        area_pages={code: pages[pk] for code, pk in keys["area_pages"].items()},
        attachments=collections[keys["attachments"]],
        internal_attachments=collections[keys["internal_attachments"]],
    )


def _all_page_keys(keys):
    collections = ("area_pages", "attachments", "internal_attachments")
    return [pk for name, pk in keys.items() if name not in collections] + list(
        keys["area_pages"].values()
    )


@pytest.fixture
def role_user(db):
    """Onboard a person into a role as ``manage.py add_user`` does and return the user.

    ``role_user("producer", area_code="091")``,
    ``role_user("provider-editor", organisation_key="helsinki-employment")``
    """
    from people.users import add_user

    numbers = itertools.count(1)

    def make(role, email=None, **options):
        email = email or f"{role}-{next(numbers)}@example.org"
        return add_user(email, role, **options).user

    return make


@pytest.fixture
def graphql(client):
    """Run a GraphQL document against /graphql/ and return the decoded response."""

    def run(query, variables=None, **extra):
        response = client.post(
            "/graphql/",
            data=json.dumps({"query": query, "variables": variables or {}}),
            content_type="application/json",
            **extra,
        )
        assert response["Content-Type"].startswith("application/json"), response.content[:200]
        return response.json()

    return run


def reindex():
    """Bring the Elasticsearch indices in line with the database, searchable at once.

    Tests run inside a transaction, where the publish-time index updates
    (deferred to commit) never fire. The database search backend needs nothing.
    The indices are emptied and refilled in place: creating new ones, as
    ``update_index`` and ``search_rebuild`` do, costs seconds per test.
    """
    if not settings.ELASTICSEARCH_URL:
        return
    from modelsearch.index import get_indexed_models
    from modelsearch.management.commands.rebuild_modelsearch_index import group_models_by_index
    from wagtail.search.backends import get_search_backend

    from search import index as delivery

    backend = get_search_backend()
    for search_index, models in group_models_by_index(backend, get_indexed_models()).items():
        _empty(backend.es, search_index.name)
        for model in models:
            if objects := list(model.get_indexed_objects()):
                search_index.add_items(model, objects)
        search_index.refresh()
    delivery.ensure_index()
    _empty(delivery.client(), delivery.alias())
    delivery.index_objects(delivery.all_objects(), refresh=True)


def _empty(es, index):
    # Delete by id: the integ-test distribution has no _delete_by_query (reindex module).
    from elasticsearch import helpers

    hits = helpers.scan(es, index=index, query={"_source": False}, size=1000)
    deletes = ({"_op_type": "delete", "_index": hit["_index"], "_id": hit["_id"]} for hit in hits)
    helpers.bulk(es, deletes, refresh=True, raise_on_error=False)


@pytest.fixture
def small_catalogue(site_tree):
    """tests/catalogue_data.py imported through the exchange format, and indexed."""
    from catalogue_data import CATALOGUE

    from exchange.importer import import_document

    import_document(CATALOGUE)
    reindex()

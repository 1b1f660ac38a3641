"""Both delivery engines answer alike: validity windows, the query bodies, and an outage.

- Validity windows (voimassaolo): a public listing shows only services running
  today, in either engine, counts and facets included; upcoming ones on
  request, expired ones to signed-in users, each flagged.
- Without a server: the Elasticsearch request bodies and index documents.
- With Elasticsearch unreachable (a refused connection): ``services`` and
  ``siteSearch`` answer from the database engine and say so, readiness holds,
  an import completes, and ``search_reconcile`` brings both indexes up to date.
"""

import logging
from datetime import timedelta
from io import StringIO

import pytest
from catalogue_data import CATALOGUE, service_record
from conftest import reindex
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Locale

from catalogue.models import ServicePage
from exchange.importer import import_document
from search import backends, freshness, index
from search.backends import elasticsearch
from search.filters import CURRENT, EXPIRED, UPCOMING, ServiceSearch, SiteSearch
from search.models import PendingIndexUpdate

pytestmark = pytest.mark.django_db

UNREACHABLE = "http://127.0.0.1:9"  # nothing listens on the discard port: connection refused

SERVICES = """query ($validity: [ServiceValidity!], $query: String) {
  services(validity: $validity, query: $query) {
    totalCount
    items { key validity }
    facets { municipalities { value count } categories { value count } }
  }
}"""


def service(key):
    return ServicePage.objects.get(key=key, locale=Locale.get_default())


def set_validity(key, valid_from=None, valid_until=None):
    page = service(key)
    page.valid_from, page.valid_until = valid_from, valid_until
    page.save_revision().publish()


@pytest.fixture
def windows(small_catalogue):
    """work-trial ended yesterday, startup-money starts tomorrow, career-coaching runs until
    today, youth-workshop has no dates (open-ended)."""
    today = timezone.localdate()
    set_validity("work-trial", today - timedelta(days=90), today - timedelta(days=1))
    set_validity("startup-money", today + timedelta(days=1), None)
    set_validity("career-coaching", today - timedelta(days=30), today)
    reindex()
    return today


def listed(graphql, **variables):
    response = graphql(SERVICES, variables)
    assert "errors" not in response, response
    return response["data"]["services"]


def by_key(result):
    return {item["key"]: item["validity"] for item in result["items"]}


# --- Validity windows, on both engines ------------------------------------------------


def test_a_public_listing_shows_only_services_running_today(graphql, windows, delivery_engine):
    result = listed(graphql)

    assert by_key(result) == {"career-coaching": CURRENT, "youth-workshop": CURRENT}
    assert result["totalCount"] == 2
    # Facets count what is listed: the expired work trial was the only one in category…
    counted = sum(bucket["count"] for bucket in result["facets"]["municipalities"])
    hand_count = sum(service(key).municipalities.count() for key in by_key(result))
    assert counted == hand_count


def test_a_frontend_asks_for_upcoming_services_and_sees_them_flagged(
    graphql, windows, delivery_engine
):
    result = listed(graphql, validity=[CURRENT, UPCOMING])
    assert by_key(result) == {
        "career-coaching": CURRENT,
        "youth-workshop": CURRENT,
        "startup-money": UPCOMING,
    }
    assert by_key(listed(graphql, validity=[UPCOMING])) == {"startup-money": UPCOMING}


def test_expired_services_are_for_signed_in_users_only(
    client, graphql, windows, role_user, delivery_engine
):
    refused = graphql(SERVICES, {"validity": [EXPIRED]})
    assert "signed-in" in refused["errors"][0]["message"]

    client.force_login(role_user("expert"))
    assert by_key(listed(graphql, validity=[EXPIRED])) == {"work-trial": EXPIRED}


def test_site_search_leaves_out_services_that_are_not_running(graphql, windows, delivery_engine):
    query = """query($q: String!) { siteSearch(query: $q, kinds: [SERVICE]) {
      totalCount kindCounts { kind count } items { key } } }"""
    found = graphql(query, {"q": "työkokeilu"})["data"]["siteSearch"]

    assert "work-trial" not in {item["key"] for item in found["items"]}
    services = {c["kind"]: c["count"] for c in found["kindCounts"]}["SERVICE"]
    assert services == found["totalCount"]


def test_an_expired_service_asked_for_by_key_says_so(graphql, windows):
    query = 'query { service(key: "work-trial") { key validity validUntil } }'
    answer = graphql(query)["data"]["service"]

    assert answer["validity"] == EXPIRED
    assert answer["validUntil"] == str(windows - timedelta(days=1))


# --- Elasticsearch bodies and documents, without a server --------------------------------


def test_the_services_body_filters_by_window_visibility_and_terms(small_catalogue):
    search = ServiceSearch(
        locale=Locale.get_default(),
        visibility=_anonymous(),
        filter={"municipalities": ["091", "049"], "age": 30},
        validity=(CURRENT,),
    )
    body = elasticsearch.services_body(search, offset=20, limit=10)
    filters = body["query"]["function_score"]["query"]["bool"]["filter"]

    day = search.today.isoformat()
    assert {"term": {"kind": "SERVICE"}} in filters
    assert {"term": {"served_in": "fi"}} in filters
    assert {"terms": {"municipalities": ["091", "049"]}} in filters
    window = elasticsearch.validity_clause((CURRENT,), search.today)
    assert window in filters
    assert {"range": {"valid_from": {"gt": day}}} in window["bool"]["should"][0]["bool"]["must_not"]
    assert (body["from"], body["size"]) == (20, 10)
    assert set(body["aggs"]) >= {"municipalities", "categories", "organisation", "audience"}


def test_the_site_search_body_keeps_hidden_content_and_ended_services_out(small_catalogue):
    search = SiteSearch(text="palkkatuki", locale=Locale.get_default(), visibility=_anonymous())
    body = elasticsearch.site_search_body(search, offset=0, limit=20)
    query = body["query"]["bool"]

    assert elasticsearch.validity_clause((CURRENT,), search.today) in query["filter"]
    assert query["must_not"], "an anonymous caller fails the internal section's restriction"
    assert body["post_filter"] == {"terms": {"kind": sorted(search.kinds)}}


def test_an_index_document_carries_the_validity_dates_and_leaves_open_ends_out(windows):
    ended = index.page_document(service("work-trial"))
    open_ended = index.page_document(service("youth-workshop"))

    assert ended["valid_until"] == windows - timedelta(days=1)
    assert "valid_from" not in open_ended and "valid_until" not in open_ended
    assert index.MAPPINGS["properties"]["valid_until"] == {"type": "date"}


def _anonymous():
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from cms.visibility import for_request

    request = RequestFactory().get("/graphql/")
    request.user = AnonymousUser()
    return for_request(request)


# --- Elasticsearch unreachable ----------------------------------------------------------


def unreachable_elasticsearch():
    return override_settings(
        ELASTICSEARCH_URL=UNREACHABLE,
        ELASTICSEARCH_TIMEOUT=1,
        WAGTAILSEARCH_BACKENDS={
            "default": {
                "BACKEND": "wagtail.search.backends.elasticsearch8",
                "URLS": [UNREACHABLE],
                "INDEX_PREFIX": "unreachable_",
                "TIMEOUT": 1,
            }
        },
    )


@pytest.fixture
def outage(monkeypatch):
    monkeypatch.setattr(backends.outage, "down", False)
    with unreachable_elasticsearch():
        yield


def test_with_elasticsearch_down_listings_come_from_the_database_and_say_so(
    graphql, small_catalogue, outage, caplog
):
    with caplog.at_level(logging.WARNING, logger="search.backends"):
        first = graphql(SERVICES, {"query": "työkokeilu"})
        second = graphql('query { siteSearch(query: "työkokeilu") { totalCount items { key } } }')

    assert "errors" not in first and "errors" not in second, (first, second)
    assert first["extensions"] == {"search": "DEGRADED"}
    assert second["extensions"] == {"search": "DEGRADED"}
    assert "work-trial" in by_key(first["data"]["services"])
    assert "work-trial" in {item["key"] for item in second["data"]["siteSearch"]["items"]}
    # One log line for the outage, not one per request.
    outage_lines = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(outage_lines) == 1


def test_a_healthy_engine_adds_no_extensions(graphql, small_catalogue):
    assert "extensions" not in graphql(SERVICES)


def test_readiness_holds_during_a_search_outage(client, db, outage):
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json()["checks"]["search"]["status"] == "degraded"


@pytest.mark.elasticsearch
def test_an_import_and_edits_made_during_an_outage_reach_both_indexes_after_reconcile(
    graphql, site_tree, django_capture_on_commit_callbacks
):
    index.drop()
    index.ensure_index()
    import_document(CATALOGUE)
    reindex()
    freshness._batch.take()
    new_service = service_record(
        "outage-service", "helsinki", "Katkonaikainen palvelu", municipalities=["091"]
    )
    document = {**CATALOGUE, "services": [*CATALOGUE["services"], new_service]}

    with unreachable_elasticsearch(), django_capture_on_commit_callbacks(execute=True):
        import_document(document)  # completes: no ConnectionError
        page = service("career-coaching")
        page.title = "Uravalmennus katkon aikana"
        page.save_revision().publish()

    assert service("outage-service").live
    assert PendingIndexUpdate.objects.filter(object_id=service("outage-service").pk).exists()

    call_command("search_reconcile", stdout=StringIO())
    index.client().indices.refresh(index=index.alias())
    _refresh_wagtail_index()

    assert not PendingIndexUpdate.objects.exists()
    for text, key in (("Katkonaikainen", "outage-service"), ("katkon aikana", "career-coaching")):
        hits = graphql(
            "query($q: String!) { siteSearch(query: $q) { items { key } } }", {"q": text}
        )["data"]["siteSearch"]["items"]
        assert key in {hit["key"] for hit in hits}, (text, hits)
        pages = graphql(
            "query($q: String) { pages(searchQuery: $q) { ... on ServicePage { key } } }",
            {"q": text},
        )["data"]["pages"]
        assert key in {found.get("key") for found in pages}, (text, pages)
    index.drop()


def _refresh_wagtail_index():
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    backend.es.indices.refresh(index=f"{backend.index_prefix}*")

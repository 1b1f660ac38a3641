"""Persisted queries (cms.persisted_queries): clients name a document instead of sending it.

Automatic persisted queries follow Apollo's protocol; the registered
documents are the frontends' documents in graphql/queries/, by hash or id.
Both work over GET, which HTTP caches can keep.
"""

import hashlib
import json
import uuid
from pathlib import Path

import pytest

from cms import content_generation
from favourites.models import FavouriteList

pytestmark = pytest.mark.django_db

QUERIES = Path(__file__).resolve().parents[2] / "graphql" / "queries"
TAXONOMIES = (QUERIES / "taxonomies.graphql").read_text()
MUNICIPALITIES = "query Municipalities($locale: String) { municipalities(locale: $locale) {code} }"


@pytest.fixture(autouse=True)
def _own_generation():
    """Answers cached here stay here: the content is the migrations' own, but other tests'
    answers to the same documents must not be read, nor these left for them."""
    content_generation.advance()
    yield
    content_generation.advance()


def unregistered():
    """A document no client has registered yet (the registrations outlive a test)."""
    return f"{MUNICIPALITIES}\n# {uuid.uuid4()}"


def sha256(text):
    return hashlib.sha256(text.encode()).hexdigest()


def persisted(text_or_hash):
    sha = text_or_hash if len(text_or_hash) == 64 else sha256(text_or_hash)
    return {"persistedQuery": {"version": 1, "sha256Hash": sha}}


def get(client, **params):
    encoded = {k: json.dumps(v) if isinstance(v, dict) else v for k, v in params.items()}
    return client.get("/graphql/", encoded)


def post(client, **body):
    return client.post("/graphql/", data=json.dumps(body), content_type="application/json")


def codes(response):
    return [error.get("extensions", {}).get("code") for error in response.json()["errors"]]


def municipality_codes(response):
    body = response.json()
    assert "errors" not in body, body["errors"]
    return {item["code"] for item in body["data"]["municipalities"]}


# --- Automatic persisted queries ----------------------------------------------------


def test_an_unknown_hash_is_not_found_then_registered_then_answered_by_hash(client):
    query = unregistered()
    not_found = post(client, extensions=persisted(query))
    assert codes(not_found) == ["PERSISTED_QUERY_NOT_FOUND"]
    assert not_found.json()["errors"][0]["message"] == "PersistedQueryNotFound"

    registered = post(client, query=query, extensions=persisted(query))
    assert "091" in municipality_codes(registered)

    by_hash = post(client, extensions=persisted(query), variables={"locale": "sv"})
    assert municipality_codes(by_hash) == municipality_codes(registered)


def test_the_round_trip_works_over_get(client):
    query = unregistered()
    assert codes(get(client, extensions=persisted(query))) == ["PERSISTED_QUERY_NOT_FOUND"]
    get(client, query=query, extensions=persisted(query))

    answer = get(client, extensions=persisted(query), operationName="Municipalities")

    assert answer.status_code == 200
    assert "091" in municipality_codes(answer)


def test_a_hash_that_is_not_the_querys_is_refused_and_not_stored(client):
    other = sha256(unregistered())

    refused = post(client, query=MUNICIPALITIES, extensions=persisted(other))

    assert codes(refused) == ["PERSISTED_QUERY_HASH_MISMATCH"]
    assert codes(post(client, extensions=persisted(other))) == ["PERSISTED_QUERY_NOT_FOUND"]


@pytest.mark.parametrize(
    "extensions",
    [
        {"persistedQuery": {"version": 2, "sha256Hash": "0" * 64}},
        {"persistedQuery": {"version": 1, "sha256Hash": "not a hash"}},
        {"persistedQuery": "yes"},
        "not json",
    ],
    ids=["version 2", "malformed hash", "not an object", "not json"],
)
def test_a_malformed_persisted_query_is_a_clear_error(client, extensions):
    response = get(client, extensions=extensions)

    assert response.status_code == 400
    assert codes(response) == ["BAD_USER_INPUT"]


def test_a_persisted_mutation_does_not_run_over_get(client, role_user):
    client.force_login(role_user("expert"))
    create = f'mutation {{ createFavouriteList(name: "Omat") {{ id }} }} # {uuid.uuid4()}'
    post(client, query=create, extensions=persisted(create))
    assert FavouriteList.objects.count() == 1

    response = get(client, extensions=persisted(create))

    assert response.status_code == 405
    assert FavouriteList.objects.count() == 1


# --- Registered documents -----------------------------------------------------------


def test_a_registered_document_is_answered_by_its_hash_over_get(client):
    response = get(client, extensions=persisted(TAXONOMIES), variables={"locale": "sv"})

    assert response.status_code == 200
    assert "091" in municipality_codes(response)


@pytest.mark.parametrize("document_id", ["taxonomies", "sha256:" + sha256(TAXONOMIES)])
def test_a_registered_document_is_answered_by_its_document_id(client, document_id):
    response = get(client, documentId=document_id, operationName="Taxonomies")

    assert "091" in municipality_codes(response)


def test_an_unknown_document_id_is_not_found(client):
    response = get(client, documentId="web/no-such-document")

    assert codes(response) == ["PERSISTED_QUERY_NOT_FOUND"]
    assert "web/no-such-document" in response.json()["errors"][0]["message"]


def test_a_plain_get_with_the_whole_query_still_works(client):
    response = get(client, query=MUNICIPALITIES)

    assert "091" in municipality_codes(response)


# --- Registered documents only, for anonymous callers (production) ------------------


@pytest.fixture
def persisted_only(settings):
    settings.GRAPHQL_ANONYMOUS_PERSISTED_ONLY = True


def test_anonymous_callers_may_not_send_a_query_of_their_own(client, persisted_only):
    query = unregistered()
    for response in (
        post(client, query=query),
        get(client, query=query),
        post(client, query=query, extensions=persisted(query)),
        post(client, extensions=persisted(query)),
    ):
        assert response.status_code == 400
        assert codes(response) == ["PERSISTED_QUERY_REQUIRED"]
        assert "registered documents" in response.json()["errors"][0]["message"]


def test_anonymous_callers_may_run_the_registered_documents(client, persisted_only):
    for response in (
        get(client, documentId="taxonomies"),
        get(client, extensions=persisted(TAXONOMIES)),
        post(client, query=TAXONOMIES),  # the very text of a registered document
    ):
        assert "091" in municipality_codes(response)


def test_signed_in_callers_may_still_send_any_query(client, persisted_only, role_user):
    client.force_login(role_user("expert"))

    assert "091" in municipality_codes(post(client, query=MUNICIPALITIES))

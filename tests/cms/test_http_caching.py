"""What the GraphQL endpoint tells browsers, CDNs and proxies (cms.response_cache.http_caching).

Anonymous GET answers are public for a while and carry an ETag; a client
that has the answer already gets 304. Signed-in answers are private, POST
answers and answers with errors are not stored at all.
"""

import json

import pytest
from django.test import Client
from wagtail.models import APIToken

from cms import content_generation

pytestmark = pytest.mark.django_db

MUNICIPALITIES = "{ municipalities { code name } }"


@pytest.fixture(autouse=True)
def _own_generation():
    content_generation.advance()
    yield
    content_generation.advance()


def get(client, query=MUNICIPALITIES, **headers):
    return client.get("/graphql/", {"query": query}, **headers)


def cache_control(response):
    return {part.strip() for part in response["Cache-Control"].split(",")}


def vary(response):
    return {part.strip() for part in response["Vary"].split(",")}


def test_an_anonymous_get_is_public_for_a_while_with_an_etag(client, settings):
    settings.HTTP_CACHE_MAX_AGE = 60
    settings.HTTP_CACHE_STALE_WHILE_REVALIDATE = 300

    response = get(client)

    assert response.status_code == 200
    assert cache_control(response) == {"public", "max-age=60", "stale-while-revalidate=300"}
    assert response["ETag"].startswith('"')
    assert {"Accept-Language", "Cookie", "Authorization"} <= vary(response)
    # A shared answer sets no cookie (graphene would set the CSRF cookie).
    assert not response.cookies


def test_a_matching_etag_is_answered_with_304_and_no_body(client):
    etag = get(client)["ETag"]

    response = get(client, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert "public" in cache_control(response)


def test_a_changed_answer_has_another_etag(client):
    first = get(client)
    other = get(client, query="{ municipalities { code } }", HTTP_IF_NONE_MATCH=first["ETag"])

    assert other.status_code == 200
    assert other["ETag"] != first["ETag"]


def test_a_signed_in_get_is_private(client, role_user):
    client.force_login(role_user("expert"))

    response = get(client)

    assert response.status_code == 200
    assert cache_control(response) == {"private", "no-cache"}
    assert get(client, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_a_get_with_a_bearer_token_is_private(role_user):
    token = APIToken.create_token(user=role_user("expert"), name="frontend")[1]

    response = get(Client(), HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 200
    assert "private" in cache_control(response)
    assert "public" not in cache_control(response)


def test_post_answers_are_not_stored(client):
    response = client.post(
        "/graphql/", data=json.dumps({"query": MUNICIPALITIES}), content_type="application/json"
    )

    assert response.status_code == 200
    assert cache_control(response) == {"no-store"}
    assert "ETag" not in response


def test_answers_with_errors_are_not_stored(client):
    response = get(client, query="{ municipalities { nosuchfield } }")

    assert response.status_code == 400
    assert cache_control(response) == {"no-store"}


def test_answers_about_the_caller_are_not_stored(client):
    response = get(client, query="{ me { email } }")

    assert response.status_code == 200
    assert cache_control(response) == {"no-store"}

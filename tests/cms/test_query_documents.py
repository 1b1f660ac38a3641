"""The frontends' canonical query documents (graphql/queries/*.graphql) are valid and run.

A change to the schema that breaks a frontend's query fails here first.
"""

import json
from pathlib import Path

import pytest
from conftest import reindex
from graphql import parse, validate
from grapple.schema import schema

QUERIES = Path(__file__).resolve().parents[2] / "graphql" / "queries"


def _documents():
    return sorted(QUERIES.glob("*.graphql"))


@pytest.mark.parametrize("path", _documents(), ids=lambda path: path.name)
def test_every_query_document_validates_against_the_schema(path):
    errors = validate(schema.graphql_schema, parse(path.read_text()))

    assert errors == []


def test_the_frontend_documents_are_all_there():
    names = {path.stem for path in _documents()}

    assert {"services", "service", "municipality", "site-search", "favourites", "me"} <= names


def _post(client, name, operation, variables):
    response = client.post(
        "/graphql/",
        data=json.dumps(
            {
                "query": (QUERIES / name).read_text(),
                "variables": variables,
                "operationName": operation,
            }
        ),
        content_type="application/json",
    )
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


@pytest.mark.django_db
def test_the_public_documents_answer_on_a_small_catalogue(client, small_catalogue):
    reindex()

    listing = _post(
        client,
        "services.graphql",
        "ServiceList",
        {"filter": {"municipalities": ["049"]}, "exclude": {"categories": ["entrepreneurship"]}},
    )["services"]
    assert {item["key"] for item in listing["items"]} == {"work-trial", "career-coaching"}
    assert {b["value"] for b in listing["facets"]["organisations"]} == {"helsinki", "espoo"}

    detail = _post(
        client, "service.graphql", "ServiceDetail", {"key": "work-trial", "locale": "sv"}
    )["service"]
    assert (detail["title"], detail["locale"], detail["instructions"]) == (
        "Arbetsprövning",
        "sv",
        [],
    )

    municipality = _post(client, "municipality.graphql", "MunicipalityPage", {"code": "091"})
    categories = {b["value"]: b["count"] for b in municipality["services"]["facets"]["categories"]}
    assert categories == {
        "job-search-support": 1,
        "entrepreneurship": 1,
        "low-threshold-guidance": 1,
    }

    hits = _post(client, "site-search.graphql", "SiteSearch", {"query": "työkokeilu"})
    assert "work-trial" in {item["key"] for item in hits["siteSearch"]["items"]}

    options = _post(client, "taxonomies.graphql", "Taxonomies", {"locale": "sv"})
    assert {"code": "049", "name": "Esbo"} in [
        {"code": m["code"], "name": m["name"]} for m in options["municipalities"]
    ]

    assert _post(client, "me.graphql", "Me", {}) == {"me": None}


@pytest.mark.django_db
def test_the_expert_detail_document_includes_instructions(client, small_catalogue, role_user):
    client.force_login(role_user("expert"))

    detail = _post(client, "service.graphql", "ServiceDetail", {"key": "work-trial"})["service"]

    assert [i["key"] for i in detail["instructions"]] == ["work-trial-helsinki"]
    assert detail["instructions"][0]["guidance"]

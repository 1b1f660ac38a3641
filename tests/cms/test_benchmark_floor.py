"""The benchmark floor (scripts/floor.py) returns what the GraphQL documents return.

scripts/bench_graphql.py reports GraphQL's cost as a ratio to this floor; the
ratio means something only while both fetch the same services, counts and
facets.
"""

import json
from pathlib import Path

import pytest
from wagtail.models import Locale

from scripts.floor import Floor

QUERIES = Path(__file__).resolve().parents[2] / "graphql" / "queries"

pytestmark = pytest.mark.django_db


def _graphql(client, name, operation, variables):
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


def test_the_floor_lists_the_same_services_counts_and_facets_as_service_list(
    client, small_catalogue
):
    api = _graphql(
        client,
        "services.graphql",
        "ServiceList",
        {"locale": "fi", "filter": {"municipalities": ["049"]}},
    )["services"]
    floor = json.loads(Floor(Locale.get_default()).service_list("049"))

    assert floor["totalCount"] == api["totalCount"]
    assert [item["key"] for item in floor["items"]] == [item["key"] for item in api["items"]]
    for name in ("municipalities", "categories", "organisations"):
        counts = {bucket["value"]: bucket["count"] for bucket in api["facets"][name]}
        assert {b["value"]: b["count"] for b in floor["facets"][name]} == counts, name


def test_the_floor_finds_the_same_service_as_service_detail(client, small_catalogue):
    api = _graphql(
        client, "service.graphql", "ServiceDetail", {"key": "work-trial", "locale": "fi"}
    )["service"]
    floor = json.loads(Floor(Locale.get_default()).service_detail("work-trial"))

    assert floor["key"] == api["key"] == "work-trial"
    assert floor["title"] == api["title"]

"""The endpoint refuses abusive or broken requests with a GraphQL error, never a server error.

Depth, estimated cost and page sizes are checked before a query runs
(cms.graphql_guards); whatever goes wrong, the answer is JSON without a
traceback, also with DEBUG on (cms.api).
"""

import json
import logging
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation
from graphql import GraphQLError, build_schema, get_introspection_query, parse, validate

from cms import graphql_guards

NESTED_CHILDREN = "{ pages { " + "children { " * 12 + "id" + " }" * 12 + " } }"
QUERIES = Path(__file__).resolve().parents[2] / "graphql" / "queries"
HUNDRED_CUBED = "{ pages(limit: 100) { children(limit: 100) { children(limit: 100) { id } } } }"


def _send(body, content_type="application/json"):
    if not isinstance(body, (str, bytes)):
        body = json.dumps(body)
    return Client().post("/graphql/", data=body, content_type=content_type)


def _errors(response, status=400):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    text = response.content.decode()
    assert "Traceback" not in text
    assert 'File "' not in text
    return [error["message"] for error in response.json()["errors"]]


@pytest.fixture(autouse=True)
def debug_on(settings):
    """DEBUG on throughout: Django's debug pages are what would leak a traceback."""
    settings.DEBUG = True


def test_a_query_nested_too_deep_is_refused(db):
    messages = _errors(_send({"query": NESTED_CHILDREN}))
    assert "Query depth 14 exceeds the maximum depth of 12." in messages


def test_the_depth_limit_comes_from_the_settings(db, settings):
    settings.GRAPHQL_MAX_DEPTH = 2
    messages = _errors(_send({"query": "{ pages { children { id } } }"}))
    assert messages[0] == "Query depth 3 exceeds the maximum depth of 2."


def test_a_query_too_costly_is_refused_naming_its_cost_and_the_limit(db):
    messages = _errors(_send({"query": HUNDRED_CUBED}))
    assert len(messages) == 1
    assert messages[0].startswith("Query cost 1,010,301 exceeds the maximum cost of 25,000.")


def test_the_cost_counts_fragments_and_lists_without_a_limit_as_a_full_page(db, settings):
    # pages: 1 + its work 200, and per page (20 without a limit): id 1 + children 1
    # + 20 × id 1 = 22.
    settings.GRAPHQL_MAX_COST = 640
    query = "fragment Tree on PageInterface { id children { id } } { pages { ...Tree } }"
    assert _errors(_send({"query": query}))[0].startswith("Query cost 641 exceeds")
    settings.GRAPHQL_MAX_COST = 641
    assert "errors" not in _send({"query": query}).json()


def test_fragments_that_multiply_are_costed_without_expanding_them(db):
    # Each fragment spreads the previous one twice: 2^39 copies of pages { id } at 221 each.
    fragments = ["fragment F0 on Query { pages { id } }"] + [
        f"fragment F{n} on Query {{ ...F{n - 1} ...F{n - 1} }}" for n in range(1, 40)
    ]
    query = "{ ...F39 }\n" + "\n".join(fragments)
    messages = _errors(_send({"query": query}))
    assert messages[0].startswith("Query cost 121,496,034,869,248 exceeds")


def test_a_page_of_results_gives_its_limit_to_the_lists_inside_it(settings):
    schema = build_schema("""
        type Query { results(limit: Int): Results! }
        type Results { total: Int! items: [Item!]! }
        type Item { key: String! tags: [String!]! }
    """)
    # results 1 + its work 10 + total 1 + items 1 + 50 × key 1 (the limit reaches items,
    # not deeper).
    document = parse("{ results(limit: 50) { total items { key } } }")
    settings.GRAPHQL_MAX_COST = 62
    with translation.override("en"):  # the view's language for a caller that names none
        errors = validate(schema, document, graphql_guards.validation_rules())
    assert [error.message.split(".")[0] for error in errors] == [
        "Query cost 63 exceeds the maximum cost of 62"
    ]


def test_a_limit_above_the_maximum_page_size_is_an_error_not_silently_clamped(db):
    messages = _errors(_send({"query": "{ pages(limit: 101) { id } }"}))
    assert messages == [
        "pages: limit 101 exceeds the maximum page size of 100; page through the results "
        "with offset."
    ]


def test_a_limit_passed_as_a_variable_is_checked_too(db):
    query = "query ($limit: PositiveInt) { pages(limit: $limit) { id } }"
    messages = _errors(_send({"query": query, "variables": {"limit": 500}}))
    assert messages[0].startswith("pages: limit 500 exceeds the maximum page size of 100")


@pytest.mark.parametrize(
    "request_body",
    [
        {"query": "{ pages(offset: -1) { id } }"},
        {
            "query": "query ($offset: PositiveInt) { pages(offset: $offset) { id } }",
            "variables": {"offset": -1},
        },
    ],
    ids=["literal", "variable"],
)
def test_a_negative_offset_is_an_error(db, request_body):
    assert _errors(_send(request_body)) == ["pages: offset must not be negative (got -1)."]


def test_a_negative_limit_is_an_error(db):
    messages = _errors(_send({"query": "{ documents(limit: -5) { id } }"}))
    assert messages == ["documents: limit must not be negative (got -5)."]


def test_an_unknown_field_is_an_error(db):
    messages = _errors(_send({"query": "{ pages { id nonsense } }"}))
    assert messages[0].startswith("Cannot query field 'nonsense'")


def test_an_argument_of_the_wrong_type_is_an_error(db):
    messages = _errors(_send({"query": '{ pages(limit: "ten") { id } }'}))
    assert "PositiveInt" in messages[0]


def test_a_variable_of_the_wrong_type_is_an_error(db):
    query = "query ($limit: PositiveInt) { pages(limit: $limit) { id } }"
    messages = _errors(_send({"query": query, "variables": {"limit": "ten"}}))
    assert messages[0].startswith("Variable '$limit' got invalid value 'ten'")


@pytest.mark.parametrize(
    "query",
    ["{ ...Missing }", "fragment Loop on Query { ...Loop } { ...Loop }"],
    ids=["unknown fragment", "fragment cycle"],
)
def test_broken_fragments_are_validation_errors(db, query):
    assert _errors(_send({"query": query}))


def test_malformed_json_is_a_json_error(db):
    assert _errors(_send('{"query": "{ pages { id } }"')) == ["POST body sent invalid JSON."]


def test_a_body_that_is_not_json_is_a_json_error(db):
    assert _errors(_send("query=nope", content_type="text/plain")) == ["Must provide query string."]


def test_a_graphql_body_that_is_not_utf8_is_a_json_error(db):
    response = _send(b"{ pages { title } }\xff", content_type="application/graphql")
    assert _errors(response) == ["The request body is not UTF-8."]


@pytest.mark.parametrize(
    ("request_body", "message"),
    [
        ({"query": 42}, "query must be a string."),
        ({"query": "{ pages { id } }", "variables": [1]}, "variables must be a JSON object."),
        ([{"query": "{ pages { id } }"}], "The received data is not a valid JSON query."),
    ],
)
def test_json_of_the_wrong_shape_is_a_json_error(db, request_body, message):
    assert _errors(_send(request_body)) == [message]


def test_an_unexpected_failure_is_an_internal_error_logged_once_with_a_request_id(
    site_tree, caplog, monkeypatch
):
    from catalogue import schema

    def broken(model, code):
        raise RuntimeError("secret detail from deep inside")

    monkeypatch.setattr(schema, "_localised_terms", broken)
    with caplog.at_level(logging.ERROR, logger="cms.api"):
        response = _send({"query": "{ municipalities { code } }"})
    (message,) = _errors(response, status=200)
    assert message.startswith("Internal error (request ")
    assert "secret detail" not in response.content.decode()
    request_id = message.removeprefix("Internal error (request ").rstrip(")")
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1 and request_id in errors[0].getMessage()


def test_an_order_that_is_not_documented_is_the_callers_mistake(site_tree, caplog):
    with caplog.at_level(logging.WARNING):
        for order in ("no_such_field", "owner__password", "title,-owner__email"):
            response = _send({"query": f'{{ pages(order: "{order}") {{ id }} }}'})
            (message,) = _errors(response, status=400)
            assert "must be one of id, title, slug" in message
    assert not [record for record in caplog.records if record.exc_info]
    assert "errors" not in _send({"query": '{ pages(order: "-title") { id } }'}).json()


def test_a_null_in_a_non_null_field_keeps_graphql_cores_message(db):
    """How a page hidden by the visibility middleware shows in a non-null position."""
    from cms.api import DeliveryGraphQLView

    message = "Cannot return null for non-nullable field Query.pages."
    error = GraphQLError(message, path=["pages"], original_error=TypeError(message))
    assert DeliveryGraphQLView().format_error(error) == {"message": message, "path": ["pages"]}
    error = GraphQLError("secret", path=["pages"], original_error=ValueError("secret"))
    with translation.override("en"):  # the view's language for a caller that names none
        formatted = DeliveryGraphQLView().format_error(error)
    assert formatted["message"].startswith("Internal error (request ")
    assert formatted["path"] == ["pages"]


@pytest.mark.parametrize(
    "options",
    [
        {"descriptions": True, "input_value_deprecation": True},
        {
            "descriptions": True,
            "specified_by_url": True,
            "directive_is_repeatable": True,
            "schema_description": True,
            "input_value_deprecation": True,
        },
    ],
    ids=["graphiql", "every option"],
)
def test_graphiqls_introspection_query_passes(db, options):
    response = _send({"query": get_introspection_query(**options)})
    assert response.status_code == 200
    body = response.json()
    assert "errors" not in body
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"


def test_nested_introspection_is_refused(db):
    query = "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }"
    assert _errors(_send({"query": query})) == ["Maximum introspection depth exceeded"]


def test_a_full_page_of_pages_with_their_children_is_within_the_limits(site_tree):
    query = "{ pages(limit: 100) { id title children { id title } } }"
    response = _send({"query": query})
    assert response.status_code == 200
    assert "errors" not in response.json()


@pytest.mark.parametrize("path", sorted(QUERIES.glob("*.graphql")), ids=lambda path: path.name)
def test_the_frontends_documents_pass_the_guard_rails_at_the_maximum_page_size(path):
    from grapple.schema import schema

    rules = graphql_guards.validation_rules({"limit": 100})
    assert validate(schema.graphql_schema, parse(path.read_text()), rules) == []

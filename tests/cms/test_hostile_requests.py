"""Malformed, hostile and oversized requests to /graphql/, sent as an attacker would.

Over three hundred requests, in the classes a probe of the public endpoint
found answered with server errors, tracebacks or minutes of work: alias and
introspection amplification, deeply nested JSON, broken multipart bodies, NUL
bytes, control characters and lone surrogates, non-numeric ids, ORM paths as
``order``, offsets past the result window, 100 kB search texts, 100,000-value
filter lists, bodies of the wrong shape, syntax bombs, CSRF failures and
foreign Host headers. For every one:

- no 5xx status;
- a JSON body in graphene-django's error shape;
- no stack-trace text in the body, and no traceback in the log;
- an answer well within the request deadline (``GRAPHQL_DEADLINE_SECONDS``).

Afterwards the server still answers an ordinary query.
"""

import json
import logging
import time
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db

ENDPOINT = "/graphql/"
HUGE_TEXT = "työkokeilu " * 10_000  # about 110 kB


@dataclass
class Hostile:
    """One request: a label for failure messages and how to send it."""

    label: str
    body: bytes | str | None = None
    content_type: str = "application/json"
    method: str = "post"
    query_string: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)

    def send(self, client):
        if self.method == "get":
            return client.get(ENDPOINT, self.query_string, **self.headers)
        return client.generic(
            "POST", ENDPOINT, self.body or b"", content_type=self.content_type, **self.headers
        )


def graphql(label, query, variables=None, **extra):
    body = {"query": query}
    if variables is not None:
        body["variables"] = variables
    return Hostile(label, json.dumps(body), **extra)


def raw(label, text, content_type="application/json"):
    return Hostile(label, text.encode("utf-8", "surrogatepass"), content_type)


# --- The classes of hostile requests -------------------------------------------------


def alias_amplification():
    fields = {
        "services": "services { totalCount }",
        "siteSearch": 'siteSearch(query: "palkkatuki") { totalCount }',
        "service": 'service(key: "work-trial") { key }',
        "schema": "__schema { types { name } }",
        "pages": "pages { id }",
        "municipalities": "municipalities { code }",
        "documents": "documents { id }",
        "translationStatus": 'translationStatus(locale: "sv") { total }',
    }
    for name, selection in fields.items():
        for count in (11, 31, 200, 1000):
            query = "{ " + " ".join(f"a{i}: {selection}" for i in range(count)) + " }"
            yield graphql(f"{count} aliases of {name}", query)
    # The same root field repeated without aliases merges; with fragments it must still count.
    spread = " ".join(f"...F{i}" for i in range(40))
    fragments = " ".join(
        f"fragment F{i} on Query {{ x{i}: services {{ totalCount }} }}" for i in range(40)
    )
    yield graphql("40 fragments of aliased services", f"{{ {spread} }} {fragments}")
    for count in (4, 6, 20):
        query = (
            "{ "
            + " ".join(
                f"s{i}: __schema {{ types {{ name fields {{ name }} }} }}" for i in range(count)
            )
            + " }"
        )
        yield graphql(f"{count} whole introspections", query)


def nested_json():
    for depth in (11, 50, 500, 999, 1_000, 5_000, 100_000):
        nested = "[" * depth + "]" * depth
        yield raw(
            f"variables nested {depth} deep",
            '{"query": "query($f: ServiceFilter) { services(filter: $f) { totalCount } }", '
            f'"variables": {{"f": {{"municipalities": {nested}}}}}}}',
        )
        yield raw(f"body nested {depth} deep", "{" + '"a":{' * depth + "}" * depth + "}")


def broken_multipart():
    part = (
        b'--B\r\nContent-Disposition: form-data; name="operations"\r\n\r\n'
        b'{"query": "{ __typename }"}\r\n--B--\r\n'
    )
    for label, content_type, body in (
        ("no boundary", "multipart/form-data", part),
        ("empty boundary", "multipart/form-data; boundary=", part),
        ("non-ASCII boundary", "multipart/form-data; boundary=äö", part),
        ("boundary of spaces", "multipart/form-data; boundary=   ", part),
        ("mismatched boundary", "multipart/form-data; boundary=X", part),
        ("truncated body", "multipart/form-data; boundary=B", part[:40]),
        ("very long boundary", "multipart/form-data; boundary=" + "b" * 300, part),
        ("no parts", "multipart/form-data; boundary=B", b"--B--\r\n"),
        ("garbage", "multipart/form-data; boundary=B", b"\x00\xff" * 500),
    ):
        yield Hostile(f"multipart: {label}", body, content_type)


# Where a caller's string reaches an engine: (label, query with $s: String).
STRING_ARGUMENTS = (
    ("services query", "query($s: String) { services(query: $s) { totalCount } }"),
    ("siteSearch query", "query($s: String!) { siteSearch(query: $s) { totalCount } }"),
    ("service key", "query($s: String) { service(key: $s) { key } }"),
    ("service slug", "query($s: String) { service(slug: $s) { key } }"),
    ("pages searchQuery", "query($s: String) { pages(searchQuery: $s) { id } }"),
    ("page slug", "query($s: String) { page(slug: $s) { id } }"),
    ("page urlPath", "query($s: String) { page(urlPath: $s) { id } }"),
    ("shared list token", "query($s: String!) { sharedFavouriteList(token: $s) { name } }"),
    ("services locale", "query($s: String) { services(locale: $s) { totalCount } }"),
    ("documents searchQuery", "query($s: String) { documents(searchQuery: $s) { id } }"),
)
BAD_STRINGS = {
    "NUL": "palkka\x00tuki",
    "bell": "palkka\x07tuki",
    "escape": "\x1b[31m",
    "delete": "palkka\x7ftuki",
    "lone high surrogate": "palkka\ud800tuki",
    "lone low surrogate": "\udc00",
}


def bad_strings():
    for where, query in STRING_ARGUMENTS:
        for what, text in BAD_STRINGS.items():
            body = json.dumps({"query": query, "variables": {"s": text}})
            yield raw(f"{what} in {where} (variable)", body)
        literal = query.replace("$s", '"palkka\\u0000tuki"').split(") {", 1)
        literal = "{" + literal[1] if len(literal) == 2 else query
        yield graphql(f"NUL in {where} (literal)", literal)


ID_FIELDS = (
    "page(id: {v}) {{ id }}",
    "document(id: {v}) {{ id }}",
    "image(id: {v}) {{ id }}",
    "tag(id: {v}) {{ id }}",
    "site(id: {v}) {{ hostname }}",
    "service(id: {v}) {{ key }}",
    "pages(id: {v}) {{ id }}",
    "favouriteList(id: {v}) {{ name }}",
)
BAD_IDS = ('"abc"', '"1e5"', '"-1"', '"1.5"', '"99999999999999999999"', '" 1"', '"0x10"', '"１"')


def non_numeric_ids():
    for template in ID_FIELDS:
        for value in BAD_IDS:
            query = "{ " + template.format(v=value) + " }"
            yield graphql(f"id {value} in {template.split('(')[0]}", query)


ORDERED_FIELDS = ("pages", "documents", "images", "collections", "tags", "sites")
BAD_ORDERS = (
    "no_such_field",
    "owner__password",
    "uploaded_by_user__password",
    "-title,owner__email",
    "?",
    "title; drop table",
    "",
)


def unknown_orders():
    for name in ORDERED_FIELDS:
        selection = "hostname" if name == "sites" else "id"
        for order in BAD_ORDERS:
            yield graphql(
                f"{name} order {order!r}",
                f"{{ {name}(order: {json.dumps(order)}) {{ {selection} }} }}",
            )
    for order in ("BOGUS", '"title"', "owner__password"):
        yield graphql(f"services order {order}", f"{{ services(order: {order}) {{ totalCount }} }}")


def result_windows():
    for query in (
        "{ services(offset: 9990, limit: 20) { totalCount } }",
        '{ siteSearch(query: "työ", offset: 100000) { totalCount } }',
        "{ pages(offset: 2147483600, limit: 100) { id } }",
        "{ services(offset: 2147483648) { totalCount } }",
        "{ services(limit: 99999999999) { totalCount } }",
        "{ documents(offset: 50000) { id } }",
        '{ siteSearch(query: "työ", offset: 9999, limit: 2) { totalCount } }',
        "{ services(offset: -5) { totalCount } }",
    ):
        yield graphql(f"window {query[2:40]}", query)


def huge_texts():
    for where, query in STRING_ARGUMENTS[:6]:
        yield graphql(f"110 kB in {where}", query, {"s": HUGE_TEXT})
    yield graphql("110 kB literal", '{ services(query: "' + HUGE_TEXT + '") { totalCount } }')
    yield graphql("110 kB search field", '{ search(query: "' + HUGE_TEXT + '") { __typename } }')


def huge_lists():
    query = "query($f: ServiceFilter) { services(filter: $f) { totalCount } }"
    for name in ("municipalities", "categories", "lifeSituations", "languages", "organisations"):
        for count in (101, 100_000):
            values = [f"{i:03}" for i in range(count)]
            yield graphql(f"{count} values in {name}", query, {"f": {name: values}})
    yield graphql(
        "100,000 ids to reorder",
        "mutation($ids: [ID!]!) { reorderFavouriteLists(ids: $ids) { id } }",
        {"ids": [str(i) for i in range(100_000)]},
    )


def wrong_shapes():
    yield raw("not JSON", "{query: services}")
    yield raw("empty body", "")
    yield raw("a number", "42")
    yield raw("a string", '"{ __typename }"')
    yield raw("null", "null")
    yield raw("an array of 1000", json.dumps([{"query": "{ __typename }"}] * 1000))
    yield raw("query is a number", '{"query": 5}')
    yield raw("query is an object", '{"query": {"a": 1}}')
    yield raw("variables is a list", '{"query": "{ __typename }", "variables": [1]}')
    yield raw(
        "variables is a string of JSON garbage", '{"query": "{ __typename }", "variables": "{x"}'
    )
    yield raw("unknown operation", '{"query": "query A { __typename }", "operationName": "B"}')
    yield raw("invalid UTF-8", b"\xff\xfe{}".decode("latin-1"), "application/json")
    yield Hostile("invalid UTF-8 graphql", b"{ \xff }", "application/graphql")
    yield Hostile("wrong content type", b"<xml/>", "application/xml")
    yield Hostile("form without query", b"a=b", "application/x-www-form-urlencoded")
    yield Hostile("oversize body", b'{"query": "' + b" " * 3_000_000 + b'{ __typename }"}')
    yield raw(
        "lone surrogate in the query text",
        '{"query": "{ services(query: \\"\\ud800\\") { totalCount } }"}',
    )
    yield raw("duplicate keys", '{"query": "{ __typename }", "query": "{ me { id } }"}')


def syntax_bombs():
    yield graphql("unknown field", "{ nope }")
    yield graphql("10,000 nested braces", "{ pages " + "{ children " * 10_000 + "}" * 10_001)
    yield graphql("200 nested lists", "{ pages " + "{ children " * 200 + "{ id }" + "}" * 201)
    yield graphql(
        "fragment cycle", "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }"
    )
    yield graphql("unknown fragment", "{ ...Nope }")
    yield graphql("1 MB of comments", "#" + "x" * 1_000_000 + "\n{ __typename }")
    yield graphql(
        "10,000 operations", " ".join(f"query Q{i} {{ __typename }}" for i in range(10_000))
    )
    yield graphql(
        "10,000 arguments",
        "{ services(" + ", ".join(f"a{i}: 1" for i in range(10_000)) + ") { totalCount } }",
    )
    yield graphql("10,000 directives", "{ __typename " + "@include(if: true) " * 10_000 + "}")
    yield graphql("unterminated string", '{ services(query: "abc) { totalCount } }')
    yield graphql("a variable never declared", "{ services(query: $q) { totalCount } }")
    yield graphql(
        "wrong variable type", "query($q: Int) { services(query: $q) { totalCount } }", {"q": "x"}
    )
    yield graphql("subscription", "subscription { __typename }")
    yield graphql("100,000 fields", "{ __typename " + "__typename " * 100_000 + "}")


def get_requests():
    for query in (
        "{ nope }",
        'mutation { createFavouriteList(name: "x") { id } }',
        "{ services(order: owner__password) { totalCount } }",
        '{ page(id: "abc") { id } }',
    ):
        yield Hostile(f"GET {query[:30]}", method="get", query_string={"query": query})
    yield Hostile(
        "GET with broken variables",
        method="get",
        query_string={"query": "{ __typename }", "variables": "{x"},
    )
    yield Hostile(
        "GET with a 10 kB query string",
        method="get",
        query_string={"query": "{ __typename }" + " " * 10_000},
    )


def foreign_hosts():
    for host in ("evil.example", "localhost:99999", "[::1", "a" * 300):
        yield graphql(f"Host {host[:20]}", "{ __typename }", headers={"HTTP_HOST": host})


HOSTILE = [
    *alias_amplification(),
    *nested_json(),
    *broken_multipart(),
    *bad_strings(),
    *non_numeric_ids(),
    *unknown_orders(),
    *result_windows(),
    *huge_texts(),
    *huge_lists(),
    *wrong_shapes(),
    *syntax_bombs(),
    *get_requests(),
    *foreign_hosts(),
]


def _problems(hostile, response, seconds):
    problems = []
    if response.status_code >= 500:
        problems.append(f"status {response.status_code}")
    if not response.get("Content-Type", "").startswith("application/json"):
        problems.append(f"content type {response.get('Content-Type')!r}")
    text = response.content.decode("utf-8", "replace")
    try:
        body = json.loads(text)
    except ValueError:
        problems.append(f"not JSON: {text[:120]!r}")
    else:
        if not isinstance(body, dict) or not (body.get("errors") or "data" in body):
            problems.append(f"not a GraphQL answer: {text[:120]!r}")
    if "Traceback" in text or 'File "' in text:
        problems.append("stack trace in the body")
    if "Internal error" in text:
        problems.append("an internal error for a caller's mistake")
    if seconds > settings.GRAPHQL_DEADLINE_SECONDS:
        problems.append(f"took {seconds:.1f} s")
    return [f"{hostile.label}: {problem}" for problem in problems]


def test_there_are_over_three_hundred_hostile_requests():
    assert len(HOSTILE) >= 300, len(HOSTILE)


def test_every_hostile_request_is_refused_in_json_quickly_and_without_a_traceback(
    small_catalogue, caplog
):
    client = Client()
    problems = []
    with caplog.at_level(logging.INFO):
        for hostile in HOSTILE:
            started = time.monotonic()
            response = hostile.send(client)
            problems += _problems(hostile, response, time.monotonic() - started)
    assert problems == []
    # Django reports a foreign Host header on its security logger, without a traceback.
    tracebacks = [
        r
        for r in caplog.records
        if r.exc_info or (r.levelno >= logging.ERROR and not r.name.startswith("django.security"))
    ]
    assert [r.getMessage()[:200] for r in tracebacks] == []

    # The server still answers.
    answer = client.post(
        ENDPOINT, {"query": "{ services { totalCount } }"}, content_type="application/json"
    ).json()
    assert answer["data"]["services"]["totalCount"] > 0


def test_a_csrf_failure_on_the_api_is_json(small_catalogue, role_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(role_user("expert"))
    response = client.post(ENDPOINT, {"query": "{ me { email } }"}, content_type="application/json")

    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert "CSRF" in response.json()["errors"][0]["message"]


def test_alias_and_introspection_amplification_is_refused_before_anything_runs(
    small_catalogue, django_assert_max_num_queries
):
    query = "{ " + " ".join(f"a{i}: services {{ totalCount }}" for i in range(11)) + " }"
    with django_assert_max_num_queries(2):  # the session and the user, nothing of the catalogue
        response = Client().post(ENDPOINT, {"query": query}, content_type="application/json")
    assert response.status_code == 400
    messages = [error["message"] for error in response.json()["errors"]]
    assert any("at most 10 are allowed" in message for message in messages), messages

    introspection = (
        "{ " + " ".join(f"s{i}: __schema {{ types {{ name }} }}" for i in range(6)) + " }"
    )
    response = Client().post(ENDPOINT, {"query": introspection}, content_type="application/json")
    assert "Query cost 30,000 exceeds" in response.json()["errors"][0]["message"]


def test_an_overlong_query_document_is_refused_before_it_is_read(small_catalogue):
    padded = "#" + "x" * 1_000_000 + "\n{ __typename }"
    started = time.monotonic()
    response = Client().post(ENDPOINT, {"query": padded}, content_type="application/json")
    assert time.monotonic() - started < 1
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == (
        "The query text is longer than 100000 characters."
    )
    # A document of ordinary size with comments is still read.
    commented = "# list the first service\n{ __typename }"
    answer = Client().post(ENDPOINT, {"query": commented}, content_type="application/json")
    assert answer.json()["data"] == {"__typename": "Query"}


def test_anonymous_introspection_can_be_turned_off(small_catalogue, role_user, settings):
    settings.GRAPHQL_ANONYMOUS_INTROSPECTION = False
    query = {"query": "{ __schema { queryType { name } } }"}
    refused = Client().post(ENDPOINT, query, content_type="application/json").json()
    assert "signed-in" in refused["errors"][0]["message"]

    client = Client()
    client.force_login(role_user("expert"))
    allowed = client.post(ENDPOINT, query, content_type="application/json").json()
    assert allowed["data"]["__schema"]["queryType"]["name"] == "Query"


def test_a_request_past_its_deadline_stops_running_root_fields(small_catalogue, settings):
    settings.GRAPHQL_DEADLINE_SECONDS = 0
    query = '{ a: service(key: "work-trial") { key } b: service(key: "career-coaching") { key } }'
    response = Client().post(ENDPOINT, {"query": query}, content_type="application/json")
    body = response.json()
    assert response.status_code == 200
    assert {error["path"][0] for error in body["errors"]} == {"a", "b"}
    assert all("ran out of time" in error["message"] for error in body["errors"])

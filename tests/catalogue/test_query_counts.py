"""A list costs the same number of SQL queries whatever its length.

``services``, ``siteSearch`` and ``service`` select every field of a service
reachable without arguments (and the fields of what those lead to, one level
further): a page of 100 services must run exactly as many queries as a page
of 10, for anonymous callers and for signed-in experts, on both delivery
engines. A field that cost one query per item would make the counts differ.
"""

from collections import Counter

import pytest
from conftest import reindex
from django.db import connection
from django.test import Client
from graphql import get_named_type, is_leaf_type, is_required_argument
from wagtail.documents import get_document_model

from exchange.importer import import_document

pytestmark = [pytest.mark.django_db]

SERVICES = 100
MUNICIPALITIES = ["091", "049", "092"]
NESTED_LIMIT = 2


def _service(number):
    key = f"coaching-{number:03d}"
    record = {
        "key": key,
        "organisation": ["helsinki", "espoo", "vantaa"][number % 3],
        "status": "published",
        "audience": "person",
        "responsible": "owner@example.org",
        "categories": ["job-search-support"],
        "lifeSituations": ["young-adult"],
        "methods": ["in-person"],
        "municipalities": MUNICIPALITIES[: 1 + number % 3],
        "languages": ["fi"],
        "contacts": [{"name": f"Neuvonta {number}", "email": "neuvonta@example.org"}],
        "links": [{"title": "Hakemus", "url": "https://example.org/haku"}],
        "locations": [{"name": "Toimipiste", "city": "Helsinki", "lat": 60.17, "lon": 24.94}],
        "locales": {"fi": {"title": f"Työnhaun valmennus {number}", "summary": "Valmennusta."}},
    }
    if number % 10 == 0:
        record["locales"]["sv"] = {"title": f"Jobbsökarcoachning {number}"}
    return record


def _instruction(number):
    return {
        "key": f"coaching-{number:03d}-helsinki",
        "service": f"coaching-{number:03d}",
        "status": "published",
        "municipalities": ["091"],
        "locales": {"fi": {"title": f"Valmennusohje {number}", "guidance": "<p>Ohje</p>"}},
    }


@pytest.fixture
def catalogue(site_tree):
    """100 services of three organisations, every fifth with an internal instruction, every
    service with a public attachment, every organisation with a contact."""
    from catalogue.models import (
        OrganisationContact,
        OrganisationPage,
        ServiceAttachment,
        ServicePage,
    )

    import_document(
        {
            "version": 1,
            "organisations": [
                {
                    "key": key,
                    "kind": "municipality",
                    "locales": {"fi": {"name": f"Työllisyys {key}"}, "sv": {"name": key}},
                }
                for key in ("helsinki", "espoo", "vantaa")
            ],
            "services": [_service(number) for number in range(SERVICES)],
            "instructions": [_instruction(number) for number in range(0, SERVICES, 5)],
        }
    )
    document = get_document_model().objects.create(title="Hakulomake", file="hakulomake.pdf")
    ServiceAttachment.objects.bulk_create(
        ServiceAttachment(page=page, document=document) for page in ServicePage.objects.all()
    )
    OrganisationContact.objects.bulk_create(
        OrganisationContact(page=page, name="Vaihde") for page in OrganisationPage.objects.all()
    )
    reindex()


@pytest.fixture
def expert(role_user):
    client = Client()
    client.force_login(role_user("expert"))
    return client


def _selection(graphql_type, depth, alias=""):
    """Every field of the type callable without arguments, ``depth`` levels of objects deep
    (a union's members are not followed); ``alias`` prefixes the names of the first level,
    so that two types' fields of one name but different types can be asked together."""
    fields = []
    for name, field in graphql_type.fields.items():
        if any(is_required_argument(argument) for argument in field.args.values()):
            continue
        named = get_named_type(field.type)
        asked = f"{alias}{name}: {name}" if alias else name
        if "limit" in field.args and named.name == "PageInterface":
            # The page tree's lists (siblings, children, ...) of two each: a per-item
            # query still shows, without every item's siblings' siblings in the answer.
            asked += f"(limit: {NESTED_LIMIT})"
        if is_leaf_type(named):
            fields.append(asked)
        elif depth > 0 and hasattr(named, "fields"):
            fields.append(f"{asked} {{ {_selection(named, depth - 1) or '__typename'} }}")
    return " ".join(fields)


def _service_fields():
    from grapple.schema import schema

    return _selection(schema.graphql_schema.type_map["ServicePage"], depth=2)


def _instruction_fields():
    from grapple.schema import schema

    instruction = schema.graphql_schema.type_map["ProcessInstructionPage"]
    return _selection(instruction, depth=1, alias="instruction_")


def _queries(client, document, variables):
    """(SQL statements run, data) of one request."""
    statements = []

    def recording(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(recording):
        response = client.post(
            "/graphql/",
            {"query": document, "variables": variables},
            content_type="application/json",
        ).json()
    assert "errors" not in response, response["errors"][:3]
    return statements, response["data"]


def _growth(small, large):
    """The statements the large request ran more often than the small one: what to fix."""
    more = Counter(large)
    more.subtract(Counter(small))
    return [f"{count}× {sql[:300]}" for sql, count in more.most_common(5) if count > 0]


def _compared(client, document, small, large):
    """Queries of the small and the large request, after one unmeasured request (the
    process's caches of locales and restrictions are filled by the first one)."""
    _queries(client, document, small)
    return _queries(client, document, small), _queries(client, document, large)


@pytest.fixture(params=["anonymous", "expert"])
def caller(request, expert):
    return Client() if request.param == "anonymous" else expert


@pytest.fixture(autouse=True)
def _room_for_big_queries(settings):
    # These queries select every field on purpose (they grow with every page type); the
    # size and cost limits are other tests' subject.
    settings.GRAPHQL_MAX_COST = 10**9
    settings.GRAPHQL_MAX_ALIASES = 10**3
    settings.GRAPHQL_MAX_QUERY_LENGTH = settings.GRAPHQL_MAX_TOKENS = 10**6


def test_a_services_page_of_100_costs_the_queries_of_a_page_of_10(
    catalogue, caller, delivery_engine
):
    document = f"""
    query ($limit: Int) {{
      services(limit: $limit) {{ totalCount items {{ {_service_fields()} }} }}
    }}"""
    (ten, small), (hundred, large) = _compared(caller, document, {"limit": 10}, {"limit": 100})

    assert len(small["services"]["items"]) == 10
    assert len(large["services"]["items"]) == SERVICES
    assert len(hundred) == len(ten), _growth(ten, hundred)


def test_site_search_hits_cost_the_same_for_10_and_30_hits(catalogue, caller, delivery_engine):
    document = f"""
    query ($limit: Int) {{
      siteSearch(query: "valmennus", limit: $limit) {{
        totalCount
        items {{
          kind key title url excerpt
          page {{
            id title locale availableLocales
            ... on ServicePage {{ {_service_fields()} }}
            ... on ProcessInstructionPage {{ {_instruction_fields()} }}
            ... on GuidePage {{ isInternal }}
          }}
          document {{ id title }}
        }}
      }}
    }}"""
    # 10 against 30 hits: with every field of every hit selected, 100 hits on the database
    # engine took many minutes on PostgreSQL; 30 still shows any per-hit query.
    (ten, small), (thirty, large) = _compared(caller, document, {"limit": 10}, {"limit": 30})

    assert len(small["siteSearch"]["items"]) == 10
    assert len(large["siteSearch"]["items"]) == 30
    assert len(thirty) == len(ten), _growth(ten, thirty)


def test_a_service_costs_the_same_however_long_its_lists(catalogue, caller):
    """The ``service`` root field: a service with 10 instructions, contacts and links costs
    what a service with one of each costs."""
    from catalogue.models import ServiceContact, ServiceLink, ServicePage

    busy = ServicePage.objects.get(key="coaching-005", locale__language_code="fi")
    ServiceContact.objects.bulk_create(
        ServiceContact(page=busy, name=f"Neuvoja {n}", sort_order=n) for n in range(1, 10)
    )
    ServiceLink.objects.bulk_create(
        ServiceLink(page=busy, title=f"Linkki {n}", url="https://example.org", sort_order=n)
        for n in range(1, 10)
    )
    import_document(
        {
            "version": 1,
            "instructions": [
                {**_instruction(5), "key": f"coaching-005-extra-{n}"} for n in range(9)
            ],
        }
    )
    document = f"""
    query ($key: String) {{ service(key: $key) {{ {_service_fields()} }} }}"""
    (plain, _), (long_lists, data) = _compared(
        caller, document, {"key": "coaching-010"}, {"key": "coaching-005"}
    )

    assert len(data["service"]["contacts"]) == 10
    assert len(long_lists) == len(plain), _growth(plain, long_lists)

"""The ``services``, ``service`` and taxonomy root fields as the frontends use them.

A small catalogue (imported through the exchange format) with known
classifications; every assertion is the exact set a frontend would draw.
"""

import pytest
from catalogue_data import CATALOGUE, service_record
from conftest import reindex
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exchange.importer import import_document

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("delivery_engine")]


SERVICES = """
query Services($locale: String, $query: String, $filter: ServiceFilter,
               $exclude: ServiceFilter, $order: ServiceOrder, $limit: Int, $offset: Int) {
  services(locale: $locale, query: $query, filter: $filter, exclude: $exclude,
           order: $order, limit: $limit, offset: $offset) {
    totalCount
    locale
    items { key title locale availableLocales organisation { key title }
            categories { slug name } municipalities { code name } }
    facets {
      municipalities { value label count }
      categories { value label count }
      lifeSituations { value label count }
      organisations { value label count }
      audience { value label count }
      free { value label count }
    }
  }
}
"""


def services(graphql, **variables):
    response = graphql(SERVICES, variables)
    assert "errors" not in response, response
    return response["data"]["services"]


def keys(result):
    return {item["key"] for item in result["items"]}


def test_anonymous_sees_every_published_service_and_never_the_draft(graphql, small_catalogue):
    result = services(graphql)

    assert result["totalCount"] == 4
    assert keys(result) == {"work-trial", "career-coaching", "startup-money", "youth-workshop"}


def test_filter_fields_combine_with_and_list_values_with_or(graphql, small_catalogue):
    espoo_or_vantaa = services(graphql, filter={"municipalities": ["049", "092"]})
    assert keys(espoo_or_vantaa) == {"work-trial", "career-coaching", "startup-money"}

    espoo_young = services(
        graphql, filter={"municipalities": ["049"], "lifeSituations": ["young-adult"]}
    )
    assert keys(espoo_young) == {"work-trial"}

    remote_or_online = services(graphql, filter={"methods": ["remote", "online"]})
    assert keys(remote_or_online) == {"work-trial", "career-coaching", "startup-money"}

    by_organisation = services(graphql, filter={"organisations": ["helsinki"]})
    assert keys(by_organisation) == {"work-trial", "youth-workshop"}

    swedish = services(graphql, filter={"languages": ["sv"]})
    assert keys(swedish) == {"work-trial", "startup-money"}


def test_exclude_removes_matches(graphql, small_catalogue):
    result = services(graphql, exclude={"lifeSituations": ["young-adult"]})

    assert keys(result) == {"career-coaching", "startup-money"}

    both = services(
        graphql, filter={"municipalities": ["091"]}, exclude={"categories": ["entrepreneurship"]}
    )
    assert keys(both) == {"work-trial", "youth-workshop"}


def test_age_audience_free_and_accessible(graphql, small_catalogue):
    # Ranges 17–29, none, 18–, 16–24.
    assert keys(services(graphql, filter={"age": 16})) == {"career-coaching", "youth-workshop"}
    assert keys(services(graphql, filter={"age": 25})) == {
        "work-trial",
        "career-coaching",
        "startup-money",
    }
    assert keys(services(graphql, filter={"age": 60})) == {"career-coaching", "startup-money"}
    assert keys(services(graphql, filter={"audience": "EMPLOYER"})) == {"startup-money"}
    assert keys(services(graphql, filter={"free": False})) == {"startup-money"}
    assert keys(services(graphql, filter={"accessible": True, "audience": "PERSON"})) == {
        "work-trial"
    }


def test_facets_count_the_current_result_set_and_never_the_draft(graphql, small_catalogue):
    facets = services(graphql, filter={"municipalities": ["049"]})["facets"]

    def counts(name):
        return {bucket["value"]: bucket["count"] for bucket in facets[name]}

    # Espoo: work-trial, career-coaching, startup-money (the Espoo draft is not counted).
    assert counts("municipalities") == {"091": 2, "049": 3, "092": 1}
    assert counts("categories") == {
        "job-search-support": 2,
        "career-planning": 1,
        "entrepreneurship": 1,
    }
    assert counts("lifeSituations") == {
        "young-adult": 1,
        "career-change": 1,
        "over-55": 1,
        "starting-business": 1,
    }
    assert counts("organisations") == {"helsinki": 1, "espoo": 1, "yrityssuomi": 1}
    assert counts("audience") == {"PERSON": 2, "EMPLOYER": 1}
    assert counts("free") == {"true": 2, "false": 1}
    labels = {bucket["value"]: bucket["label"] for bucket in facets["municipalities"]}
    assert labels["049"] == "Espoo"


def test_facet_labels_follow_the_locale(graphql, small_catalogue):
    facets = services(graphql, locale="sv", filter={"municipalities": ["092"]})["facets"]

    assert {b["value"]: b["label"] for b in facets["municipalities"]}["092"] == "Vanda"


def test_relevance_lifts_priority_and_text_matches(graphql, small_catalogue):
    reindex()
    ordered = [item["key"] for item in services(graphql)["items"]]
    assert ordered == ["startup-money", "work-trial", "youth-workshop", "career-coaching"]

    # A text match outweighs priority; a service that does not match is not listed.
    matched = [item["key"] for item in services(graphql, query="uravalmennus")["items"]]
    assert matched == ["career-coaching"]


def test_title_and_paging(graphql, small_catalogue):
    titles = [item["title"] for item in services(graphql, order="TITLE")["items"]]
    assert titles == ["Nuorten työpaja", "Starttiraha", "Työkokeilu", "Uravalmennus"]

    page = services(graphql, order="TITLE", limit=2, offset=2)
    assert [item["title"] for item in page["items"]] == ["Työkokeilu", "Uravalmennus"]
    assert page["totalCount"] == 4


def test_locale_serves_translations_and_falls_back_to_finnish(graphql, small_catalogue):
    result = services(graphql, locale="sv", order="TITLE")
    by_key = {item["key"]: item for item in result["items"]}

    assert result["locale"] == "sv"
    assert by_key["work-trial"]["title"] == "Arbetsprövning"
    assert by_key["work-trial"]["locale"] == "sv"
    assert by_key["work-trial"]["availableLocales"] == ["fi", "sv"]
    # No Swedish version: served in Finnish, and it says so.
    assert by_key["youth-workshop"]["title"] == "Nuorten työpaja"
    assert by_key["youth-workshop"]["locale"] == "fi"
    assert by_key["youth-workshop"]["availableLocales"] == ["fi"]
    # Synchronised taxonomy terms are delivered in the served locale.
    assert {m["name"] for m in by_key["work-trial"]["municipalities"]} == {"Helsingfors", "Esbo"}
    assert result["totalCount"] == 4


def test_one_service_by_key_slug_or_id(graphql, small_catalogue):
    query = """query($key: String, $slug: String, $id: ID, $locale: String) {
      service(key: $key, slug: $slug, id: $id, locale: $locale) {
        id key title locale slug organisation { key } instructions { title }
      }
    }"""
    by_key = graphql(query, {"key": "work-trial", "locale": "sv"})["data"]["service"]
    assert (by_key["title"], by_key["locale"], by_key["organisation"]["key"]) == (
        "Arbetsprövning",
        "sv",
        "helsinki",
    )
    # Instructions are for signed-in experts only.
    assert by_key["instructions"] == []
    fi = graphql(query, {"key": "work-trial"})["data"]["service"]
    assert graphql(query, {"id": fi["id"]})["data"]["service"]["key"] == "work-trial"
    assert graphql(query, {"slug": fi["slug"]})["data"]["service"]["title"] == "Työkokeilu"


def test_experts_get_instructions_with_the_service(client, graphql, small_catalogue, role_user):
    client.force_login(role_user("expert"))
    query = '{ service(key: "work-trial") { instructions { key title } } }'

    instructions = graphql(query)["data"]["service"]["instructions"]

    assert instructions == [{"key": "work-trial-helsinki", "title": "Työkokeilu Helsingissä"}]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('{ service(key: "secret-draft") { title } }', "No service with key 'secret-draft'"),
        ('{ service(slug: "nope") { title } }', "No service with slug 'nope'"),
        ("{ service { title } }", "Give exactly one of key, slug or id"),
        ('{ services(locale: "xx") { totalCount } }', "Unknown locale 'xx'"),
        ('{ services(filter: {categories: ["nope"]}) { totalCount } }', "Unknown category 'nope'"),
        ('{ services(exclude: {municipalities: ["999"]}) { totalCount } }', "municipality code"),
        ('{ services(filter: {organisations: ["nope"]}) { totalCount } }', "organisation 'nope'"),
        ("{ services(limit: 101) { totalCount } }", "exceeds the maximum page size of 100"),
        ("{ services(offset: -1) { totalCount } }", "offset must not be negative"),
        ('{ municipalities(locale: "zz") { code } }', "Unknown locale 'zz'"),
    ],
)
def test_bad_arguments_are_graphql_errors(graphql, small_catalogue, query, message):
    response = graphql(query)

    assert message in response["errors"][0]["message"]


def test_taxonomy_lists_are_localised_for_filter_uis(graphql, small_catalogue):
    response = graphql(
        '{ municipalities(locale: "sv") { code name } serviceCategories { slug name } }'
    )["data"]

    assert {"code": "092", "name": "Vanda"} in response["municipalities"]
    assert len(response["municipalities"]) == 10
    assert response["serviceCategories"][0]["name"]


def _bulk_catalogue(count):
    services = [
        service_record(
            f"service-{n}",
            ["helsinki", "espoo"][n % 2],
            f"Palvelu {n}",
            categories=["job-search-support", "networking"],
            lifeSituations=["young-adult"],
            methods=["remote"],
            municipalities=["091", "049"],
            languages=["fi"],
            contacts=[{"name": "Neuvonta", "email": "desk@example.org", "phone": "09"}],
            links=[{"title": "Lisätietoa", "url": "https://example.org"}],
            locales={"sv": {"title": f"Tjänst {n}"}},
        )
        for n in range(count)
    ]
    return {**CATALOGUE, "services": services, "instructions": []}


def test_sql_queries_do_not_grow_with_the_page_size(graphql, site_tree):
    import_document(_bulk_catalogue(30))
    reindex()
    query = """query($limit: Int) { services(locale: "sv", limit: $limit) {
      totalCount
      items { key title locale availableLocales url
              organisation { key title }
              categories { slug name } municipalities { code name employmentArea { code } }
              lifeSituations { slug } methods { slug } languages { slug }
              contacts { name email } links { url } locations { city } attachments { id } }
      facets { categories { value count } municipalities { value count } }
    } }"""

    def count_queries(limit):
        with CaptureQueriesContext(connection) as queries:
            response = graphql(query, {"limit": limit})
        assert len(response["data"]["services"]["items"]) == limit
        return len(queries)

    count_queries(5)  # warm per-process caches (content types, site root paths)
    assert count_queries(10) == count_queries(30)

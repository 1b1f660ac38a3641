"""The employer view: employer services apart from the person view, in every request.

An employer (or a frontend built for employers) asks with ``audience:
EMPLOYER``: ``services`` and ``siteSearch`` then never return a service meant
for a person, the facets that describe a person are not offered, and the
synonym groups written for employers apply (an employer's "rekrytointituki"
is what a jobseeker's services call "palkkatuki"), while a jobseeker's search
is untouched by them. The employer landing page gives the view its own
categories and featured services.
"""

import pytest
from catalogue_data import service_record
from conftest import reindex
from django.urls import reverse

from catalogue.models import ServicePage
from exchange.importer import import_document
from guidance.models import AudienceLandingPage
from search import synonyms
from search.models import Synonym

pytestmark = pytest.mark.django_db

WAGE_SUBSIDY = {
    "version": 1,
    "organisations": [
        {"key": "te-uusimaa", "kind": "state", "locales": {"fi": {"name": "TE-palvelut"}}}
    ],
    "services": [
        service_record(
            "wage-subsidy",
            "te-uusimaa",
            "Palkkatuki",
            audience="employer",
            summary="Tukea työnantajalle uuden työntekijän palkkakuluihin.",
            categories=["employer-services"],
            municipalities=["091"],
        ),
        service_record(
            "job-search-coaching",
            "te-uusimaa",
            "Työnhaun valmennus",
            summary="Valmennusta työnhakijalle; kuvaus työnhausta.",
            categories=["job-search-support"],
            lifeSituations=["long-term-unemployed"],
            municipalities=["091"],
        ),
    ],
}

SERVICES = """
query ($query: String, $filter: ServiceFilter) {
  services(query: $query, filter: $filter, limit: 50) {
    items { key audience }
    facets { lifeSituations { value } categories { value } audience { value } }
  }
}
"""
SITE_SEARCH = """
query ($query: String!, $audience: Audience) {
  siteSearch(query: $query, audience: $audience, kinds: [SERVICE], limit: 50) {
    totalCount items { key }
  }
}
"""


@pytest.fixture
def catalogue(small_catalogue):
    import_document(WAGE_SUBSIDY)
    reindex()


@pytest.fixture
def employer_synonyms():
    synonyms.forget()
    Synonym.objects.create(language="fi", audience="employer", terms="rekrytointituki, palkkatuki")
    yield
    synonyms.forget()


def audiences(keys):
    return dict(ServicePage.objects.filter(key__in=keys).values_list("key", "audience"))


def test_the_employer_view_lists_employer_services_only(graphql, catalogue, delivery_engine):
    employer = graphql(SERVICES, {"filter": {"audience": "EMPLOYER"}})["data"]["services"]
    everyone = graphql(SERVICES)["data"]["services"]

    keys = {item["key"] for item in employer["items"]}
    assert keys == {"startup-money", "wage-subsidy"}
    assert {item["audience"] for item in employer["items"]} == {"employer"}
    assert {item["key"] for item in everyone["items"]} > keys


def test_site_search_for_employers_never_returns_a_person_service(
    graphql, catalogue, delivery_engine
):
    found = graphql(SITE_SEARCH, {"query": "kuvaus", "audience": "EMPLOYER"})["data"]
    unlimited = graphql(SITE_SEARCH, {"query": "kuvaus"})["data"]

    keys = [item["key"] for item in found["siteSearch"]["items"]]
    assert keys and set(audiences(keys).values()) == {"employer"}
    assert found["siteSearch"]["totalCount"] == len(keys)
    everyone = [item["key"] for item in unlimited["siteSearch"]["items"]]
    assert "person" in audiences(everyone).values()


def test_employers_are_not_offered_the_facets_that_describe_a_person(
    graphql, catalogue, delivery_engine
):
    employer = graphql(SERVICES, {"filter": {"audience": "EMPLOYER"}})["data"]["services"]
    person = graphql(SERVICES, {"filter": {"audience": "PERSON"}})["data"]["services"]

    assert employer["facets"]["lifeSituations"] == []
    assert {bucket["value"] for bucket in employer["facets"]["categories"]} == {
        "entrepreneurship",
        "employer-services",
    }
    assert person["facets"]["lifeSituations"] != []


def test_an_employers_word_finds_the_employer_service(
    graphql, catalogue, employer_synonyms, delivery_engine
):
    employer = graphql(SERVICES, {"query": "rekrytointituki", "filter": {"audience": "EMPLOYER"}})
    site = graphql(SITE_SEARCH, {"query": "rekrytointituki", "audience": "EMPLOYER"})

    assert [item["key"] for item in employer["data"]["services"]["items"]] == ["wage-subsidy"]
    assert [item["key"] for item in site["data"]["siteSearch"]["items"]] == ["wage-subsidy"]


def test_employer_synonyms_do_not_apply_to_other_requests(graphql, catalogue, delivery_engine):
    def answers():
        return [
            graphql(SERVICES, {"query": "rekrytointituki", "filter": {"audience": "PERSON"}}),
            graphql(SERVICES, {"query": "rekrytointituki"}),
            graphql(SITE_SEARCH, {"query": "rekrytointituki"}),
        ]

    synonyms.forget()
    Synonym.objects.filter(audience="employer").delete()  # the seeded groups too
    without_group = answers()
    Synonym.objects.create(language="fi", audience="employer", terms="rekrytointituki, palkkatuki")
    synonyms.forget()

    assert answers() == without_group
    # The database engine matches words as they are: nothing says "rekrytointituki".
    if delivery_engine.name == "database":
        assert all(
            not (answer["data"].get("services") or answer["data"].get("siteSearch"))["items"]
            for answer in without_group
        )
    synonyms.forget()


def test_a_synonym_group_without_an_audience_applies_to_every_request(
    graphql, catalogue, delivery_engine
):
    synonyms.forget()
    Synonym.objects.create(language="fi", terms="palkkaraha, palkkatuki")

    found = {
        audience: [
            item["key"]
            for item in graphql(
                SERVICES, {"query": "palkkaraha", "filter": {"audience": audience}}
            )["data"]["services"]["items"]
        ]
        for audience in ("EMPLOYER", "PERSON")
    }

    assert "wage-subsidy" in found["EMPLOYER"]
    if delivery_engine.name == "database":  # plain words: only the synonym finds it
        assert found == {"EMPLOYER": ["wage-subsidy"], "PERSON": []}
    synonyms.forget()


AUDIENCE_LANDING = """
query ($locale: String) {
  audienceLanding(audience: EMPLOYER, locale: $locale) {
    title audience locale intro
    categories { slug name label description }
    featuredServices { key }
  }
}
"""


def test_the_employer_view_has_its_own_landing_page_with_its_own_categories(graphql, catalogue):
    from catalogue.models import ServiceCategory

    page = AudienceLandingPage.objects.get(audience="employer", locale__language_code="fi")
    categories = ServiceCategory.objects.filter(locale__language_code="fi")
    page.intro = "<p>Palvelut työnantajille.</p>"
    page.categories.create(
        category=categories.get(slug="employer-services"), label="Rekrytointi", sort_order=0
    )
    page.categories.create(
        category=categories.get(slug="entrepreneurship"),
        description="Yrityksen perustaminen.",
        sort_order=1,
    )
    for order, key in enumerate(["wage-subsidy", "secret-draft"]):
        service = ServicePage.objects.get(key=key, locale__language_code="fi")
        page.featured_services.create(service=service, sort_order=order)
    page.save_revision().publish()

    landing = graphql(AUDIENCE_LANDING)["data"]["audienceLanding"]

    assert landing["audience"] == "EMPLOYER"
    assert landing["intro"] == "<p>Palvelut työnantajille.</p>"
    assert landing["categories"] == [
        {
            "slug": "employer-services",
            "name": "Työnantajapalvelut",
            "label": "Rekrytointi",
            "description": None,
        },
        {
            "slug": "entrepreneurship",
            "name": "Yrittäjyyspalvelut",
            "label": "Yrittäjyyspalvelut",
            "description": "Yrityksen perustaminen.",
        },
    ]
    # The draft stays off the page for everyone.
    assert landing["featuredServices"] == [{"key": "wage-subsidy"}]


def test_every_areas_producers_may_edit_the_employer_landing_page(client, site_tree, role_user):
    page = AudienceLandingPage.objects.get(audience="employer", locale__language_code="fi")
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])

    client.force_login(role_user("producer", area_code="049"))
    assert client.get(edit).status_code == 200
    client.force_login(role_user("expert"))
    assert client.get(edit).status_code != 200

"""Regional and personal customisation: area landing pages, the home area, the preferred view.

An employment area's producers keep their area's landing page (highlights
and featured services in their own order); producers of other areas cannot
touch it. Whoever reads it sees only the featured services they may see. A
signed-in expert's home area fills in a services request that gives no
filter, and their preferred result view comes back under ``me``, to them
alone.
"""

import json
from pathlib import Path

import pytest
from catalogue_data import CATALOGUE
from conftest import reindex
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction

from catalogue.models import Municipality, OrganisationPage, ServicePage
from exchange.importer import import_document
from guidance.models import AreaLandingPage, AudienceLandingPage

pytestmark = pytest.mark.django_db


def landing_of(code):
    return AreaLandingPage.objects.get(employment_area__code=code, locale__language_code="fi")


def feature(page, *keys):
    page.featured_services.all().delete()
    for order, key in enumerate(keys):
        service = ServicePage.objects.get(key=key, locale__language_code="fi")
        page.featured_services.create(service=service, sort_order=order)
    page.save_revision().publish()


def post(client, query, variables=None):
    response = client.post(
        "/graphql/",
        data=json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
    )
    return response.json()


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


# --- Who edits an area's landing page ------------------------------------------------


def test_an_area_producer_edits_their_own_landing_page_but_not_another_areas(site_tree, role_user):
    producer = signed_in(role_user("producer", area_code="091"))
    own, other = landing_of("091"), landing_of("049")

    assert producer.get(reverse("wagtailadmin_pages:edit", args=[own.pk])).status_code == 200
    assert producer.get(reverse("wagtailadmin_pages:edit", args=[other.pk])).status_code != 200
    user = role_user("producer", area_code="091")
    assert own.permissions_for_user(user).can_publish()
    assert not other.permissions_for_user(user).can_edit()
    administrator = role_user("administrator")
    assert all(
        landing_of(code).permissions_for_user(administrator).can_publish()
        for code in ("091", "049")
    )


# --- What a landing page shows ---------------------------------------------------------

AREA_LANDING = """
query ($area: String!, $locale: String) {
  areaLanding(area: $area, locale: $locale) {
    title locale highlights area { code name }
    featuredServices { key locale }
  }
}
"""


@pytest.fixture
def catalogue(small_catalogue):
    """The small catalogue, and a published service only signed-in users may see."""
    organisation = OrganisationPage.objects.get(key="helsinki", locale__language_code="fi")
    restricted = organisation.add_child(
        instance=ServicePage(
            title="Asiantuntijoiden työhönvalmennus",
            key="expert-coaching",
            slug="expert-coaching",
            responsible_email="vastuu@example.org",
        )
    )
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    reindex()


def test_a_landing_page_never_shows_internal_or_draft_services_to_anonymous_callers(
    graphql, catalogue, role_user
):
    page = landing_of("091")
    page.highlights = "<p>Syksyn rekrytointitapahtumat.</p>"
    feature(page, "secret-draft", "expert-coaching", "youth-workshop", "work-trial")

    anonymous = graphql(AREA_LANDING, {"area": "091"})["data"]["areaLanding"]
    expert = post(signed_in(role_user("expert")), AREA_LANDING, {"area": "091"})

    assert anonymous["highlights"] == "<p>Syksyn rekrytointitapahtumat.</p>"
    assert anonymous["area"]["code"] == "091"
    assert [s["key"] for s in anonymous["featuredServices"]] == ["youth-workshop", "work-trial"]
    assert [s["key"] for s in expert["data"]["areaLanding"]["featuredServices"]] == [
        "expert-coaching",
        "youth-workshop",
        "work-trial",
    ]


def test_a_landing_page_shows_its_published_version_only(graphql, catalogue):
    page = landing_of("091")
    page.highlights = "<p>Julkaistu.</p>"
    page.save_revision().publish()
    page.highlights = "<p>Luonnos.</p>"
    page.save_revision()

    assert graphql(AREA_LANDING, {"area": "091"})["data"]["areaLanding"]["highlights"] == (
        "<p>Julkaistu.</p>"
    )
    page.unpublish()
    assert graphql(AREA_LANDING, {"area": "091"})["data"]["areaLanding"] is None


def test_featured_services_are_served_in_the_asked_language(graphql, catalogue):
    feature(landing_of("091"), "work-trial", "youth-workshop")

    landing = graphql(AREA_LANDING, {"area": "091", "locale": "sv"})["data"]["areaLanding"]

    # The page has no Swedish version yet; the services are served as any list serves them.
    assert landing["locale"] == "fi"
    assert landing["featuredServices"] == [
        {"key": "work-trial", "locale": "sv"},
        {"key": "youth-workshop", "locale": "fi"},
    ]


def test_an_unknown_area_is_an_error_naming_the_areas(graphql, site_tree):
    answer = graphql(AREA_LANDING, {"area": "999"})

    assert answer["data"]["areaLanding"] is None
    assert "Unknown employment area '999'" in answer["errors"][0]["message"]
    assert "091" in answer["errors"][0]["message"]


# --- The home area and the preferred view ----------------------------------------------

SET_PREFERENCES = """
mutation ($homeArea: String, $resultView: ResultView) {
  setPreferences(homeArea: $homeArea, resultView: $resultView) {
    resultView homeArea { code }
  }
}
"""
CLEAR_HOME_AREA = "mutation { setPreferences(homeArea: null) { homeArea { code } } }"
PREFERENCES = "{ me { preferences { resultView homeArea { code name } } } }"
SERVICES = """
query ($query: String) {
  services(query: $query, limit: 50) {
    items { key }
    defaults { area municipalities featuredFirst }
  }
}
"""
ALL_SERVICES = "{ services(filter: {}, limit: 50) { items { key } defaults { area } } }"


@pytest.fixture
def committed_catalogue(db, django_capture_on_commit_callbacks):
    """The small catalogue and the site tree, committed as far as the answer cache can tell
    (its content generation has moved on), so that answers are cached as in production."""
    from people.site_tree import ensure_site_tree

    with django_capture_on_commit_callbacks(execute=True):
        ensure_site_tree()
        import_document(CATALOGUE)
        feature(landing_of("049"), "career-coaching")
    reindex()
    cache.clear()


def keys(answer):
    return [item["key"] for item in answer["data"]["services"]["items"]]


def test_the_home_area_defaults_the_experts_filter_and_order(committed_catalogue, role_user):
    expert = signed_in(role_user("expert"))
    everything = keys(post(expert, ALL_SERVICES))

    chosen = post(expert, SET_PREFERENCES, {"homeArea": "049"})
    listed = post(expert, SERVICES)
    searched = post(expert, SERVICES, {"query": "kuvaus"})
    unfiltered = post(expert, ALL_SERVICES)

    assert chosen["data"]["setPreferences"]["homeArea"] == {"code": "049"}
    area_municipalities = set(
        Municipality.objects.filter(
            employment_area__code="049", locale__language_code="fi"
        ).values_list("code", flat=True)
    )
    defaults = listed["data"]["services"]["defaults"]
    assert defaults["area"] == "049"
    assert set(defaults["municipalities"]) == area_municipalities
    assert defaults["featuredFirst"] is True
    in_area = set(
        ServicePage.objects.filter(
            locale__language_code="fi", live=True, municipalities__code__in=area_municipalities
        ).values_list("key", flat=True)
    )
    assert set(keys(listed)) == in_area < set(everything)
    # The area's featured service first, though its priority is the lowest.
    assert keys(listed)[0] == "career-coaching"
    # With query text relevance decides; the area still filters.
    assert searched["data"]["services"]["defaults"]["featuredFirst"] is False
    assert set(keys(searched)) <= in_area
    # Asking with a filter, even an empty one, takes nothing from the home area.
    assert keys(unfiltered) == everything
    assert unfiltered["data"]["services"]["defaults"] is None


def test_without_a_home_area_nothing_is_defaulted(committed_catalogue, role_user, graphql):
    expert = signed_in(role_user("expert"))
    post(expert, SET_PREFERENCES, {"homeArea": "049"})
    post(expert, CLEAR_HOME_AREA)

    assert post(expert, SERVICES)["data"]["services"]["defaults"] is None
    assert graphql(SERVICES)["data"]["services"]["defaults"] is None


def test_one_experts_home_area_never_reaches_another_experts_answers(
    committed_catalogue, role_user
):
    with_area = signed_in(role_user("expert"))
    without = signed_in(role_user("expert"))
    post(with_area, SET_PREFERENCES, {"homeArea": "049"})

    first = post(with_area, SERVICES)
    second = post(without, SERVICES)
    third = post(with_area, SERVICES)

    assert first["data"]["services"]["defaults"]["area"] == "049"
    assert second["data"]["services"]["defaults"] is None
    assert len(keys(second)) > len(keys(first))
    assert third == first


def test_the_preferred_view_round_trips_under_me_for_its_owner_only(committed_catalogue, role_user):
    cards = signed_in(role_user("expert"))
    other = signed_in(role_user("expert"))

    before = post(cards, PREFERENCES)
    changed = post(cards, SET_PREFERENCES, {"resultView": "CARDS"})
    after = post(cards, PREFERENCES)
    others = post(other, PREFERENCES)

    assert before["data"]["me"]["preferences"] == {"resultView": "LIST", "homeArea": None}
    assert changed["data"]["setPreferences"]["resultView"] == "CARDS"
    assert after["data"]["me"]["preferences"]["resultView"] == "CARDS"
    assert others["data"]["me"]["preferences"]["resultView"] == "LIST"
    # Answers about me are never kept by a browser or a shared cache either.
    response = cards.get("/graphql/", {"query": PREFERENCES})
    assert "no-store" in response["Cache-Control"]


def test_preferences_need_a_signed_in_caller_and_a_known_area(graphql, site_tree, role_user):
    anonymous = graphql(SET_PREFERENCES, {"resultView": "CARDS"})
    unknown = post(signed_in(role_user("expert")), SET_PREFERENCES, {"homeArea": "999"})

    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert graphql(PREFERENCES)["data"]["me"] is None
    assert unknown["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "Unknown employment area '999'" in unknown["errors"][0]["message"]


def test_the_home_area_and_view_are_set_in_the_admin_account_settings(site_tree, role_user):
    from catalogue.models import EmploymentArea

    user = role_user("producer", area_code="091", email="tuottaja@example.org")
    producer = signed_in(user)
    espoo = EmploymentArea.objects.get(code="049", locale__language_code="fi")

    page = producer.get(reverse("wagtailadmin_account"))
    saved = producer.post(
        reverse("wagtailadmin_account"),
        {
            "name_email-first_name": "",
            "name_email-last_name": "",
            "name_email-email": "tuottaja@example.org",
            "locale-preferred_language": "fi",
            "locale-current_time_zone": "",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
            "theme-keyboard_shortcuts": "on",
            "personal_settings-home_area": str(espoo.pk),
            "personal_settings-result_view": "cards",
        },
    )

    assert 'name="personal_settings-home_area"' in page.content.decode()
    assert saved.status_code == 302
    preferences = post(producer, PREFERENCES)["data"]["me"]["preferences"]
    assert preferences == {"resultView": "CARDS", "homeArea": {"code": "049", "name": espoo.name}}


# --- The frontends' documents -----------------------------------------------------------

QUERIES = Path(__file__).resolve().parents[2] / "graphql" / "queries"


def run_document(client, name, operation, variables=None):
    answer = client.post(
        "/graphql/",
        data=json.dumps(
            {
                "query": (QUERIES / name).read_text(),
                "operationName": operation,
                "variables": variables or {},
            }
        ),
        content_type="application/json",
    ).json()
    assert "errors" not in answer, answer["errors"]
    return answer["data"]


def test_the_frontend_documents_of_these_views_answer(client, catalogue, role_user):
    feature(landing_of("091"), "work-trial")
    employer = AudienceLandingPage.objects.get(audience="employer", locale__language_code="fi")
    feature(employer, "startup-money")
    expert = signed_in(role_user("expert"))

    landing = run_document(client, "employer.graphql", "EmployerLanding")["audienceLanding"]
    listing = run_document(
        client, "employer.graphql", "EmployerServices", {"categories": ["entrepreneurship"]}
    )["services"]
    area = run_document(client, "area-landing.graphql", "AreaLanding", {"area": "091"})
    run_document(expert, "personal.graphql", "SetPreferences", {"homeArea": "091"})
    saved = run_document(
        expert, "personal.graphql", "SaveSearch", {"name": "Nuoret", "filter": {"age": 20}}
    )["saveSearch"]
    run_document(
        expert, "personal.graphql", "UpdateSavedSearch", {"id": saved["id"], "alerts": False}
    )
    personal = run_document(expert, "personal.graphql", "Personal")["me"]
    run_document(expert, "personal.graphql", "DeleteSavedSearch", {"id": saved["id"]})
    opened = run_document(
        client, "search-result-opened.graphql", "SearchResultOpened", {"query": "työkokeilu"}
    )
    listed = run_document(expert, "services.graphql", "ServiceList")["services"]

    assert [service["key"] for service in landing["featuredServices"]] == ["startup-money"]
    assert [service["key"] for service in listing["items"]] == ["startup-money"]
    assert [s["key"] for s in area["areaLanding"]["featuredServices"]] == ["work-trial"]
    assert personal["preferences"]["homeArea"]["code"] == "091"
    assert personal["savedSearches"][0]["filter"]["age"] == 20
    assert personal["savedSearches"][0]["alerts"] is False
    assert opened == {"searchResultOpened": True}
    assert listed["defaults"]["area"] == "091"


def test_the_built_in_landing_page_lists_only_services_its_reader_may_see(client, catalogue):
    page = landing_of("091")
    page.highlights = "<p>Syksyn tapahtumat.</p>"
    feature(page, "secret-draft", "expert-coaching", "work-trial")

    html = client.get(page.url).content.decode()

    assert "Syksyn tapahtumat." in html
    assert "Työkokeilu" in html
    assert "Luonnospalvelu" not in html
    assert "Asiantuntijoiden työhönvalmennus" not in html

"""The open-data feed: the published catalogue as Open Referral HSDS 3.0, as a mirror reads it."""

import copy

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hsds_rules import violations
from open_data_catalogue import TRILINGUAL, TYOMARKKINATORI_ID, add_location_details
from wagtail.models import PageViewRestriction

from catalogue.models import OrganisationPage, ServicePage
from exchange.importer import import_document

pytestmark = pytest.mark.django_db

FEED = "/open-data/hsds"
LISTS = {
    "services": "service",
    "organizations": "organization",
    "locations": "location",
    "service_at_locations": "service_at_location",
    "taxonomies": "taxonomy",
    "taxonomy_terms": "taxonomy_term",
}


def get(client, path, **params):
    response = client.get(f"{FEED}{path}", params)
    assert response["Content-Type"] == "application/json", response.content[:200]
    return response


def ok(client, path, **params):
    response = get(client, path, **params)
    assert response.status_code == 200, response.json()
    return response.json()


def everything(client, lang="fi", per_page=200, **params):
    """Every listing, all of each, with the full records where the feed has them."""
    found = {}
    for name in LISTS:
        extra = {"full": "true"} if name in ("services", "service_at_locations") else {}
        found[name] = ok(client, f"/{name}", lang=lang, per_page=per_page, **extra, **params)
    return found


def coaching(client, lang):
    services = ok(client, "/services", lang=lang, per_page=200)["contents"]
    (summary,) = [s for s in services if s["name"] in ("Työnhakuvalmennus", *NAMES.values())]
    return ok(client, f"/services/{summary['id']}", lang=lang)


NAMES = {"fi": "Työnhakuvalmennus", "sv": "Jobbsökarträning", "en": "Job search coaching"}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_service_at_two_locations_follows_the_hsds_rules_in_each_language(
    trilingual_service, client, lang
):
    service = coaching(client, lang)

    assert violations(service, "service") == []
    assert service["name"] == NAMES[lang]
    assert service["status"] == "active"
    assert (
        service["organization"]["name"]
        == {
            "fi": "Vantaan työllisyyspalvelut",
            "sv": "Vanda sysselsättningstjänster",
            "en": "Vantaa employment services",
        }[lang]
    )
    first, second = service["service_at_locations"]
    assert first["location"]["name"] == "Tikkurilan toimipiste"
    assert second["location"]["name"] == "Myyrmäen toimipiste"
    assert first["location_id"] == first["location"]["id"] != second["location_id"]
    (address,) = first["location"]["addresses"]
    assert (address["address_1"], address["postal_code"], address["country"]) == (
        "Asematie 1",
        "01300",
        "FI",
    )
    # Opening hours: weekdays, Saturday, a closed holiday; the other location always open.
    weekdays, saturday, holiday = first["location"]["schedules"]
    assert (weekdays["byday"], weekdays["opens_at"], weekdays["closes_at"]) == (
        "MO,TU,WE,TH,FR",
        "08:00",
        "16:00",
    )
    assert weekdays["valid_from"] == "2026-01-01"
    assert (
        weekdays["description"]
        == {
            "fi": "Ajanvaraus suositeltava",
            "sv": "Boka tid",
            "en": "Book ahead",
        }[lang]
    )
    assert (saturday["byday"], saturday["opens_at"], saturday["closes_at"]) == (
        "SA",
        "10:00",
        "14:00",
    )
    assert (holiday["valid_from"], holiday["valid_to"]) == ("2026-12-24", "2026-12-26")
    assert "opens_at" not in holiday
    (always,) = second["location"]["schedules"]
    assert always["byday"] == "MO,TU,WE,TH,FR,SA,SU"
    # Categories, life situations and municipalities by their national classes' URIs.
    terms = {a["taxonomy_term"]["code"]: a["taxonomy_term"] for a in service["attributes"]}
    for code in ("job-search-support", "young-adult", "092", "245"):
        assert terms[code]["term_uri"].startswith("http://uri.suomi.fi/codelist/"), code
    assert {language["code"] for language in service["languages"]} == {"fi", "sv", "en"}
    assert {area["name"] for area in service["service_areas"]} == {
        "fi": {"Vantaa", "Kerava"},
        "sv": {"Vanda", "Kervo"},
        "en": {"Vantaa", "Kerava"},
    }[lang]
    assert service["url"].endswith(TYOMARKKINATORI_ID)


def test_every_listing_follows_the_hsds_rules_in_the_paged_shape(trilingual_service, client):
    for lang in ("fi", "sv", "en"):
        for name, answer in everything(client, lang).items():
            assert violations(answer, LISTS[name], paged=True) == [], (lang, name)


def test_the_rules_catch_what_breaks_them(trilingual_service, client):
    service = coaching(client, "fi")
    schedule = service["service_at_locations"][0]["location"]["schedules"][0]

    for field, wrong in [("opens_at", "8.00"), ("byday", "MON"), ("valid_from", "1.1.2026")]:
        broken = copy.deepcopy(service)
        broken["service_at_locations"][0]["location"]["schedules"][0] = {**schedule, field: wrong}
        assert violations(broken, "service") != [], field
    assert violations({**service, "id": "job-coaching"}, "service") != []
    assert violations({k: v for k, v in service.items() if k != "status"}, "service") != []


def test_a_record_keeps_its_id_across_languages_and_imports(trilingual_service, client):
    def ids():
        return {
            lang: [sal["id"] for sal in coaching(client, lang)["service_at_locations"]]
            + [coaching(client, lang)["id"], coaching(client, lang)["organization_id"]]
            for lang in ("fi", "sv", "en")
        }

    before = ids()
    assert before["fi"] == before["sv"] == before["en"]

    # Importing the document again replaces the locations' rows: the ids stay.
    import_document(copy.deepcopy(TRILINGUAL))
    add_location_details()

    assert ids() == before


def test_a_service_without_the_language_is_served_in_finnish(trilingual_service, client):
    names = {s["name"] for s in ok(client, "/services", lang="sv")["contents"]}

    assert "Arbetsprövning" in names and "Työkokeilu" not in names  # translated
    assert "Uravalmennus" in names  # only in Finnish: the Finnish text
    assert len(names) == ok(client, "/services", lang="fi")["total_items"]


def test_lists_page_through_the_whole_catalogue(trilingual_service, client):
    first = ok(client, "/services", per_page=2)
    total = first["total_items"]
    pages = [first] + [
        ok(client, "/services", per_page=2, page=n) for n in range(2, first["total_pages"] + 1)
    ]

    assert total == ServicePage.objects.filter(live=True, locale__language_code="fi").count()
    assert first["total_pages"] == -(-total // 2) >= 3
    assert (first["page_number"], first["size"], first["first_page"], first["last_page"]) == (
        1,
        2,
        True,
        False,
    )
    second = pages[1]
    assert (second["page_number"], second["first_page"], second["empty"]) == (2, False, False)
    assert pages[-1]["last_page"] and pages[-1]["size"] == total - 2 * (len(pages) - 1)
    ids = [service["id"] for page in pages for service in page["contents"]]
    assert len(ids) == len(set(ids)) == total
    assert ids == [s["id"] for s in ok(client, "/services", per_page=200)["contents"]]


def test_an_empty_list_says_so(site_tree, client):
    answer = ok(client, "/services")

    assert (answer["empty"], answer["total_items"], answer["contents"]) == (True, 0, [])
    assert violations(answer, "service", paged=True) == []


def test_a_page_costs_the_same_queries_whatever_its_size(trilingual_service, client):
    def queries(path, per_page):
        ok(client, path, per_page=1)  # the process caches (locales, restrictions) warm
        with CaptureQueriesContext(connection) as captured:
            answer = ok(client, path, per_page=per_page, full="true")
        return len(captured), answer["size"]

    for path in ("/services", "/service_at_locations"):
        small, one = queries(path, 1)
        large, many = queries(path, 200)
        assert many > one and large == small, path


def test_internal_content_drafts_and_restricted_sections_are_never_published(
    trilingual_service, client, site_tree
):
    # A restricted organisation, a draft service, a published service with an unpublished
    # change, and the small catalogue's internal process instruction.
    espoo = OrganisationPage.objects.get(key="espoo", locale__language_code="fi")
    restriction = PageViewRestriction.objects.create(
        page=espoo, restriction_type=PageViewRestriction.LOGIN
    )
    hidden = {"Uravalmennus", "Espoon työllisyys", "Luonnospalvelu", "Työkokeilu Helsingissä"}
    workshop = ServicePage.objects.get(key="youth-workshop", locale__language_code="fi")
    workshop.title = "Luonnosotsikko"
    workshop.save_revision()
    hidden.add("Luonnosotsikko")
    visible_services = ServicePage.objects.filter(live=True, locale__language_code="fi").exclude(
        path__startswith=espoo.path
    )

    for lang in ("fi", "sv", "en"):
        found = everything(client, lang)
        text = str(found)
        assert not [word for word in hidden if word in text], lang
        assert found["services"]["total_items"] == visible_services.count()
        assert found["organizations"]["total_items"] == 3  # Helsinki, Yrityssuomi, Vantaa
        assert "Nuorten työpaja" in text

    restriction.delete()
    assert "Uravalmennus" in str(everything(client))


def test_a_hidden_record_is_no_record(trilingual_service, client):
    espoo_service = next(
        s for s in ok(client, "/services")["contents"] if s["name"] == "Uravalmennus"
    )
    espoo = OrganisationPage.objects.get(key="espoo", locale__language_code="fi")
    PageViewRestriction.objects.create(page=espoo, restriction_type=PageViewRestriction.LOGIN)

    response = get(client, f"/services/{espoo_service['id']}")

    assert response.status_code == 404
    assert espoo_service["id"] in response.json()["errors"][0]["message"]


def test_the_taxonomies_are_the_projects_own_with_national_uris(trilingual_service, client):
    taxonomies = ok(client, "/taxonomies", lang="sv")["contents"]
    terms = ok(client, "/taxonomy_terms", lang="sv", per_page=200)["contents"]
    service = coaching(client, "sv")

    assert {t["name"] for t in taxonomies} == {
        "Tjänsteklasser",
        "Livssituationer",
        "Genomförandesätt",
        "Tjänstespråk",
        "Kommuner",
    }
    assert {term["taxonomy_id"] for term in terms} == {t["id"] for t in taxonomies}
    vanda = next(term for term in terms if term["name"] == "Vanda")
    assert (vanda["code"], vanda["language"]) == ("092", "sv")
    assert vanda["term_uri"].startswith("http://uri.suomi.fi/codelist/jhs/kunta")
    # Every classification of a service is a listed term, and each can be fetched alone.
    listed = {term["id"] for term in terms}
    assert {a["taxonomy_term_id"] for a in service["attributes"]} <= listed
    assert ok(client, f"/taxonomy_terms/{vanda['id']}", lang="sv") == vanda
    assert ok(client, f"/taxonomies/{taxonomies[0]['id']}", lang="sv") == taxonomies[0]


def test_each_record_can_be_fetched_by_its_id(trilingual_service, client):
    found = everything(client, "en")
    organisation = next(
        o for o in found["organizations"]["contents"] if o["name"] == "Vantaa employment services"
    )
    location = found["locations"]["contents"][0]
    at_location = found["service_at_locations"]["contents"][0]

    detail = ok(client, f"/organizations/{organisation['id']}", lang="en")
    assert violations(detail, "organization") == []
    assert [s["name"] for s in detail["services"]] == ["Job search coaching"]
    assert ok(client, f"/locations/{location['id']}", lang="en") == location
    one = ok(client, f"/service_at_locations/{at_location['id']}", lang="en")
    assert violations(one, "service_at_location") == []
    assert one["service"]["name"] == "Job search coaching"


@pytest.mark.parametrize(
    ("path", "params", "status", "says"),
    [
        ("/services", {"page": "0"}, 400, "page"),
        ("/services", {"page": "two"}, 400, "'two'"),
        ("/services", {"per_page": "100000"}, 400, "per_page"),
        ("/services", {"per_page": "-5"}, 400, "per_page"),
        ("/services", {"page": "9" * 5000}, 400, "page"),
        ("/services", {"page": "²"}, 400, "page"),
        ("/services", {"page": "99"}, 404, "no page 99"),
        ("/services", {"lang": "de"}, 400, "'de'"),
        ("/services", {"full": "maybe"}, 400, "full"),
        ("/services", {"search": "digi"}, 400, "search"),
        ("/organizations", {"full": "true"}, 400, "full"),
        ("/services/00000000-0000-0000-0000-000000000000", {}, 404, "No service"),
        ("/services/not-an-id", {}, 404, "not-an-id"),
        ("/taxonomy_terms/3", {}, 404, "No taxonomy term"),
        ("/programs", {}, 404, "/open-data/hsds/programs"),
    ],
)
def test_a_callers_mistake_is_a_clear_json_error(
    trilingual_service, client, path, params, status, says
):
    # Messages follow the caller's language (Finnish by default); these are checked in English.
    response = client.get(f"{FEED}{path}", params, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == status
    (error,) = response.json()["errors"]
    assert says in error["message"]


def test_the_feed_is_read_only(trilingual_service):
    client = Client(enforce_csrf_checks=True)  # as a browser's form post meets it
    response = client.post(f"{FEED}/services", {}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert "read-only" in response.json()["errors"][0]["message"]


def test_a_service_that_has_ended_or_not_started_is_not_in_the_feed(trilingual_service, client):
    ServicePage.objects.filter(key="job-coaching").update(valid_until="2020-12-31")
    ServicePage.objects.filter(key="startup-money").update(valid_from="2099-01-01")

    found = everything(client, "sv")

    text = str(found)
    assert "Jobbsökarträning" not in text and "Tikkurilan toimipiste" not in text
    assert "Starttiraha" not in text
    assert found["services"]["total_items"] == 3
    assert found["locations"]["total_items"] == found["service_at_locations"]["total_items"] == 0


def test_opening_hours_the_feed_cannot_read_are_left_out_not_guessed(trilingual_service, client):
    from catalogue.models import ServiceLocation

    ServiceLocation.objects.filter(page__key="job-coaching", address="").update(
        opening_hours=[
            "9–17",
            {"hours": [{"day_from": "Funday", "from": "09:00", "to": "17:00"}]},
            {"hours": [{"day_from": 1, "day_to": 5, "from": "9:00", "to": "25:00"}]},
            {"hours": [{"day_from": "sat", "day_to": "mon", "from": "9:30", "to": "12:00"}]},
        ]
    )

    (location,) = [
        loc for loc in ok(client, "/locations")["contents"] if loc["name"] == "Myyrmäen toimipiste"
    ]

    assert violations(location, "location") == []
    assert [(s["byday"], s["opens_at"]) for s in location["schedules"]] == [("SA,SU,MO", "09:30")]


def test_an_unpublished_organisation_is_not_nested_in_its_live_services(trilingual_service, client):
    OrganisationPage.objects.filter(key="yrityssuomi").update(live=False)

    found = everything(client)

    (service,) = [s for s in found["services"]["contents"] if s["name"] == "Starttiraha"]
    assert "organization" not in service and "organization_id" not in service
    assert violations(service, "service") == []
    assert "Yrityssuomi" not in str(found)

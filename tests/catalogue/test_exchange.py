"""Bulk import and export in the exchange format (docs/exchange-format.md).

What a content team sees: a valid document becomes pages and translations, a
second import changes nothing, an invalid document is refused whole with one
message per problem, and an export imports back into an empty site unchanged.
"""

import copy
import json

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Locale, Page

from catalogue.models import OrganisationPage, ServicePage
from exchange.exporter import dumps, export_document
from exchange.importer import import_document
from exchange.validation import ExchangeError
from guides.models import GuidePage, ProcessInstructionPage
from people.site_tree import ensure_site_tree

pytestmark = pytest.mark.django_db


def make_document():
    return {
        "version": 1,
        "organisations": [
            {
                "key": "helsinki-employment",
                "kind": "municipality",
                "businessId": "0201256-6",
                "ptvId": None,
                "website": "https://example.org",
                "locales": {
                    "fi": {"name": "Helsingin työllisyyspalvelut"},
                    "sv": {"name": "Helsingfors sysselsättningstjänster"},
                },
            },
            {
                "key": "kela",
                "kind": "kela",
                "locales": {"fi": {"name": "Kela"}},
            },
        ],
        "services": [
            {
                "key": "work-trial",
                "organisation": "helsinki-employment",
                "status": "published",
                "audience": "person",
                "categories": ["job-search-support"],
                "lifeSituations": ["young-adult"],
                "methods": ["in-person", "remote"],
                "municipalities": ["091", "049"],
                "languages": ["fi", "sv", "en"],
                "ageMin": 17,
                "ageMax": 29,
                "free": True,
                "accessible": True,
                "priority": 60,
                "responsible": "editor@example.org",
                "validFrom": "2026-01-01",
                "validUntil": None,
                "contacts": [
                    {"name": "Palveluneuvonta", "email": "desk@example.org", "phone": "+358 9 1"}
                ],
                "links": [{"title": "Hakulomake", "url": "https://example.org/apply"}],
                "locations": [
                    {
                        "name": "Palvelupiste",
                        "address": "Katu 1",
                        "postalCode": "00100",
                        "city": "Helsinki",
                        "lat": 60.17,
                        "lon": 24.94,
                    }
                ],
                "locales": {
                    "fi": {
                        "title": "Työkokeilu",
                        "summary": "Kokeile sopiiko ala sinulle.",
                        "description": "<p>Työkokeilu on <strong>maksuton</strong>.</p>",
                        "targetGroup": "<p>Nuoret</p>",
                        "implementation": "<ul><li>Lähi</li><li>Etä</li></ul>",
                        "participation": "<p><em>Ilmoittaudu</em> verkossa.</p>",
                        "keywords": ["työkokeilu", "uravalinta"],
                    },
                    "sv": {"title": "Arbetsprövning", "summary": "Pröva om branschen passar."},
                },
            },
            {
                "key": "benefit-advice",
                "organisation": "kela",
                "status": "draft",
                "audience": "person",
                "locales": {"fi": {"title": "Etuusneuvonta"}},
            },
        ],
        "instructions": [
            {
                "key": "work-trial-espoo",
                "service": "work-trial",
                "status": "published",
                "municipalities": ["235", "049"],
                "locales": {
                    "fi": {"title": "Työkokeilu: ohjausprosessi", "guidance": "<p>Ohjaa.</p>"}
                },
            }
        ],
        "guides": [
            {
                "key": "benefit-guide",
                "kind": "guide",
                "status": "published",
                "locales": {"fi": {"title": "Työttömyysturva", "body": "<p>Opas</p>"}},
            },
            {
                "key": "ura-guide",
                "kind": "tool",
                "internal": True,
                "status": "published",
                "locales": {"fi": {"title": "URA-kirjausohje"}},
            },
        ],
    }


def content_counts():
    return {
        "pages": Page.objects.count(),
        "organisations": OrganisationPage.objects.count(),
        "services": ServicePage.objects.count(),
        "instructions": ProcessInstructionPage.objects.count(),
        "guides": GuidePage.objects.count(),
    }


def test_a_valid_document_becomes_pages_with_their_fields():
    counts = import_document(make_document())

    assert counts["organisations"] == {"created": 2, "updated": 0, "unchanged": 0}
    assert counts["services"]["created"] == 2
    service = ServicePage.objects.get(key="work-trial", locale__language_code="fi")
    assert service.title == "Työkokeilu"
    assert service.get_parent().specific.key == "helsinki-employment"
    assert service.live and service.responsible_email == "editor@example.org"
    assert sorted(m.code for m in service.municipalities.all()) == ["049", "091"]
    assert [c.slug for c in service.categories.all()] == ["job-search-support"]
    assert (service.age_min, service.age_max, service.priority) == (17, 29, 60)
    assert service.keywords == "työkokeilu, uravalinta"
    assert service.contacts.get().email == "desk@example.org"
    assert service.locations.get().latitude == 60.17
    # Stored the way Draftail stores bold and italic, so the editor shows them.
    assert service.description == "<p>Työkokeilu on <b>maksuton</b>.</p>"

    tree = ensure_site_tree()
    instruction = ProcessInstructionPage.objects.get(key="work-trial-espoo")
    assert instruction.get_parent().pk == tree.area_pages["049"].pk
    assert instruction.service_id == service.pk
    assert GuidePage.objects.get(key="ura-guide").is_internal
    assert not GuidePage.objects.get(key="benefit-guide").is_internal


def test_importing_the_same_document_again_duplicates_nothing():
    import_document(make_document())
    before = content_counts()

    counts = import_document(make_document())

    assert content_counts() == before
    assert all(c["created"] == 0 and c["updated"] == 0 for c in counts.values())
    changed = make_document()
    changed["services"][0]["locales"]["fi"]["title"] = "Työkokeilu 2"
    counts = import_document(changed)
    assert counts["services"] == {"created": 0, "updated": 1, "unchanged": 1}
    assert content_counts() == before
    assert ServicePage.objects.get(key="work-trial", locale__language_code="fi").title == (
        "Työkokeilu 2"
    )


def test_a_document_with_errors_is_refused_whole_with_one_message_per_error():
    ensure_site_tree()
    document = make_document()
    document["services"][0]["municipalities"] = ["091", "999"]
    document["services"][0]["ageMin"] = 40
    document["guides"][0]["colour"] = "red"
    before = content_counts()

    with pytest.raises(ExchangeError) as refused:
        import_document(document)

    assert refused.value.messages == [
        'services[work-trial].municipalities: unknown municipality code "999"',
        "services[work-trial].ageMax: must not be below ageMin (40)",
        "guides[benefit-guide].colour: unknown field",
    ]
    assert content_counts() == before


def test_a_published_service_without_a_responsible_person_is_refused():
    document = make_document()
    del document["services"][0]["responsible"]

    with pytest.raises(ExchangeError) as refused:
        import_document(document)

    assert len(refused.value.messages) == 1
    assert refused.value.messages[0].startswith("services[work-trial].responsible: required")
    assert not ServicePage.objects.exists()


def test_long_text_is_sanitised_and_scripts_never_stored():
    document = make_document()
    document["services"][0]["locales"]["fi"]["description"] = (
        '<p onclick="x()">Hei <script>alert(1)</script><span>teksti</span> '
        '<a href="javascript:alert(1)">j</a> <a href="https://kela.fi" target="_blank">Kela</a>'
        "</p><h1>Otsikko</h1><h3>Väliotsikko</h3><br/>"
    )

    import_document(document)

    service = ServicePage.objects.get(key="work-trial", locale__language_code="fi")
    assert service.description == (
        '<p>Hei teksti j <a href="https://kela.fi">Kela</a></p>Otsikko<h3>Väliotsikko</h3><br>'
    )
    exported = next(s for s in export_document()["services"] if s["key"] == "work-trial")
    assert exported["locales"]["fi"]["description"] == service.description


def test_drafts_stay_drafts():
    import_document(make_document())

    draft = ServicePage.objects.get(key="benefit-advice")
    assert not draft.live
    assert draft.latest_revision is not None

    # A draft of a live service leaves the live version as it is, like "Save draft".
    document = make_document()
    document["services"][0]["status"] = "draft"
    document["services"][0]["locales"]["fi"]["title"] = "Työkokeilu (luonnos)"
    import_document(document)
    live = ServicePage.objects.get(key="work-trial", locale__language_code="fi")
    assert live.live and live.title == "Työkokeilu" and live.has_unpublished_changes
    assert live.get_latest_revision_as_object().title == "Työkokeilu (luonnos)"


def test_other_languages_become_wagtail_localize_translations():
    import_document(make_document())
    swedish = Locale.objects.get(language_code="sv")

    source = ServicePage.objects.get(key="work-trial", locale__language_code="fi")
    translation = ServicePage.objects.get(key="work-trial", locale=swedish)
    assert translation.translation_key == source.translation_key
    assert translation.title == "Arbetsprövning"
    assert translation.live
    # Synchronised fields equal the source; untranslated texts are empty.
    for field in ("audience", "age_min", "age_max", "priority", "responsible_email", "free"):
        assert getattr(translation, field) == getattr(source, field)
    # The same municipalities, each as its Swedish term.
    assert {(m.code, m.locale) for m in translation.municipalities.all()} == {
        (m.code, swedish) for m in source.municipalities.all()
    }
    assert [c.name for c in translation.contacts.all()] == ["Palveluneuvonta"]
    assert translation.description == ""
    organisation = translation.get_parent().specific
    assert organisation.title == "Helsingfors sysselsättningstjänster"
    assert organisation.locale == swedish


def test_export_imports_into_an_empty_site_unchanged():
    document = make_document()
    document["services"][0]["locations"].append(
        {
            "name": "PTV:n toimipiste",
            "phone": "+358 9 310 1234",
            "email": "toimipiste@example.org",
            "website": "https://example.org/toimipiste",
            "openingHours": [
                {
                    "type": "DaysOfTheWeek",
                    "isClosed": False,
                    "hours": [
                        {"dayFrom": "Monday", "dayTo": "Friday", "from": "09:00", "to": "16:00"}
                    ],
                    "info": "Ilman ajanvarausta",
                },
                {"type": "Exceptional", "validFrom": "2026-12-24", "validTo": "2026-12-26",
                 "isClosed": True},
            ],
            "ptvId": "3f1c6a2e-8a0b-4c55-9d3e-2b7f0c1d9e41",
            "servicemapId": "51342",
        }
    )  # fmt: skip
    import_document(document)
    first = dumps(export_document())
    assert '"dayTo": "Friday"' in first and '"servicemapId": "51342"' in first

    # Empty the site of content: instructions first, they protect their services.
    # Deleting a Finnish page deletes its translations with it.
    for model in (ProcessInstructionPage, GuidePage, ServicePage, OrganisationPage):
        for page in model.objects.filter(locale__language_code="fi").order_by("-depth"):
            page.refresh_from_db()
            page.delete()
    assert not OrganisationPage.objects.exists()

    import_document(json.loads(first))
    assert dumps(export_document()) == first


def test_dry_run_validates_and_writes_nothing(tmp_path):
    ensure_site_tree()
    before = content_counts()
    path = tmp_path / "content.json"
    path.write_text(json.dumps(make_document()), encoding="utf-8")

    call_command("import_content", str(path), "--dry-run")

    assert content_counts() == before
    broken = copy.deepcopy(make_document())
    broken["version"] = 2
    path.write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(CommandError, match="1 error"):
        call_command("import_content", str(path), "--dry-run")


def test_a_translated_instruction_stays_behind_the_internal_restriction():
    document = make_document()
    document["instructions"][0]["locales"]["sv"] = {"title": "Arbetsprövning: process"}

    import_document(document)

    translation = ProcessInstructionPage.objects.get(locale__language_code="sv")
    assert translation.title == "Arbetsprövning: process"
    assert translation.get_view_restrictions().exists()


def test_a_translated_service_gets_its_organisation_in_that_language():
    document = make_document()
    document["services"][1]["status"] = "published"
    document["services"][1]["responsible"] = "neuvonta@example.org"
    document["services"][1]["locales"]["en"] = {"title": "Benefit advice"}

    import_document(document)

    kela = OrganisationPage.objects.get(key="kela", locale__language_code="en")
    assert kela.title == "Kela" and kela.live
    assert kela.admin_group is None  # the organisation's groups stay with the Finnish page
    service = ServicePage.objects.get(key="benefit-advice", locale__language_code="en")
    assert service.get_parent().pk == kela.pk


def test_keywords_with_commas_are_refused():
    document = make_document()
    document["services"][0]["locales"]["fi"]["keywords"] = ["työ, kokeilu"]

    with pytest.raises(ExchangeError) as refused:
        import_document(document)

    assert refused.value.messages == [
        'services[work-trial].locales.fi.keywords: a keyword cannot contain a comma: "työ, kokeilu"'
    ]


def test_changing_only_a_translation_writes_only_that_language():
    import_document(make_document())
    source = ServicePage.objects.get(key="work-trial", locale__language_code="fi")
    swedish = ServicePage.objects.get(key="work-trial", locale__language_code="sv")
    revisions = (source.revisions.count(), swedish.revisions.count())
    document = make_document()
    document["services"][0]["locales"]["sv"]["summary"] = "Ny sammanfattning."

    counts = import_document(document)

    assert counts["services"]["updated"] == 1
    assert (source.revisions.count(), swedish.revisions.count()) == (
        revisions[0],
        revisions[1] + 1,
    )
    swedish.refresh_from_db()
    assert swedish.summary == "Ny sammanfattning." and swedish.live

"""Service locations in the exchange format: their contact details, opening hours and links,
and what an import keeps of a location an interface maintains (docs/exchange-format.md)."""

import copy
import json
from io import StringIO

import pytest
from django.core.management import call_command

from catalogue.models import ServicePage
from exchange.exporter import export_document
from exchange.importer import import_document
from exchange.validation import ExchangeError
from integrations.location_writer import integration_user, write

pytestmark = pytest.mark.django_db

PTV_ID = "3f1c6a2e-8a0b-4c55-9d3e-2b7f0c1d9e41"
OPENING_HOURS = [
    {
        "type": "DaysOfTheWeek",
        "validFrom": None,
        "validTo": None,
        "isClosed": False,
        "isAlwaysOpen": False,
        "hours": [{"dayFrom": "Monday", "dayTo": "Friday", "from": "09:00", "to": "16:00"}],
        "info": "Ilman ajanvarausta",
    },
    {
        "type": "Exceptional",
        "validFrom": "2026-12-24",
        "validTo": "2026-12-26",
        "isClosed": True,
        "isAlwaysOpen": False,
        "hours": [],
        "info": "Joulu",
    },
]


def location(name, **fields):
    return {
        "name": name,
        "address": "Katu 1",
        "postalCode": "00100",
        "city": "Helsinki",
        "lat": 60.17,
        "lon": 24.94,
        **fields,
    }


def make_document(locations):
    return {
        "version": 1,
        "organisations": [
            {
                "key": "helsinki-employment",
                "kind": "municipality",
                "locales": {
                    "fi": {"name": "Helsingin työllisyyspalvelut"},
                    "sv": {"name": "Helsingfors sysselsättningstjänster"},
                },
            }
        ],
        "services": [
            {
                "key": "work-trial",
                "organisation": "helsinki-employment",
                "status": "published",
                "audience": "person",
                "responsible": "editor@example.org",
                "locations": locations,
                "locales": {"fi": {"title": "Työkokeilu"}, "sv": {"title": "Arbetsprövning"}},
            }
        ],
    }


def exported_locations():
    (service,) = export_document()["services"]
    return service["locations"]


def ptv_sync(values):
    """A PTV run giving ``values`` for the linked location (the real write path)."""

    def values_for(link, language):
        return ({**values, "name": f"{values['name']} ({language})"}, [])

    return write("ptv", [PTV_ID], values_for, integration_user("ptv"))


def finnish_location():
    return ServicePage.objects.get(locale__language_code="fi").locations.get()


def test_contact_details_opening_hours_and_links_round_trip():
    place = location(
        "Palvelupiste",
        phone="+358 9 310 1234",
        email="palvelupiste@example.org",
        website="https://example.org/palvelupiste",
        openingHours=OPENING_HOURS,
        ptvId=PTV_ID,
        servicemapId="51342",
    )
    import_document(make_document([place, location("Toinen piste")]))

    first, second = exported_locations()
    assert first == place
    assert second["phone"] is None and second["openingHours"] == []
    assert second["ptvId"] is None and second["servicemapId"] is None
    model = ServicePage.objects.get(locale__language_code="fi").locations.first()
    assert model.opening_hours[0]["hours"] == [
        {"day_from": "Monday", "day_to": "Friday", "from": "09:00", "to": "16:00"}
    ]
    assert model.opening_hours[1]["valid_from"] == "2026-12-24"
    swedish = ServicePage.objects.get(locale__language_code="sv").locations.first()
    assert (swedish.phone, swedish.ptv_id) == ("+358 9 310 1234", PTV_ID)


def test_an_old_document_without_the_new_fields_imports_as_before():
    counts = import_document(make_document([location("Palvelupiste")]))

    assert counts["services"]["created"] == 1
    assert counts.notices == []
    stored = finnish_location()
    assert (stored.name, stored.phone, stored.email, stored.website) == ("Palvelupiste", "", "", "")
    assert (stored.opening_hours, stored.ptv_id, stored.servicemap_id) == ([], "", "")
    assert stored.source_fields == {} and stored.synced_at is None

    # Locations without links are written from the document, as before.
    import_document(make_document([location("Uusi nimi", city="Espoo")]))
    assert [(p.name, p.city) for p in finnish_location().page.locations.all()] == [
        ("Uusi nimi", "Espoo")
    ]


def test_a_ptv_linked_location_survives_a_reimport_with_its_maintained_values():
    document = make_document([location("Palvelupiste", ptvId=PTV_ID)])
    import_document(document)
    ptv_sync({"name": "Työpiste", "phone": "+358 9 555", "opening_hours": [
        {"type": "DaysOfTheWeek", "valid_from": None, "valid_to": None, "is_closed": False,
         "is_always_open": False, "info": "",
         "hours": [{"day_from": "Monday", "day_to": "", "from": "08:00", "to": "12:00"}]}
    ]})  # fmt: skip
    synced = finnish_location()
    assert synced.source_fields == {"name": "ptv", "phone": "ptv", "opening_hours": "ptv"}

    # The document an editor kept from before the PTV run, re-imported.
    counts = import_document(document)

    assert counts["services"] == {"created": 0, "updated": 0, "unchanged": 1}
    kept = finnish_location()
    assert (kept.pk, kept.name, kept.phone) == (synced.pk, "Työpiste (fi)", "+358 9 555")
    assert kept.source_fields == synced.source_fields
    assert kept.synced_at == synced.synced_at
    assert kept.opening_hours == synced.opening_hours
    assert any("locations[0].name: maintained by PTV" in n for n in counts.notices)
    swedish = ServicePage.objects.get(locale__language_code="sv").locations.get()
    assert swedish.name == "Työpiste (sv)"


def test_an_edited_maintained_field_is_ignored_and_the_rest_is_written():
    import_document(make_document([location("Palvelupiste", ptvId=PTV_ID)]))
    ptv_sync({"name": "Työpiste", "phone": "+358 9 555"})
    exported = copy.deepcopy(exported_locations())

    exported[0]["phone"] = "+358 40 000 0000"  # PTV's
    exported[0]["email"] = "uusi@example.org"  # the editors'
    exported[0]["ptvId"] = None  # left out: the link stays
    counts = import_document(make_document(exported))

    assert counts["services"]["updated"] == 1
    assert counts.notices == [
        f'services[work-trial].locations[0].phone: maintained by PTV for "Työpiste (fi)"'
        f" (PTV {PTV_ID}); the document's value is ignored"
    ]
    kept = finnish_location()
    assert (kept.phone, kept.email, kept.ptv_id) == ("+358 9 555", "uusi@example.org", PTV_ID)
    assert kept.source_fields == {"name": "ptv", "phone": "ptv"}
    swedish = ServicePage.objects.get(locale__language_code="sv").locations.get()
    assert (swedish.name, swedish.email) == ("Työpiste (sv)", "uusi@example.org")


def test_locations_are_matched_by_their_link_before_their_position():
    import_document(make_document([location("Palvelupiste", ptvId=PTV_ID)]))
    ptv_sync({"name": "Työpiste", "phone": "+358 9 555"})

    # A hand-typed location is put first; the linked one moves second, renamed.
    import_document(make_document([location("Käsin lisätty"), location("Muu nimi", ptvId=PTV_ID)]))

    page = ServicePage.objects.get(locale__language_code="fi")
    first, second = page.locations.all()
    assert (first.name, first.ptv_id, first.source_fields) == ("Käsin lisätty", "", {})
    assert (second.name, second.phone, second.ptv_id) == ("Työpiste (fi)", "+358 9 555", PTV_ID)
    assert second.source_fields == {"name": "ptv", "phone": "ptv"}


def test_a_linked_location_left_out_of_the_document_is_kept_with_a_notice():
    import_document(make_document([location("Palvelupiste", ptvId=PTV_ID)]))
    ptv_sync({"name": "Työpiste", "phone": "+358 9 555"})

    counts = import_document(make_document([location("Käsin lisätty")]))

    names = [p.name for p in ServicePage.objects.get(locale__language_code="fi").locations.all()]
    assert names == ["Käsin lisätty", "Työpiste (fi)"]
    assert counts.notices == [
        f'services[work-trial].locations: "Työpiste (fi)" (PTV {PTV_ID}) is not in the'
        " document but is linked to an interface; it is kept (remove it in the admin)"
    ]


def test_import_content_prints_what_it_kept(tmp_path):
    import_document(make_document([location("Palvelupiste", ptvId=PTV_ID)]))
    ptv_sync({"name": "Työpiste", "phone": "+358 9 555"})
    path = tmp_path / "content.json"
    # Named as PTV names it, without the link: paired by name.
    place = location("Työpiste (fi)", phone="+358 40 1")
    path.write_text(json.dumps(make_document([place])))

    out = StringIO()
    call_command("import_content", str(path), "--dry-run", stdout=out)

    printed = out.getvalue()
    assert "services: 0 would be created, 0 would be updated, 1 would be unchanged" in printed
    assert "kept: services[work-trial].locations[0].phone: maintained by PTV" in printed


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "not an address"}, 'email: not a valid e-mail address: "not an address"'),
        ({"website": "ftp://example.org"}, 'website: not a valid http(s) URL: "ftp://example.org"'),
        ({"ptvId": "x" * 65}, "ptvId: at most 64 characters, got 65"),
        ({"openingHours": {}}, "openingHours: expected an array, got an object"),
        (
            {"openingHours": [{**OPENING_HOURS[0], "type": "Sometimes"}]},
            'openingHours[0].type: expected one of DaysOfTheWeek, Exceptional, OverMidnight, got "Sometimes"',  # noqa: E501
        ),
        (
            {"openingHours": [{**OPENING_HOURS[1], "validFrom": "24.12.2026"}]},
            'openingHours[0].validFrom: expected an ISO date (YYYY-MM-DD), got "24.12.2026"',
        ),
        (
            {"openingHours": [{**OPENING_HOURS[0], "hours": [{"dayFrom": "Mon", "from": "9"}]}]},
            "openingHours[0].hours[0].dayFrom: expected one of Monday",
        ),
        (
            {
                "openingHours": [
                    {**OPENING_HOURS[0], "hours": [{"dayFrom": "Monday", "to": "25:00"}]}
                ]
            },  # noqa: E501
            'openingHours[0].hours[0].to: expected a time of day (HH:MM), got "25:00"',
        ),
        (
            {"openingHours": [{**OPENING_HOURS[0], "colour": "red"}]},
            "openingHours[0].colour: unknown field",
        ),
    ],
)
def test_bad_location_values_are_refused_whole_naming_the_record_and_field(fields, message):
    document = make_document([location("Palvelupiste"), location("Toinen", **fields)])

    with pytest.raises(ExchangeError) as refused:
        import_document(document)

    assert any(
        m.startswith(f"services[work-trial].locations[1].{message}") for m in refused.value.messages
    ), refused.value.messages
    assert not ServicePage.objects.exists()


def test_a_bad_time_and_a_bad_e_mail_are_both_reported():
    place = location(
        "Palvelupiste",
        email="x@",
        openingHours=[{**OPENING_HOURS[0], "hours": [{"dayFrom": "Monday", "from": "9:00"}]}],
    )
    with pytest.raises(ExchangeError) as refused:
        import_document(make_document([place]))

    assert refused.value.messages == [
        'services[work-trial].locations[0].email: not a valid e-mail address: "x@"',
        "services[work-trial].locations[0].openingHours[0].hours[0].from:"
        ' expected a time of day (HH:MM), got "9:00"',
    ]

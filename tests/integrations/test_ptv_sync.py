"""The PTV fetch against a stand-in PTV Open API v11 on 127.0.0.1."""

import copy
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from integration_data import (
    ORGANISATION_GUID,
    add_location,
    link_organisation,
    live_location,
    revision_count,
    service,
)

from integrations import ptv_sync
from integrations.geo import tm35fin_to_wgs84
from integrations.http_json import ExternalServiceError
from integrations.models import IntegrationRun
from integrations.ptv_client import PtvClient

pytestmark = pytest.mark.django_db

CHANNEL = "2f2b7a4e-6c1d-4a8e-9a51-3c6f0b0d1a01"


@pytest.fixture
def linked(small_catalogue, ptv, ptv_channel):
    """Helsinki's work trial (with its Swedish translation) has a location linked to PTV."""
    ptv.add(ORGANISATION_GUID, ptv_channel)
    link_organisation("helsinki")
    fi = add_location(service("work-trial"), ptv_id=CHANNEL, name="Vanha nimi", phone="123")
    sv = add_location(service("work-trial", "sv"), ptv_id=CHANNEL, name="Gammalt namn")
    return fi, sv


def test_an_etrs_tm35fin_point_converts_to_its_published_wgs84_coordinates():
    # City of Helsinki's service register (TPR, unit 22736 "InnoOmnia", Mankkaantie,
    # Espoo) publishes both: northing_etrs_tm35fin 6675252, easting_etrs_tm35fin 376176,
    # latitude 60.195263, longitude 24.766584 (whole metres, so within about 1e-5°).
    latitude, longitude = tm35fin_to_wgs84(6675252, 376176)

    assert latitude == pytest.approx(60.195263, abs=1e-5)
    assert longitude == pytest.approx(24.766584, abs=1e-5)


def test_a_linked_location_takes_its_name_address_contacts_and_coordinates_from_ptv(linked):
    fi, _ = linked

    run = ptv_sync.run()

    assert run.status == IntegrationRun.Status.OK, run.message
    location = live_location(fi)
    assert location.name == "Espoon työllisyyspalvelut, Mankkaan toimipiste"
    assert location.address == "Mankkaantie 2"
    assert location.postal_code == "02180"
    assert location.city == "ESPOO"
    assert location.phone == "+358 981652000"
    assert location.email == "tyollisyys.mankkaa@espoo.example.fi"
    assert location.website == "https://www.espoo.example.fi/tyollisyys/mankkaa"
    assert location.latitude == pytest.approx(60.195263, abs=1e-5)
    assert location.longitude == pytest.approx(24.766584, abs=1e-5)
    assert location.source_fields["address"] == "ptv"
    assert location.source_fields["opening_hours"] == "ptv"
    assert location.synced_at is not None


def test_the_swedish_translation_gets_swedish_texts(linked):
    _, sv = linked

    ptv_sync.run()

    location = live_location(sv)
    assert location.name == "Esbo sysselsättningstjänster, Mankby verksamhetsställe"
    assert location.address == "Mankansvägen 2"
    assert location.city == "ESBO"
    assert location.email == "sysselsattning.mankby@esbo.example.fi"
    # No Swedish phone number in PTV: the Finnish one.
    assert location.phone == "+358 981652000"
    assert location.opening_hours[0]["info"] == "Utan tidsbokning"


def test_opening_hours_include_the_exceptional_hours(linked):
    fi, _ = linked

    ptv_sync.run()

    regular, christmas = live_location(fi).opening_hours
    assert regular == {
        "type": "DaysOfTheWeek",
        "valid_from": None,
        "valid_to": None,
        "is_closed": False,
        "is_always_open": False,
        "hours": [
            {"day_from": "Monday", "day_to": "", "from": "09:00", "to": "16:00"},
            {"day_from": "Friday", "day_to": "", "from": "09:00", "to": "14:00"},
        ],
        "info": "Ilman ajanvarausta",
    }
    assert christmas["type"] == "Exceptional"
    assert christmas["is_closed"] is True
    assert (christmas["valid_from"], christmas["valid_to"]) == ("2026-12-24", "2026-12-26")
    assert christmas["info"] == "Joulu"


def test_a_change_is_a_published_revision_by_the_integration_user_and_no_change_writes_nothing(
    linked,
):
    fi, _ = linked
    before = revision_count(fi)

    first = ptv_sync.run(full=True)
    fi.refresh_from_db()
    assert revision_count(fi) == before + 1
    assert fi.live_revision.user.username == "PTV-integraatio"
    assert not fi.has_unpublished_changes
    assert first.counts["updated"] == 2  # the Finnish page and its Swedish translation

    second = ptv_sync.run(full=True)
    assert revision_count(fi) == before + 1
    assert second.counts == {"fetched": 1, "updated": 0, "unchanged": 2, "refused": 0}


def test_every_page_of_the_organisations_list_is_read(small_catalogue, ptv, ptv_channel):
    link_organisation("helsinki")
    page = service("work-trial")
    for number in range(5):
        channel = copy.deepcopy(ptv_channel)
        channel["id"] = f"00000000-0000-0000-0000-00000000000{number}"
        channel["serviceChannelNames"][0]["value"] = f"Toimipiste {number}"
        ptv.add(ORGANISATION_GUID, channel, modified="2026-11-30T08:15:00")
        page = add_location(page, ptv_id=channel["id"], name=f"Paikka {number}")
    # Fetched before and changed in PTV since: only the organisation's list names them.
    page.locations.update(synced_at=datetime(2026, 11, 1, tzinfo=UTC))
    IntegrationRun.objects.create(
        interface=IntegrationRun.Interface.PTV_FETCH,
        started_at=datetime(2026, 11, 1, tzinfo=UTC),
        status=IntegrationRun.Status.OK,
    )

    run = ptv_sync.run()

    pages = [q["page"] for p, q in ptv.requests if p.endswith("/type/ServiceLocation")]
    assert pages == ["1", "2", "3"]
    assert run.counts["fetched"] == 5
    names = sorted(page.locations.values_list("name", flat=True))
    assert names == [f"Toimipiste {number}" for number in range(5)]


def test_the_next_run_asks_only_for_changes_since_the_last_successful_one(linked, ptv):
    first = ptv_sync.run()
    assert "date" not in ptv.requests[0][1]
    ptv.requests.clear()

    second = ptv_sync.run()

    lists = [q for p, q in ptv.requests if p.endswith("/type/ServiceLocation")]
    since = first.started_at - ptv_sync.OVERLAP
    assert lists == [{"date": since.strftime("%Y-%m-%dT%H:%M:%S"), "page": "1"}]
    # The channel has not changed since: nothing is fetched in full.
    assert not any(p.endswith("/list") for p in ptv.paths())
    assert second.since == since
    assert second.counts["fetched"] == 0


@pytest.mark.parametrize("failure", ["500", "timeout", "not-json"])
def test_ptv_failing_leaves_the_locations_as_they_were_and_is_logged(linked, ptv, failure):
    fi, _ = linked
    before = revision_count(fi)
    ptv.failures = [failure]

    run = ptv_sync.run()

    assert run.status == IntegrationRun.Status.FAILED
    assert run.finished_at is not None
    expected = {"500": "HTTP 500", "timeout": "no answer", "not-json": "not JSON"}[failure]
    assert expected in run.message
    location = live_location(fi)
    assert (location.name, location.phone, location.source_fields) == ("Vanha nimi", "123", {})
    assert revision_count(fi) == before
    # The failed run is no starting point: the next run asks for everything again.
    ptv.requests.clear()
    assert ptv_sync.run().status == IntegrationRun.Status.OK
    assert "date" not in ptv.requests[0][1]


def test_the_client_retries_a_failing_ptv_before_giving_up(ptv, ptv_channel):
    ptv.add(ORGANISATION_GUID, ptv_channel)
    client = PtvClient(f"{ptv.url}/api/v11/", timeout=1, retries=2, backoff=0.01)
    ptv.failures = ["500", "not-json"]

    assert client.service_location_ids(ORGANISATION_GUID) == [CHANNEL]
    assert len(ptv.requests) == 3

    ptv.failures = ["500", "500", "500"]
    with pytest.raises(ExternalServiceError, match="HTTP 500 \\(3 attempts\\)"):
        client.service_location_ids(ORGANISATION_GUID)


def test_an_editors_unpublished_draft_is_neither_published_nor_lost(linked):
    fi, _ = linked
    draft = fi.get_latest_revision_as_object()
    draft.summary = "Luonnos, jota ei ole vielä julkaistu"
    draft.save_revision()

    ptv_sync.run()

    fi.refresh_from_db()
    assert fi.summary != "Luonnos, jota ei ole vielä julkaistu"
    assert live_location(fi).address == "Mankkaantie 2"
    assert fi.has_unpublished_changes
    latest = fi.get_latest_revision_as_object()
    assert latest.summary == "Luonnos, jota ei ole vielä julkaistu"
    assert latest.locations.get(ptv_id=CHANNEL).address == "Mankkaantie 2"


def test_a_service_that_is_not_live_gets_a_draft_and_stays_unpublished(linked):
    fi, _ = linked
    fi.get_latest_revision().publish()
    fi.unpublish()
    before = revision_count(fi)

    ptv_sync.run()

    fi.refresh_from_db()
    assert not fi.live
    assert revision_count(fi) == before + 1
    latest = fi.get_latest_revision_as_object()
    assert latest.locations.get(ptv_id=CHANNEL).address == "Mankkaantie 2"


def test_a_location_typed_by_hand_is_left_alone(linked):
    fi, _ = linked
    fi = add_location(fi, name="Käsin kirjoitettu", address="Kotikatu 1", city="Helsinki")

    ptv_sync.run()

    typed = live_location(fi, name="Käsin kirjoitettu")
    assert (typed.address, typed.city, typed.source_fields, typed.synced_at) == (
        "Kotikatu 1",
        "Helsinki",
        {},
        None,
    )


def test_a_bad_value_is_refused_by_name_and_the_rest_is_written(linked, ptv, ptv_channel):
    fi, _ = linked
    ptv_channel["emails"] = [{"value": "ei-sahkopostiosoite", "language": "fi"}]
    ptv.channels[CHANNEL] = ptv_channel

    run = ptv_sync.run()

    assert run.status == IntegrationRun.Status.PARTIAL
    assert run.counts["refused"] >= 1
    assert f"Työkokeilu / Vanha nimi (ptv {CHANNEL}): email:" in run.message
    location = live_location(fi)
    assert location.email == ""
    assert "email" not in location.source_fields
    assert location.address == "Mankkaantie 2"


def test_the_command_refuses_to_run_unconfigured_and_reports_a_run(linked, settings):
    out = StringIO()
    call_command("ptv_sync", "--full", stdout=out)
    assert "onnistui" in out.getvalue()

    settings.PTV_API_URL = ""
    with pytest.raises(CommandError, match="PTV_API_URL"):
        call_command("ptv_sync")

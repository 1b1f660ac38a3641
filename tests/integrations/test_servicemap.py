"""The map-source import against a stand-in Service Map (TPR REST v4) on 127.0.0.1."""

import pytest
from django.core.management import CommandError, call_command
from integration_data import ORGANISATION_GUID, add_location, link_organisation, service

from catalogue.models import ServiceLocation, ServicePage
from integrations import ptv_sync, servicemap_sync
from integrations.models import IntegrationRun

pytestmark = pytest.mark.django_db

UNIT = "61234"
CHANNEL = "2f2b7a4e-6c1d-4a8e-9a51-3c6f0b0d1a01"


@pytest.fixture
def mapped(small_catalogue, servicemap, servicemap_unit):
    servicemap.units[UNIT] = servicemap_unit
    fi = add_location(service("work-trial"), servicemap_id=UNIT, name="Ohjaamo", phone="09 1")
    sv = add_location(service("work-trial", "sv"), servicemap_id=UNIT, name="Ohjaamo")
    return fi, sv


def test_a_linked_location_is_imported_with_its_provenance(mapped):
    fi, sv = mapped

    run = servicemap_sync.run()

    assert run.status == IntegrationRun.Status.OK, run.message
    location = ServiceLocation.objects.get(page=fi, servicemap_id=UNIT)
    assert (location.name, location.address, location.postal_code, location.city) == (
        "Ohjaamo Helsinki",
        "Kauppakartanonkatu 1",
        "00100",
        "Helsinki",
    )
    assert (location.latitude, location.longitude) == (60.171524, 24.941898)
    assert location.phone == "+358 9 310 12345"
    assert location.email == "ohjaamo@hel.example.fi"
    assert location.source_fields["address"] == "servicemap"
    assert "opening_hours" not in location.source_fields
    swedish = ServiceLocation.objects.get(page=sv, servicemap_id=UNIT)
    assert (swedish.name, swedish.address, swedish.city) == (
        "Navigatorn Helsingfors",
        "Handelsgårdsgatan 1",
        "Helsingfors",
    )
    assert ServicePage.objects.get(pk=fi.pk).live_revision.user.username == (
        "Palvelukartta-integraatio"
    )


def test_an_unchanged_unit_writes_nothing(mapped):
    fi, _ = mapped
    servicemap_sync.run()
    revisions = fi.revisions.count()

    run = servicemap_sync.run()

    assert fi.revisions.count() == revisions
    assert run.counts == {"fetched": 1, "updated": 0, "unchanged": 2, "refused": 0}


def test_ptv_wins_where_both_give_a_field_and_the_map_fills_the_rest(
    mapped, ptv, ptv_channel, servicemap_unit
):
    fi, _ = mapped
    del ptv_channel["phoneNumbers"]
    ptv.add(ORGANISATION_GUID, ptv_channel)
    link_organisation("helsinki")
    editing = fi.get_latest_revision_as_object()
    location = editing.locations.get(servicemap_id=UNIT)
    location.ptv_id = CHANNEL
    editing.locations = [location]  # the work trial's only location
    editing.save_revision().publish()

    ptv_sync.run()
    servicemap_sync.run()

    location = ServiceLocation.objects.get(page=fi, servicemap_id=UNIT)
    assert location.address == "Mankkaantie 2"
    assert location.source_fields["address"] == "ptv"
    assert location.phone == "+358 9 310 12345"
    assert location.source_fields["phone"] == "servicemap"


def test_a_unit_gone_from_the_map_is_reported_and_its_location_kept(mapped, servicemap):
    fi, _ = mapped
    servicemap.units.clear()

    run = servicemap_sync.run()

    assert run.status == IntegrationRun.Status.PARTIAL
    assert f"servicemap {UNIT}: the Service Map has no such unit" in run.message
    assert ServiceLocation.objects.get(page=fi, servicemap_id=UNIT).name == "Ohjaamo"


def test_the_map_failing_leaves_everything_as_it_was(mapped, servicemap):
    fi, _ = mapped
    servicemap.failures = ["500"]

    run = servicemap_sync.run()

    assert run.status == IntegrationRun.Status.FAILED
    assert "HTTP 500" in run.message
    location = ServiceLocation.objects.get(page=fi, servicemap_id=UNIT)
    assert (location.name, location.phone, location.source_fields) == ("Ohjaamo", "09 1", {})


def test_imported_fields_are_read_only_in_the_editor(mapped, admin_client):
    fi, _ = mapped
    servicemap_sync.run()

    html = admin_client.get(f"/admin/pages/{fi.pk}/edit/").content.decode()

    assert "Ylläpidetään lähteessä palvelukartta" in html
    assert 'value="Kauppakartanonkatu 1"' not in html


def test_the_command_refuses_to_run_unconfigured(mapped, settings):
    call_command("servicemap_sync")
    assert IntegrationRun.objects.filter(interface="servicemap").count() == 1

    settings.SERVICEMAP_API_URL = ""
    with pytest.raises(CommandError, match="SERVICEMAP_API_URL"):
        call_command("servicemap_sync")

"""The service editor: fields an interface maintains are read-only, the rest stay editable."""

import pytest
from integration_data import ORGANISATION_GUID, add_location, link_organisation, service
from wagtail.test.utils.form_data import querydict_from_html

from catalogue.models import ServiceLocation, ServicePage
from integrations import ptv_sync

pytestmark = pytest.mark.django_db

CHANNEL = "2f2b7a4e-6c1d-4a8e-9a51-3c6f0b0d1a01"


@pytest.fixture
def synced(small_catalogue, ptv, ptv_channel):
    """Work trial with one location fetched from PTV and one typed by hand."""
    del ptv_channel["phoneNumbers"]  # PTV has no phone: the editors keep it
    ptv.add(ORGANISATION_GUID, ptv_channel)
    link_organisation("helsinki")
    page = add_location(service("work-trial"), ptv_id=CHANNEL, name="Vanha", phone="09 123")
    page = add_location(page, name="Käsin", address="Kotikatu 1")
    ptv_sync.run()
    return ServicePage.objects.get(pk=page.pk)


def location_form(location, **changes):
    """The editor's own form of one location (as the service editor builds it), submitted."""
    page_form = ServicePage.get_edit_handler().get_form_class()
    form_class = page_form.formsets["locations"].form
    data = {name: getattr(location, name) for name in form_class.base_fields}
    data = {name: "" if value is None else value for name, value in data.items()}
    data["opening_hours"] = "[]" if not location.opening_hours else _json(location.opening_hours)
    data.update(changes)
    return form_class(data=data, instance=location)


def _json(value):
    import json

    return json.dumps(value)


def test_a_submitted_form_cannot_change_what_ptv_maintains(synced):
    location = ServiceLocation.objects.get(page=synced, ptv_id=CHANNEL)

    form = location_form(location, address="Väärä katu 9", city="TURKU", phone="09 555")

    assert form.is_valid(), form.errors
    saved = form.save(commit=False)
    assert (saved.address, saved.city) == ("Mankkaantie 2", "ESPOO")
    # The phone is not in PTV: it stays the editors'.
    assert saved.phone == "09 555"


def test_a_location_typed_by_hand_stays_editable(synced):
    location = ServiceLocation.objects.get(page=synced, name="Käsin")

    form = location_form(location, address="Uusi katu 2", city="Vantaa")

    assert form.is_valid(), form.errors
    saved = form.save(commit=False)
    assert (saved.address, saved.city) == ("Uusi katu 2", "Vantaa")


def test_unlinking_a_location_gives_its_fields_back_to_the_editors(synced):
    location = ServiceLocation.objects.get(page=synced, ptv_id=CHANNEL)
    location.ptv_id = ""

    form = location_form(location, address="Uusi katu 2")

    assert form.is_valid(), form.errors
    assert form.save(commit=False).address == "Uusi katu 2"


def test_the_editor_shows_maintained_fields_read_only_with_a_link_to_ptv(synced, admin_client):
    html = admin_client.get(f"/admin/pages/{synced.pk}/edit/").content.decode()

    assert "Ylläpidetään lähteessä PTV" in html
    assert f"https://palvelutietovaranto.suomi.fi/channels/serviceLocation/{CHANNEL}" in html
    assert "Mankkaantie 2" in html
    # The typed-by-hand location's address is an input an editor can change.
    assert 'value="Kotikatu 1"' in html
    assert 'value="Mankkaantie 2"' not in html


def test_saving_the_service_editor_with_forged_values_keeps_what_ptv_maintains(
    synced, admin_client
):
    url = f"/admin/pages/{synced.pk}/edit/"
    data = querydict_from_html(admin_client.get(url).content.decode(), form_id="page-edit-form")
    index = next(
        key.split("-")[1] for key, value in data.items() if key.endswith("-ptv_id") and value
    )
    # The read-only fields are not in the form; a forged request sends them anyway.
    data[f"locations-{index}-address"] = "Väärä katu 9"
    data[f"locations-{index}-city"] = "TURKU"
    data[f"locations-{index}-phone"] = "09 555"

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[-2000:]
    draft = ServicePage.objects.get(pk=synced.pk).get_latest_revision_as_object()
    location = draft.locations.get(ptv_id=CHANNEL)
    assert (location.address, location.city) == ("Mankkaantie 2", "ESPOO")
    assert location.phone == "09 555"


def test_an_editor_adds_a_location_by_hand_without_opening_hours(small_catalogue, admin_client):
    page = service("work-trial")
    url = f"/admin/pages/{page.pk}/edit/"
    data = querydict_from_html(admin_client.get(url).content.decode(), form_id="page-edit-form")
    index = int(data["locations-TOTAL_FORMS"])
    data["locations-TOTAL_FORMS"] = str(index + 1)
    data.update(
        {
            f"locations-{index}-name": "Uusi toimipiste",
            f"locations-{index}-address": "Kotikatu 1",
            f"locations-{index}-ORDER": str(index + 1),
            f"locations-{index}-DELETE": "",
            f"locations-{index}-id": "",
            f"locations-{index}-opening_hours": "",
            "action-publish": "1",
        }
    )

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[-2000:]
    added = ServiceLocation.objects.get(page=page, name="Uusi toimipiste")
    assert (added.address, added.opening_hours, added.source_fields) == ("Kotikatu 1", [], {})

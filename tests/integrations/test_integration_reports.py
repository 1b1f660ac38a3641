"""Reports → Integraatiot (each interface's health) and Reports → Mittarit (the plan's figures)."""

import csv
import io
import re

import pytest
from integration_data import ORGANISATION_GUID, add_location, link_organisation, service
from ptv_export_data import exporting_organisation, mark, publish_service

from integrations import ptv_sync
from integrations.ptv_export.run import export

pytestmark = pytest.mark.django_db

CHANNEL = "2f2b7a4e-6c1d-4a8e-9a51-3c6f0b0d1a01"


@pytest.fixture
def producer_client(client, role_user, site_tree):
    client.force_login(role_user("producer", area_code="091"))
    return client


@pytest.fixture
def linked(small_catalogue, ptv, ptv_channel):
    ptv.add(ORGANISATION_GUID, ptv_channel)
    link_organisation("helsinki")
    page = add_location(service("work-trial"), ptv_id=CHANNEL, name="PTV:n toimipiste")
    add_location(page, name="Käsin kirjoitettu")
    return page


def test_a_producer_sees_a_failing_ptv_fetch_with_its_error(linked, ptv, producer_client):
    ptv.failures = ["timeout"]
    ptv_sync.run()

    html = producer_client.get("/admin/reports/integrations/").content.decode()

    assert "/admin/reports/integrations/" in producer_client.get("/admin/").content.decode()
    assert "PTV-haku" in html
    assert "Käytössä" in html
    assert "epäonnistui" in html
    assert "no answer" in html
    assert "Ei yhtään onnistunutta ajoa." in html
    # The map source has no address here: it is off.
    assert "Ei käytössä (osoitetta ei ole asetettu)" in html


def test_a_successful_run_shows_its_counts(linked, producer_client):
    ptv_sync.run()

    html = producer_client.get("/admin/reports/integrations/").content.decode()

    assert "onnistui" in html
    assert "<td>1</td>" in html  # one channel fetched


def test_a_provider_editor_gets_neither_report(small_catalogue, client, role_user):
    client.force_login(role_user("provider-editor", organisation_key="helsinki"))

    # Wagtail turns the refusal into a redirect to the dashboard with a message.
    for url in ("/admin/reports/integrations/", "/admin/reports/kpi/?export=csv"):
        response = client.get(url)
        assert (response.status_code, response.url) == (302, "/admin/"), url
    assert "/admin/reports/integrations/" not in client.get("/admin/").content.decode()


def test_the_share_of_locations_from_interfaces_is_reported_and_downloadable(
    linked, producer_client
):
    ptv_sync.run()

    html = producer_client.get("/admin/reports/kpi/").content.decode()
    assert "Toimipisteet, joiden tiedot tulevat rajapinnoista" in html
    assert "50.0 %" in html or "50,0 %" in html

    response = producer_client.get("/admin/reports/kpi/?export=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][1:] == ["Tunniste", "Mittari", "Määrä", "Kaikkiaan", "Osuus %", "Tavoite"]
    assert rows[1][1:] == [
        "locations_from_interfaces",
        "Toimipisteet, joiden tiedot tulevat rajapinnoista",
        "1",
        "2",
        "50.0",
        "80 %",
    ]


def test_locations_of_services_that_are_not_live_do_not_count(linked, producer_client):
    ptv_sync.run()
    linked.unpublish()

    response = producer_client.get("/admin/reports/kpi/?export=csv")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][3:6] == ["0", "0", ""]


@pytest.fixture
def exports(site_tree, ptv_export_client):
    """One service exported to PTV, one refused before sending, one live but never marked."""
    organisation = exporting_organisation()
    exported = publish_service(organisation)
    refused = publish_service(organisation, key="long", title="Pitkä kuvaus", summary="x" * 151)
    publish_service(organisation, key="career", title="Uravalmennus")
    for page in (exported, refused):
        mark(page)
    export(client=ptv_export_client)


def test_the_services_exported_to_ptv_and_those_never_exported_are_reported_and_downloadable(
    exports, producer_client
):
    html = producer_client.get("/admin/reports/kpi/").content.decode()
    assert "PTV:hen viedyt palvelut" in html
    assert "vähintään 40 kunnan palvelua" in html
    assert "Julkaistut palvelut, joita ei ole koskaan viety PTV:hen" in html

    response = producer_client.get("/admin/reports/kpi/?export=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[1:] for row in rows[2:]] == [
        [
            "services_exported_to_ptv",
            "PTV:hen viedyt palvelut",
            "1",
            "",
            "",
            "vähintään 40 kunnan palvelua",
        ],
        [
            "services_never_exported_to_ptv",
            "Julkaistut palvelut, joita ei ole koskaan viety PTV:hen",
            "2",  # the refused one and the one never marked
            "",
            "",
            "",
        ],
    ]


def test_a_producer_sees_the_ptv_export_with_its_outcomes_and_the_refused_services_message(
    exports, producer_client, settings
):
    settings.PTV_EXPORT_TOKEN = ""
    settings.PTV_EXPORT_TOKEN_URL = ""

    html = producer_client.get("/admin/reports/integrations/").content.decode()

    assert "PTV-vienti" in html
    assert "Ei käytössä (PTV-viennin tunnusta ei ole asetettu)" in html
    assert "manage.py ptv_export" in html
    assert "Viimeisin vienti" in html
    marked_ok_rejected_failed = "<td>2</td><td>1</td><td>1</td><td>0</td>"
    assert marked_ok_rejected_failed in re.sub(r">\s+<", "><", html)
    assert "Pitkä kuvaus" in html
    assert "hylätty" in html
    assert "summary (fi) is 151 characters; PTV allows at most 150" in html
    assert "Uravalmennus" not in html  # never marked: not the export's business here


def test_the_ptv_export_is_on_once_it_has_a_token(exports, producer_client, settings):
    settings.PTV_EXPORT_TOKEN = "a-token"

    html = producer_client.get("/admin/reports/integrations/").content.decode()

    assert "Ei käytössä (PTV-viennin tunnusta ei ole asetettu)" not in html

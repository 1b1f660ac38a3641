"""Exporting services to PTV: against a stand-in PTV on 127.0.0.1, through the real client."""

import io
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from ptv_export_data import ORG_GUID, OTHER_GUID, exporting_organisation, mark, publish_service
from ptv_export_standin import PASSWORD, TOKEN, USERNAME
from wagtail.models import Locale, PageViewRestriction

from catalogue.models import ServicePage
from integrations.models import PtvServiceExport
from integrations.ptv_export import figures
from integrations.ptv_export.client import PtvClient
from integrations.ptv_export.mapping import MappingError, build_payload, markdown
from integrations.ptv_export.preview import preview
from integrations.ptv_export.run import Action, export

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation(site_tree):
    return exporting_organisation()


def translate(service, code, title, summary):
    locale = Locale.objects.get(language_code=code)
    organisation = service.get_parent().specific
    if not organisation.get_translations().filter(locale=locale).exists():
        # The organisation's groups belong to its Finnish page only.
        organisation.copy_for_translation(
            locale, copy_parents=True, exclude_fields=["admin_group", "editor_group"]
        ).save_revision().publish()
    translation = service.copy_for_translation(locale)
    translation.title, translation.summary = title, summary
    translation.save_revision().publish()
    return translation


# --- The mapping ---------------------------------------------------------------------------


def test_the_payload_carries_every_field_ptv_requires_within_its_limits(organisation):
    service = publish_service(organisation)
    translate(service, "sv", "Arbetsprövning", "Pröva en bransch innan du binder dig.")
    payload = build_payload(mark(service))

    # Required by V9VmOpenApiServiceIn.
    for name in (
        "type",
        "fundingType",
        "serviceNames",
        "areaType",
        "serviceDescriptions",
        "languages",
        "serviceProducers",
        "publishingStatus",
        "mainResponsibleOrganization",
    ):
        assert payload[name], name
    assert payload["type"] in ("Service", "PermitOrObligation", "ProfessionalQualification")
    assert payload["fundingType"] in ("PubliclyFunded", "MarketFunded")
    assert payload["publishingStatus"] in ("Draft", "Published")
    assert payload["areaType"] == "LimitedType"
    assert payload["areas"] == [{"type": "Municipality", "areaCodes": ["049", "091"]}]
    assert all(re.match(r"^[0-9]{1,3}$", code) for code in payload["areas"][0]["areaCodes"])
    assert payload["languages"] == ["fi", "sv"]
    assert payload["mainResponsibleOrganization"] == ORG_GUID
    assert payload["serviceProducers"] == [
        {"provisionType": "SelfProducedServices", "organizations": [ORG_GUID]}
    ]
    assert re.match(r"^[A-Za-z0-9-.]*$", payload["sourceId"])
    # Both public languages travel together, each with a Name, a Summary and a Description.
    names = {(item["language"], item["type"]): item["value"] for item in payload["serviceNames"]}
    assert names == {("fi", "Name"): "Työkokeilu", ("sv", "Name"): "Arbetsprövning"}
    kinds = {(item["language"], item["type"]) for item in payload["serviceDescriptions"]}
    assert {("fi", "Summary"), ("fi", "Description"), ("sv", "Summary")} <= kinds
    limits = {"Summary": 150, "Description": 2500, "UserInstruction": 2500}
    assert all(
        len(item["value"]) <= limits[item["type"]] for item in payload["serviceDescriptions"]
    )
    assert all(len(item["value"]) <= 100 for item in payload["serviceNames"])
    # Classifications are the terms' national URIs, each in the PTV list whose pattern it fits.
    assert payload["serviceClasses"] == ["http://uri.suomi.fi/codelist/ptv/ptvserclass2/code/P10.1"]
    assert payload["targetGroups"] == ["http://uri.suomi.fi/codelist/ptv/ptvkohderyhmat/code/KR1"]


def test_rich_text_becomes_ptv_markdown_with_links_as_text():
    text = markdown(
        "<p>Ensimmäinen <b>kappale</b>.</p><p>Toinen &amp; viimeinen.</p>"
        "<ol><li>yksi</li><li>kaksi</li></ol>"
        '<ul><li><a href="https://example.org/hae">Hae tästä</a></li></ul>'
    )

    assert text == (
        "Ensimmäinen kappale.\n\nToinen & viimeinen.\n\n1. yksi\n2. kaksi\n\n"
        "- Hae tästä (https://example.org/hae)"
    )


def test_a_summary_over_150_characters_is_not_sent_and_the_error_names_service_and_field(
    organisation, ptv_export_server, ptv_export_client
):
    service = publish_service(organisation, summary="x" * 151)
    record = mark(service)

    with pytest.raises(MappingError) as raised:
        build_payload(record)
    assert "Työkokeilu (work-trial)" in str(raised.value)
    assert "summary (fi) is 151 characters; PTV allows at most 150" in str(raised.value)

    [result] = export(client=ptv_export_client)
    assert result.action == Action.INVALID
    assert ptv_export_server.writes() == []
    record.refresh_from_db()
    assert record.outcome == PtvServiceExport.Outcome.REJECTED
    assert "summary (fi)" in record.message


def test_an_organisation_without_a_ptv_id_stops_its_services(
    organisation, ptv_export_server, ptv_export_client
):
    organisation.ptv_id = ""
    organisation.save_revision().publish()
    record = mark(publish_service(organisation))

    [result] = export(client=ptv_export_client)

    assert result.action == Action.INVALID
    assert "organisation 'Helsingin työllisyyspalvelut' has no PTV id" in result.message
    assert ptv_export_server.writes() == []
    record.refresh_from_db()
    assert (record.ptv_id, record.sent_payload) == ("", None)


# --- Sending ------------------------------------------------------------------------------


def test_a_new_service_is_posted_and_its_ptv_id_recorded(
    organisation, ptv_export_server, ptv_export_client
):
    record = mark(publish_service(organisation))

    [result] = export(client=ptv_export_client)

    assert result.action == Action.CREATED
    assert ptv_export_server.writes() == [("POST", "/api/v11/Service")]
    [(ptv_id, stored)] = ptv_export_server.services.items()
    record.refresh_from_db()
    assert record.ptv_id == ptv_id
    assert record.outcome == PtvServiceExport.Outcome.OK
    assert record.exported_at is not None
    assert stored["sourceId"] == record.source_id


def test_the_token_is_fetched_from_the_sign_in_endpoint_when_not_given(
    organisation, ptv_export_server
):
    mark(publish_service(organisation))
    client = PtvClient(
        base_url=ptv_export_server.api_url,
        token="",
        token_url=ptv_export_server.token_url,
        username=USERNAME,
        password=PASSWORD,
        timeout=2,
    )

    [result] = export(client=client)

    assert result.action == Action.CREATED
    assert ptv_export_server.requests[0][1] == "/api/auth/api-login"


def test_a_changed_service_is_put_by_source_id(organisation, ptv_export_server, ptv_export_client):
    service = publish_service(organisation)
    record = mark(service)
    export(client=ptv_export_client)

    service.summary = "Kokeile uutta alaa palkatta ennen sitoutumista."
    service.save_revision().publish()
    [result] = export(client=ptv_export_client)

    assert result.action == Action.UPDATED
    assert ptv_export_server.writes()[-1] == (
        "PUT",
        f"/api/v11/Service/sourceId/{record.source_id}",
    )
    [stored] = ptv_export_server.services.values()
    summaries = [d["value"] for d in stored["serviceDescriptions"] if d["type"] == "Summary"]
    assert summaries == ["Kokeile uutta alaa palkatta ennen sitoutumista."]


def test_an_unchanged_service_is_not_sent_again(organisation, ptv_export_server, ptv_export_client):
    mark(publish_service(organisation))
    export(client=ptv_export_client)

    [result] = export(client=ptv_export_client)

    assert result.action == Action.UNCHANGED
    assert ptv_export_server.writes() == [("POST", "/api/v11/Service")]


def test_ptv_refusing_a_service_is_recorded_with_its_message_and_nothing_local_changes(
    organisation, ptv_export_server, ptv_export_client
):
    organisation.ptv_id = OTHER_GUID  # not an organisation this API user may write for
    organisation.save_revision().publish()
    service = publish_service(organisation)
    record = mark(service)
    revision = service.live_revision_id

    [result] = export(client=ptv_export_client)

    assert result.action == Action.REJECTED
    record.refresh_from_db()
    assert record.outcome == PtvServiceExport.Outcome.REJECTED
    assert f"Organization '{OTHER_GUID}' is not a valid user organization" in record.message
    assert record.message.startswith("HTTP 400: MainResponsibleOrganization:")
    assert (record.ptv_id, record.sent_payload, record.exported_at) == ("", None, None)
    service.refresh_from_db()
    assert (service.live_revision_id, service.summary) == (
        revision,
        "Kokeile alaa ennen kuin sitoudut.",
    )


def test_ptv_failing_with_500_is_recorded_and_the_last_good_export_kept(
    organisation, ptv_export_server, ptv_export_client
):
    service = publish_service(organisation)
    record = mark(service)
    export(client=ptv_export_client)
    record.refresh_from_db()
    sent = record.sent_payload
    service.summary = "Uusi lyhyt kuvaus työkokeilusta."
    service.save_revision().publish()
    ptv_export_server.scripted.append(("status", 500))

    [result] = export(client=ptv_export_client)

    assert result.action == Action.FAILED
    record.refresh_from_db()
    assert record.outcome == PtvServiceExport.Outcome.FAILED
    assert record.message == "HTTP 500: An error has occured on the server."
    assert record.sent_payload == sent  # the next run sends the change again
    [result] = export(client=ptv_export_client)
    assert result.action == Action.UPDATED


def test_ptv_not_answering_in_time_is_recorded_as_a_failure(organisation, ptv_export_server):
    record = mark(publish_service(organisation))
    ptv_export_server.scripted.append(("delay", 2))
    client = PtvClient(base_url=ptv_export_server.api_url, token=TOKEN, timeout=0.5)

    [result] = export(client=client)

    assert result.action == Action.FAILED
    record.refresh_from_db()
    assert record.outcome == PtvServiceExport.Outcome.FAILED
    assert record.message == "PTV did not answer within 0.5 s"
    assert record.ptv_id == ""


# --- Drafts and internal content ----------------------------------------------------------


def test_a_draft_change_to_a_live_service_sends_the_live_version(
    organisation, ptv_export_server, ptv_export_client
):
    service = publish_service(organisation)
    mark(service)
    service.summary = "LUONNOS: ei vielä julkaistu."
    service.save_revision()  # a draft, not published

    export(client=ptv_export_client)

    [stored] = ptv_export_server.services.values()
    summaries = [d["value"] for d in stored["serviceDescriptions"] if d["type"] == "Summary"]
    assert summaries == ["Kokeile alaa ennen kuin sitoudut."]


def test_a_never_published_service_is_not_sent(organisation, ptv_export_server, ptv_export_client):
    draft = organisation.add_child(
        instance=ServicePage(title="Luonnos", slug="draft", key="draft", summary="x", live=False)
    )
    draft.save_revision()
    mark(draft)

    [result] = export(client=ptv_export_client)

    assert result.action == Action.NOT_PUBLIC
    assert ptv_export_server.writes() == []


def test_a_service_behind_a_view_restriction_is_not_sent(
    organisation, ptv_export_server, ptv_export_client
):
    service = publish_service(organisation)
    PageViewRestriction.objects.create(page=service, restriction_type=PageViewRestriction.LOGIN)
    mark(service)

    [result] = export(client=ptv_export_client)

    assert result.action == Action.NOT_PUBLIC
    assert ptv_export_server.writes() == []


def test_a_restricted_translation_stays_out_of_the_payload(organisation):
    service = publish_service(organisation)
    swedish = translate(service, "sv", "Arbetsprövning", "Pröva en bransch innan du binder dig.")
    PageViewRestriction.objects.create(page=swedish, restriction_type=PageViewRestriction.LOGIN)

    payload = build_payload(mark(service))

    assert {item["language"] for item in payload["serviceNames"]} == {"fi"}


# --- Dry run, preview, the command --------------------------------------------------------


def test_dry_run_sends_and_records_nothing(organisation, ptv_export_server, ptv_export_client):
    record = mark(publish_service(organisation))

    [result] = export(dry_run=True, client=ptv_export_client)

    assert result.action == Action.WOULD_CREATE
    assert result.payload["sourceId"] == record.source_id
    assert ptv_export_server.requests == []
    record.refresh_from_db()
    assert (record.outcome, record.ptv_id, record.attempted_at) == ("", "", None)


def test_the_command_lists_failures_with_ptvs_message(organisation, ptv_export_server, settings):
    organisation.ptv_id = OTHER_GUID
    organisation.save_revision().publish()
    mark(publish_service(organisation))
    settings.PTV_EXPORT_API_URL = ptv_export_server.api_url
    settings.PTV_EXPORT_TOKEN = TOKEN
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(SystemExit):
        call_command("ptv_export", stdout=out, stderr=err)

    assert "Työkokeilu: rejected: HTTP 400: MainResponsibleOrganization:" in err.getvalue()


def test_the_command_dry_run_shows_the_body_and_sends_nothing(
    organisation, ptv_export_server, settings
):
    mark(publish_service(organisation))
    settings.PTV_EXPORT_API_URL = ptv_export_server.api_url
    settings.PTV_EXPORT_TOKEN = ""
    out = io.StringIO()

    call_command("ptv_export", "--dry-run", stdout=out)

    assert "would create  Työkokeilu" in out.getvalue()
    assert '"mainResponsibleOrganization": "' + ORG_GUID in out.getvalue()
    assert ptv_export_server.requests == []


def test_the_preview_shows_which_fields_differ_from_ptv(
    organisation, ptv_export_server, ptv_export_client, settings
):
    service = publish_service(organisation)
    record = mark(service)
    export(client=ptv_export_client)
    service.title = "Työkokeilu nuorille"
    service.save_revision().publish()
    record.refresh_from_db()

    shown = preview(record, ptv_export_client)

    assert shown.in_ptv
    assert shown.changed_fields == ["serviceNames"]
    settings.PTV_EXPORT_API_URL = ptv_export_server.api_url
    out = io.StringIO()
    call_command("ptv_export", "--preview", "work-trial", stdout=out)
    assert "Changed: serviceNames" in out.getvalue()
    assert json.loads(out.getvalue().split("\nChanged")[0])["sourceId"] == record.source_id


# --- The admin ----------------------------------------------------------------------------


def test_an_administrator_marks_a_service_and_sees_the_preview(
    organisation, role_user, client, ptv_export_server, settings
):
    service = publish_service(organisation)
    settings.PTV_EXPORT_API_URL = ptv_export_server.api_url
    client.force_login(role_user("administrator"))

    response = client.post(reverse("ptv_exports:add"), {"page": service.pk, "enabled": "on"})

    assert response.status_code == 302
    record = PtvServiceExport.objects.get()
    assert record.page_id == service.pk
    page = client.get(reverse("ptv_export_preview:preview", args=[record.pk])).content.decode()
    assert "mainResponsibleOrganization" in page
    assert "Palvelu ei ole vielä PTV:ssä" in page


@pytest.mark.parametrize(
    "role, options",
    [("provider-editor", {"organisation_key": "helsinki"}), ("producer", {"area_code": "091"})],
)
def test_only_administrators_mark_or_preview_services(
    organisation, role_user, client, role, options
):
    service = publish_service(organisation)
    record = mark(service)
    client.force_login(role_user(role, **options))

    listing = client.get(reverse("ptv_exports:index"))
    adding = client.post(reverse("ptv_exports:add"), {"page": service.pk, "enabled": "on"})
    previewing = client.get(reverse("ptv_export_preview:preview", args=[record.pk]))

    assert listing.status_code in (302, 403)
    assert adding.status_code in (302, 403)
    assert previewing.status_code in (302, 403)
    assert PtvServiceExport.objects.count() == 1


def test_a_translation_cannot_be_marked_on_its_own(organisation, role_user, client):
    service = publish_service(organisation)
    swedish = translate(service, "sv", "Arbetsprövning", "Pröva en bransch innan du binder dig.")
    client.force_login(role_user("administrator"))

    response = client.post(reverse("ptv_exports:add"), {"page": swedish.pk, "enabled": "on"})

    assert response.status_code == 200
    assert "suomenkielinen palvelu" in response.content.decode()
    assert not PtvServiceExport.objects.exists()


def test_the_listing_shows_each_services_outcome_and_ptvs_message(
    organisation, role_user, client, ptv_export_client
):
    organisation.ptv_id = OTHER_GUID
    organisation.save_revision().publish()
    mark(publish_service(organisation))
    export(client=ptv_export_client)
    client.force_login(role_user("administrator"))

    listing = client.get(reverse("ptv_exports:index")).content.decode()

    assert "Työkokeilu" in listing
    assert "hylätty" in listing
    assert "is not a valid user organization" in listing


# --- The KPI figures ----------------------------------------------------------------------


def test_figures_count_exported_services_and_public_ones_never_exported(
    organisation, ptv_export_client
):
    exported = publish_service(organisation)
    publish_service(organisation, key="career", title="Uravalmennus")
    refused = publish_service(organisation, key="long", title="Pitkä", summary="x" * 200)
    for service in (exported, refused):
        mark(service)

    export(client=ptv_export_client)

    assert figures().exported == 1
    assert figures().never_exported == 2  # Uravalmennus (never marked) and the refused one

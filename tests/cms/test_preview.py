"""Editors preview drafts (cms.preview): on the frontend through a token, or in Wagtail.

With FRONTEND_PREVIEW_URL set, the admin's preview shows the frontend with a
``token`` that opens exactly the previewed draft through
``page(token:, contentType:)`` for an hour, to whoever holds it; what the
draft leads to still follows the visibility rule. Without it, the preview
panel renders the built-in templates.
"""

import html
import json
import re
import time
from dataclasses import dataclass
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.test import Client, override_settings
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.test.utils.form_data import querydict_from_html

from cms.preview import INVALID_TOKEN

FRONTEND = "https://palvelumanuaali.example/esikatselu"

PREVIEW = """query ($token: String, $contentType: String) {
  page(token: $token, contentType: $contentType) {
    id title
    parent { title }
    ... on ServicePage { summary }
    ... on ProcessInstructionPage {
      guidance
      service { title }
      attachments { document { title } }
    }
  }
}"""
BY_ID = "query ($id: ID, $token: String) { page(id: $id, token: $token) { id title } }"


@dataclass
class Content:
    organisation: object
    service: object
    draft_service: object
    instruction: object


@pytest.fixture
def content(site_tree):
    from catalogue.models import OrganisationPage, ServicePage
    from guides.models import InstructionAttachment, ProcessInstructionPage

    organisation = site_tree.catalogue.add_child(
        instance=OrganisationPage(title="Kela", key="kela", slug="kela", kind="kela")
    )
    service = organisation.add_child(
        instance=ServicePage(
            title="Työkokeilu", key="work-trial", slug="tyokokeilu", responsible_email="v@x.fi"
        )
    )
    service.save_revision().publish()
    service.title = "Työkokeilu (luonnos)"
    service.save_revision()
    draft_service = organisation.add_child(
        instance=ServicePage(title="Keskeneräinen", key="unfinished", slug="kesken", live=False)
    )
    internal_document = get_document_model().objects.create(
        title="Sisäinen muistio",
        file=ContentFile(b"%PDF-1.4", name="muistio.pdf"),
        collection=site_tree.internal_attachments,
    )
    instruction = site_tree.area_pages["091"].add_child(
        instance=ProcessInstructionPage(
            title="Työkokeilun ohjaus",
            key="work-trial-guidance",
            slug="tyokokeilun-ohjaus",
            service=service,
            guidance="<p>Ohjaa asiakas työkokeiluun.</p>",
            attachments=[InstructionAttachment(document=internal_document)],
        )
    )
    return Content(organisation, service, draft_service, instruction)


@pytest.fixture
def provider_editor(content, role_user):
    client = Client()
    client.force_login(role_user("provider-editor", organisation_key="kela"))
    return client


@pytest.fixture
def producer(content, role_user):
    client = Client()
    client.force_login(role_user("producer", area_code="091"))
    return client


def _admin_preview(client, page, **changes):
    """Post the edit form, changed but unsaved, to the preview view and load the preview."""
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert edit.status_code == 200
    data = querydict_from_html(edit.content.decode(), form_id="page-edit-form")
    for name, value in changes.items():
        data[name] = value  # replaces; QueryDict.update would append
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    assert client.post(preview_url, data).json() == {"is_valid": True, "is_available": True}
    return client.get(preview_url, {"in_preview_panel": "true"})


def _frontend_link(response):
    """The frontend URL the preview panel frames, as query parameters."""
    assert response.status_code == 200
    src = html.unescape(re.search(r'<iframe src="([^"]+)"', response.content.decode())[1])
    url = urlsplit(src)
    assert f"{url.scheme}://{url.netloc}{url.path}" == FRONTEND
    return {name: values[0] for name, values in parse_qs(url.query).items()}


def _ask(query, **variables):
    """An anonymous GraphQL request, as a server-side frontend makes it."""
    response = Client().post(
        "/graphql/",
        data=json.dumps({"query": query, "variables": variables}),
        content_type="application/json",
    )
    return response.json()


@pytest.fixture
def service_link(content, provider_editor):
    with override_settings(FRONTEND_PREVIEW_URL=FRONTEND):
        response = _admin_preview(provider_editor, content.service, summary="Kokeile työtä.")
    return _frontend_link(response)


# --- With a frontend ----------------------------------------------------------------


def test_the_admin_preview_frames_the_frontend_with_a_token(service_link):
    assert service_link["content_type"] == "catalogue.servicepage"
    assert service_link["token"]


def test_the_token_gives_the_frontend_the_draft_with_unsaved_changes(service_link, content):
    body = _ask(PREVIEW, token=service_link["token"], contentType=service_link["content_type"])
    assert "errors" not in body, body["errors"]
    assert body["data"]["page"] == {
        "id": str(content.service.pk),
        "title": "Työkokeilu (luonnos)",
        "parent": {"title": "Kela"},
        "summary": "Kokeile työtä.",
    }


def test_grapples_content_type_notation_is_accepted_too(service_link):
    body = _ask(PREVIEW, token=service_link["token"], contentType="catalogue.ServicePage")
    assert body["data"]["page"]["title"] == "Työkokeilu (luonnos)"


def test_the_live_page_still_shows_the_published_title(service_link, content):
    body = _ask(BY_ID, id=content.service.pk)
    assert body["data"]["page"]["title"] == "Työkokeilu"


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda token: token.rsplit(":", 1)[0] + ":forged", id="forged signature"),
        pytest.param(lambda token: token.replace("id=", "id=1", 1), id="another page's id"),
        pytest.param(lambda token: "not-a-token", id="made up"),
    ],
)
def test_a_wrong_token_is_an_error(service_link, spoil):
    body = _ask(PREVIEW, token=spoil(service_link["token"]))
    assert body["data"]["page"] is None
    assert [error["message"] for error in body["errors"]] == [INVALID_TOKEN]


def test_a_token_asked_for_as_another_content_type_is_an_error(service_link):
    body = _ask(PREVIEW, token=service_link["token"], contentType="guides.GuidePage")
    assert body["data"]["page"] is None
    assert [error["message"] for error in body["errors"]] == [INVALID_TOKEN]


def test_a_token_expires_after_an_hour(service_link):
    an_hour_later = time.time() + 60 * 60 + 1
    with mock.patch("django.core.signing.time.time", return_value=an_hour_later):
        body = _ask(PREVIEW, token=service_link["token"])
    assert [error["message"] for error in body["errors"]] == [INVALID_TOKEN]
    assert "errors" not in _ask(PREVIEW, token=service_link["token"])


def test_a_token_does_not_unlock_any_other_page(service_link, content):
    token = service_link["token"]
    assert _ask(BY_ID, id=content.draft_service.pk, token=token)["data"]["page"] is None
    assert _ask(BY_ID, id=content.draft_service.pk)["data"]["page"] is None
    assert _ask(BY_ID, id=content.instruction.pk, token=token)["data"]["page"] is None
    assert _ask(BY_ID, id=content.service.pk, token=token)["data"]["page"]["title"] == (
        "Työkokeilu (luonnos)"
    )


def test_a_producer_previews_an_instruction_and_its_token_opens_it(producer, content):
    with override_settings(FRONTEND_PREVIEW_URL=FRONTEND):
        link = _frontend_link(_admin_preview(producer, content.instruction, title="Uusi ohjaus"))
    assert link["content_type"] == "guides.processinstructionpage"
    body = _ask(PREVIEW, token=link["token"], contentType=link["content_type"])
    assert "errors" not in body, body["errors"]
    page = body["data"]["page"]
    assert page["title"] == "Uusi ohjaus"
    assert "Ohjaa asiakas työkokeiluun." in page["guidance"]
    # What the draft leads to follows the rule for the (anonymous) caller: the
    # public service is delivered, the restricted parent and document are not.
    assert page["service"] == {"title": "Työkokeilu"}
    assert page["parent"] is None
    assert page["attachments"] == [{"document": None}]
    assert _ask(BY_ID, id=content.instruction.pk)["data"]["page"] is None


def test_a_new_page_can_be_previewed_before_it_is_first_saved(provider_editor, content):
    add_args = ["catalogue", "servicepage", content.organisation.pk]
    add = provider_editor.get(reverse("wagtailadmin_pages:add", args=add_args))
    data = querydict_from_html(add.content.decode(), form_id="page-edit-form")
    data["title"], data["slug"], data["key"] = "Uusi palvelu", "uusi-palvelu", "new-service"
    preview_url = reverse("wagtailadmin_pages:preview_on_add", args=add_args)
    assert provider_editor.post(preview_url, data).json()["is_available"]
    with override_settings(FRONTEND_PREVIEW_URL=FRONTEND):
        link = _frontend_link(provider_editor.get(preview_url))
    page = _ask(PREVIEW, token=link["token"], contentType=link["content_type"])["data"]["page"]
    assert page["id"] is None
    assert page["title"] == "Uusi palvelu"
    assert page["parent"] == {"title": "Kela"}


# --- Without a frontend -------------------------------------------------------------


@override_settings(FRONTEND_PREVIEW_URL=None)
def test_without_a_frontend_the_preview_panel_renders_the_draft(provider_editor, content):
    response = _admin_preview(provider_editor, content.service, summary="Kokeile työtä.")
    assert response.status_code == 200
    assert response.templates[0].name == "catalogue/preview/service_page.html"
    page = response.content.decode()
    assert "Työkokeilu (luonnos)" in page
    assert "Kokeile työtä." in page
    assert "Kohderyhmä" in page


@override_settings(FRONTEND_PREVIEW_URL=None)
def test_without_a_frontend_an_instruction_preview_shows_its_text(producer, content):
    response = _admin_preview(producer, content.instruction)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ohjaa asiakas työkokeiluun." in page
    assert "Sisäinen muistio" in page


@override_settings(FRONTEND_PREVIEW_URL=None)
def test_without_a_frontend_other_page_types_get_the_generic_preview(content, role_user):
    client = Client()
    client.force_login(role_user("administrator"))
    response = _admin_preview(client, content.organisation, title="Kela (uusi nimi)")
    assert response.status_code == 200
    assert response.templates[0].name == "preview/page.html"
    assert "Kela (uusi nimi)" in response.content.decode()


@override_settings(FRONTEND_PREVIEW_URL=None)
def test_the_built_in_preview_keeps_to_the_sites_strict_content_security_policy(
    provider_editor, content
):
    # The preview shows editors' content inside the admin, but without the admin's
    # allowances for inline script and style (cms.security_headers.site_policy_only).
    response = _admin_preview(provider_editor, content.service, summary="Kokeile työtä.")

    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy + ";"
    assert "'unsafe-inline'" not in policy

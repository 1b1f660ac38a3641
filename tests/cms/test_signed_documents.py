"""Signed download links for restricted attachments (cms.signed_documents).

An expert's frontend asks the API with its bearer token and gets, for each
internal attachment, a short-lived ``downloadUrl`` that the expert's browser
opens without any session. The link names its user and document, expires,
cannot be altered, and opens nothing its user may no longer see.
"""

import json
import time
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.test import Client, RequestFactory
from wagtail.documents import get_document_model
from wagtail.models import APIToken, Collection

from cms import signed_documents

pytestmark = pytest.mark.django_db

QUERY = "query($id: ID) { document(id: $id) { id title url downloadUrl } }"


@pytest.fixture
def documents(site_tree, settings, tmp_path):
    # Files on disk, as the site keeps them: Wagtail serves a file by its path when
    # the storage has one, and the test settings' in-memory storage has none on disk.
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    model = get_document_model()

    def create(title, collection):
        return model.objects.create(
            title=title,
            file=ContentFile(f"{title} sisältö".encode(), name=f"{title}.txt"),
            collection=Collection.objects.get(name=collection),
        )

    return {
        "internal": create("Prosessikaavio", "Sisäiset liitteet"),
        "public": create("Hakulomake", "Liitteet"),
    }


@pytest.fixture
def expert(role_user):
    return role_user("expert")


def ask(document, token=None, client=None):
    """The document field as a frontend asks for it, with a bearer token or anonymously."""
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    response = (client or Client()).post(
        "/graphql/",
        data=json.dumps({"query": QUERY, "variables": {"id": document.pk}}),
        content_type="application/json",
        **headers,
    )
    body = response.json()
    assert "errors" not in body, body
    return body["data"]["document"]


def bearer(user):
    return APIToken.create_token(user=user, name="expert frontend")[1]


def download(url):
    """Open a link as a browser without any session does."""
    return Client().get(url.removeprefix("http://testserver"))


def test_an_experts_frontend_gets_a_link_the_browser_opens_without_a_session(documents, expert):
    internal = documents["internal"]

    link = ask(internal, token=bearer(expert))["downloadUrl"]
    response = download(link)

    assert link.startswith("http://testserver/documents/signed/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == "Prosessikaavio sisältö".encode()
    assert "Prosessikaavio.txt" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    # Wagtail's own document serving, with its header against inline execution.
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_the_ordinary_url_of_an_internal_attachment_still_asks_for_a_sign_in(documents, expert):
    url = ask(documents["internal"], token=bearer(expert))["url"]

    assert download(url).status_code == 302  # to the admin login: why downloadUrl exists


def test_a_public_attachment_keeps_its_ordinary_url_for_everyone(documents, expert):
    public = documents["public"]

    anonymous = ask(public)
    signed_in = ask(public, token=bearer(expert))

    assert anonymous["downloadUrl"] == signed_in["downloadUrl"] == f"http://testserver{public.url}"
    assert download(anonymous["downloadUrl"]).status_code == 200


def test_anonymous_callers_get_no_link_to_a_restricted_attachment(documents):
    request = RequestFactory().get("/graphql/")
    request.user = mock.Mock(is_authenticated=False)

    assert ask(documents["internal"]) is None  # the visibility rule hides the document itself
    assert signed_documents.download_url(request, documents["internal"]) is None


def test_a_link_expires(documents, expert, settings):
    link = ask(documents["internal"], token=bearer(expert))["downloadUrl"]

    later = time.time() + settings.SIGNED_DOCUMENT_URL_MAX_AGE + 1
    with mock.patch("time.time", return_value=later):
        response = download(link)

    assert response.status_code == 403
    assert response.content.decode() == signed_documents.EXPIRED


def test_a_link_is_valid_for_its_whole_lifetime(documents, expert, settings):
    link = ask(documents["internal"], token=bearer(expert))["downloadUrl"]

    almost = time.time() + settings.SIGNED_DOCUMENT_URL_MAX_AGE - 5
    with mock.patch("time.time", return_value=almost):
        assert download(link).status_code == 200


def test_a_tampered_link_is_refused(documents, expert):
    link = ask(documents["internal"], token=bearer(expert))["downloadUrl"]
    token = link.rstrip("/").rsplit("/", 1)[1]
    payload, _, signature = token.partition(":")
    flipped = payload[:-1] + ("A" if payload[-1] != "A" else "B")

    for forged in (f"{flipped}:{signature}", token[:-1] + ("x" if token[-1] != "x" else "y")):
        response = download(f"/documents/signed/{forged}/")
        assert response.status_code == 403
        assert response.content.decode() == signed_documents.INVALID


def test_a_link_made_for_another_document_does_not_open_this_one(documents, expert):
    public_token = signed_documents.make_token(expert, documents["public"])

    response = download(f"/documents/signed/{public_token}/")

    assert b"".join(response.streaming_content) == "Hakulomake sisältö".encode()


def test_a_link_for_a_user_who_may_not_see_the_document_is_refused(documents, role_user):
    # A signed-in user outside the groups of the internal collection's restriction.
    translator = role_user("translator")
    token = signed_documents.make_token(translator, documents["internal"])

    response = download(f"/documents/signed/{token}/")

    assert response.status_code == 403
    assert response.content.decode() == signed_documents.FORBIDDEN


def test_a_link_stops_working_when_its_user_loses_access(documents, expert):
    link = ask(documents["internal"], token=bearer(expert))["downloadUrl"]

    expert.groups.remove(*Group.objects.filter(user=expert))
    assert download(link).status_code == 403


def test_a_link_stops_working_when_its_user_is_deactivated(documents, expert):
    link = ask(documents["internal"], token=bearer(expert))["downloadUrl"]

    expert.is_active = False
    expert.save()

    assert download(link).status_code == 403


def test_a_link_to_a_deleted_document_is_not_found(documents, expert):
    link = ask(documents["internal"], token=bearer(expert))["downloadUrl"]

    documents["internal"].delete()

    assert download(link).status_code == 404


def test_the_storage_serves_the_file_when_documents_are_served_by_redirect(
    documents, expert, settings
):
    settings.WAGTAILDOCS_SERVE_METHOD = "redirect"
    internal = documents["internal"]

    response = download(ask(internal, token=bearer(expert))["downloadUrl"])

    assert response.status_code == 302
    assert response["Location"] == internal.file.url

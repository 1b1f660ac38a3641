"""A service's identifiers in Työmarkkinatori: kept by producers, delivered as links."""

from html.parser import HTMLParser

import pytest
from open_data_catalogue import TYOMARKKINATORI_ID
from wagtail.models import Locale
from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.operations import TranslationCreator

from catalogue.models import ServicePage

pytestmark = pytest.mark.django_db

LINKS = """
query Links($key: String!, $locale: String) {
  service(key: $key, locale: $locale) { title tyomarkkinatoriLinks { serviceId url } }
}
"""
OTHER_ID = "7d3c2b1a-0f9e-4d8c-b7a6-5e4d3c2b1a09"


@pytest.mark.parametrize(
    ("locale", "prefix"), [("fi", ""), ("sv", "sv/"), ("en", "en/")], ids=["fi", "sv", "en"]
)
def test_graphql_links_a_service_to_its_page_in_tyomarkkinatori(
    trilingual_service, graphql, settings, locale, prefix
):
    settings.TYOMARKKINATORI_BASE_URL = "https://testi.tyomarkkinatori.example/"

    service = graphql(LINKS, {"key": "job-coaching", "locale": locale})["data"]["service"]

    assert service["tyomarkkinatoriLinks"] == [
        {
            "serviceId": TYOMARKKINATORI_ID,
            "url": f"https://testi.tyomarkkinatori.example/{prefix}palvelut/{TYOMARKKINATORI_ID}",
        }
    ]


def test_a_service_without_identifiers_has_no_links(small_catalogue, graphql):
    service = graphql(LINKS, {"key": "career-coaching"})["data"]["service"]

    assert service == {"title": "Uravalmennus", "tyomarkkinatoriLinks": []}


def test_the_production_address_is_the_default(trilingual_service, graphql):
    service = graphql(LINKS, {"key": "job-coaching"})["data"]["service"]

    assert service["tyomarkkinatoriLinks"][0]["url"].startswith("https://tyomarkkinatori.fi/")


class _EditForm(HTMLParser):
    """The values the page editor's form would send back unchanged."""

    def __init__(self):
        super().__init__()
        self.data, self._textarea, self._select = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data.setdefault(name, []).append(attrs.get("value", "on"))
            else:
                self.data[name] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea, self.data[name] = name, ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.setdefault(self._select, []).append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def edit(client, page, identifiers):
    """Save a draft from the page editor with the identifiers field set as a producer types it."""
    url = f"/admin/pages/{page.pk}/edit/"
    form = _EditForm()
    form.feed(client.get(url).content.decode())
    form.data.pop("csrfmiddlewaretoken", None)
    return client.post(url, {**form.data, "tyomarkkinatori_ids": identifiers})


def test_the_editor_refuses_what_is_not_a_tyomarkkinatori_identifier(small_catalogue, admin_client):
    page = ServicePage.objects.get(key="work-trial", locale__language_code="fi")

    response = edit(admin_client, page, f"{TYOMARKKINATORI_ID}, palvelu-123")

    assert response.status_code == 200  # the form again, with the error
    assert response.content.decode().count("Työmarkkinatorin palvelutunniste on UUID") == 1
    assert "palvelu-123" in response.content.decode()
    page.refresh_from_db()
    assert page.get_latest_revision_as_object().tyomarkkinatori_ids == ""


def test_the_editor_takes_the_address_copied_from_tyomarkkinatori(small_catalogue, admin_client):
    page = ServicePage.objects.get(key="work-trial", locale__language_code="fi")
    address = f"https://tyomarkkinatori.fi/henkiloasiakkaat/palvelut/{OTHER_ID.upper()}/"

    response = edit(admin_client, page, f"{address}\n{TYOMARKKINATORI_ID}\n{OTHER_ID}")

    assert response.status_code == 302, response.content.decode()[-2000:]
    draft = ServicePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert draft.tyomarkkinatori_ids == f"{OTHER_ID}, {TYOMARKKINATORI_ID}"


def test_translations_follow_the_finnish_identifiers(small_catalogue):
    page = ServicePage.objects.get(key="career-coaching", locale__language_code="fi")
    page.tyomarkkinatori_ids = TYOMARKKINATORI_ID
    page.save_revision().publish()
    sv = Locale.objects.get(language_code="sv")

    TranslationCreator(None, [sv]).create_translations(page)
    translation = ServicePage.objects.get(translation_key=page.translation_key, locale=sv)
    assert translation.get_latest_revision_as_object().tyomarkkinatori_id_list == [
        TYOMARKKINATORI_ID
    ]

    page.tyomarkkinatori_ids = OTHER_ID
    page.save_revision().publish()
    source, _ = TranslationSource.update_or_create_from_instance(page)
    Translation.objects.get(source=source, target_locale=sv).save_target()
    translation.refresh_from_db()
    assert translation.get_latest_revision_as_object().tyomarkkinatori_id_list == [OTHER_ID]

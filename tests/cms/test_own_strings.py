"""The project's own strings speak Finnish, Swedish and English.

Admin labels and validation messages follow the admin language of the
signed-in person (Wagtail's own admin is translated by Wagtail); messages of
the GraphQL API follow the caller's Accept-Language, English when the caller
names none; the catalogues in locale/ are complete and compiled.
"""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils.form_data import querydict_from_html
from wagtail.users.models import UserProfile

from catalogue.models import Municipality, ServicePage
from people.organisations import create_organisation

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
CATALOGUES = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/django.po"))
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
COMPILE = "manage.py compilemessages --ignore .venv --ignore var"


def _language(path):
    return path.parts[-3]


def _speaks(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


@pytest.fixture
def organisation(site_tree):
    return create_organisation("org-a", "Organisaatio A")[0]


def test_a_swedish_speaking_editor_is_told_in_swedish_that_a_service_needs_a_responsible_person(
    organisation, role_user, client
):
    editor = _speaks(role_user("provider-editor", organisation_key="org-a"), "sv")
    client.force_login(editor)
    url = f"/admin/pages/add/catalogue/servicepage/{organisation.pk}/"
    form = client.get(url)
    data = querydict_from_html(form.content.decode(), form_id="page-edit-form")
    data.update({"title": "Työkokeilu", "slug": "tyokokeilu", "key": "tyokokeilu"})
    data["action-submit"] = "1"

    page = client.post(url, data).content.decode()

    assert "Tjänsten måste ha en utsedd ansvarsperson innan den publiceras." in page
    assert "Ansvarsperson" in page  # the field's label
    assert "Grunduppgifter" in page  # a tab's heading


def test_a_swedish_speaking_producer_is_told_in_swedish_why_a_bulk_publish_was_refused(
    organisation, role_user, client
):
    draft = organisation.add_child(
        instance=ServicePage(title="Työkokeilu", slug="tyokokeilu", key="tyokokeilu", live=False)
    )
    draft.save_revision()
    client.force_login(_speaks(role_user("producer", area_code="091"), "sv"))
    listing = f"/admin/pages/{organisation.pk}/"

    response = client.post(
        f"/admin/bulk/wagtailcore/page/publish/?id={draft.pk}&next={listing}",
        {"include_descendants": ""},
    )

    messages = [str(message).strip() for message in get_messages(response.wsgi_request)]
    assert "Tjänsten måste ha en utsedd ansvarsperson innan den publiceras." in messages


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("fi", "Palvelulla on oltava nimetty vastuuhenkilö ennen julkaisua."),
        ("sv", "Tjänsten måste ha en utsedd ansvarsperson innan den publiceras."),
        ("en", "The service must have a named responsible person before it is published."),
    ],
)
def test_a_live_service_without_a_responsible_person_is_refused_in_the_active_language(
    language, message
):
    service = ServicePage(title="Työkokeilu", slug="tyokokeilu", key="tyokokeilu", live=True)

    with translation.override(language), pytest.raises(ValidationError) as refused:
        service.clean()

    with translation.override(language):
        assert refused.value.message_dict["responsible_email"] == [message]


def test_model_names_are_translated(db):
    with translation.override("sv"):
        assert str(Municipality._meta.verbose_name_plural) == "kommuner"
    with translation.override("en"):
        assert str(ServicePage._meta.verbose_name) == "service"


@pytest.mark.parametrize(("language", "title"), [("sv", "Kommuner"), ("en", "Municipalities")])
def test_the_admin_names_the_taxonomies_in_the_administrators_language(
    django_user_model, client, language, title
):
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(_speaks(admin, language))

    page = client.get(reverse("wagtailsnippets_catalogue_municipality:list")).content.decode()

    assert f'<html lang="{language}"' in page  # Wagtail's own admin
    assert f"<title>{title}" in page


@pytest.mark.parametrize(
    ("accept_language", "message"),
    [
        ("sv", "Okänt språk 'xx'. Tillgängliga språk: "),
        ("en-GB,en;q=0.8", "Unknown locale 'xx'. Available locales: "),
        ("fi-FI,fi;q=0.9,en;q=0.5", "Tuntematon kieli 'xx'. Käytettävissä olevat kielet: "),
        (None, "Unknown locale 'xx'. Available locales: "),
    ],
)
def test_api_errors_are_in_the_callers_language(graphql, db, accept_language, message):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept_language} if accept_language else {}

    response = graphql('{ municipalities(locale: "xx") { code } }', **headers)

    assert response["errors"][0]["message"].startswith(message)


def test_the_api_says_which_language_its_messages_are_in(client, db):
    def language_of(**headers):
        response = client.post(
            "/graphql/", {"query": "{ nonsense }"}, content_type="application/json", **headers
        )
        return response["Content-Language"]

    assert language_of(HTTP_ACCEPT_LANGUAGE="sv") == "sv"
    assert language_of() == "en"


def test_facet_labels_are_in_the_locale_asked_for_whatever_the_callers_language(
    graphql, small_catalogue
):
    query = '{ services(locale: "sv") { facets { audience { value label } free { label } } } }'

    facets = graphql(query, HTTP_ACCEPT_LANGUAGE="en")["data"]["services"]["facets"]

    assert {"value": "PERSON", "label": "privatkund"} in facets["audience"]
    assert {"label": "avgiftsfri"} in facets["free"]


def test_there_is_a_catalogue_for_every_language_of_the_site():
    languages = {code for code, _name in settings.ADMIN_LANGUAGES}
    assert {_language(path) for path in CATALOGUES} == languages


@pytest.mark.parametrize("path", CATALOGUES, ids=_language)
def test_every_string_is_translated_with_the_same_placeholders(path):
    catalogue = polib.pofile(str(path))

    missing = catalogue.untranslated_entries() + catalogue.fuzzy_entries()
    assert [entry.msgid for entry in missing] == []
    for entry in catalogue.translated_entries():
        translations = list(entry.msgstr_plural.values()) or [entry.msgstr]
        wanted = set(PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or "")))
        for text in translations:
            # A singular may leave the count out ("the service's translation").
            assert set(PLACEHOLDER.findall(text)) <= wanted, (entry.msgid, text)
        assert set(PLACEHOLDER.findall(translations[-1])) == set(
            PLACEHOLDER.findall(entry.msgid_plural or entry.msgid)
        ), entry.msgid


def _messages(catalogue):
    return {
        (entry.msgctxt, entry.msgid, entry.msgid_plural): (
            entry.msgstr,
            tuple(sorted(entry.msgstr_plural.items())),
        )
        for entry in catalogue
        if entry.msgid and not entry.obsolete and "fuzzy" not in entry.flags
    }


@pytest.mark.parametrize("path", CATALOGUES, ids=_language)
def test_the_committed_mo_file_is_compiled_from_the_po_file(path):
    """Django reads only the .mo files. They are committed, so that neither a deployment
    nor ``make run`` needs GNU gettext; whoever edits a .po file compiles it (COMPILE)."""
    compiled = path.with_suffix(".mo")

    assert compiled.exists(), f"{compiled} is missing: run {COMPILE}"
    assert _messages(polib.mofile(str(compiled))) == _messages(polib.pofile(str(path))), (
        f"{compiled} is out of date: run {COMPILE}"
    )

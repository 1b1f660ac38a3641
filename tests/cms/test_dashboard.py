"""The admin dashboard: each person sees their own unfinished work, linked to where it is done."""

import re

from django.test import Client
from django.urls import reverse
from wagtail.models import Locale

from catalogue.models import ServicePage


def dashboard(user):
    browser = Client()
    browser.force_login(user)
    response = browser.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def panel(html, panel_id):
    """The markup of one dashboard panel, or None when it is not shown."""
    match = re.search(rf'<section[^>]*id="{panel_id}"(.*?)</section>', html, re.S)
    return match.group(1) if match else None


def test_a_provider_editor_sees_their_organisations_drafts_and_no_others(
    small_catalogue, role_user
):
    espoo_editor = role_user("provider-editor", organisation_key="espoo")
    helsinki_editor = role_user("provider-editor", organisation_key="helsinki")
    draft = ServicePage.objects.get(key="secret-draft", locale=Locale.get_default())

    espoo_panel = panel(dashboard(espoo_editor), "unpublished-services-section")
    assert espoo_panel is not None
    assert "Luonnospalvelu" in espoo_panel
    assert reverse("wagtailadmin_pages:edit", args=[draft.pk]) in espoo_panel
    assert "Ei julkaistu" in espoo_panel

    assert panel(dashboard(helsinki_editor), "unpublished-services-section") is None


def test_a_published_service_with_unpublished_changes_is_listed_as_such(small_catalogue, role_user):
    editor = role_user("provider-editor", organisation_key="helsinki")
    service = ServicePage.objects.get(key="work-trial", locale=Locale.get_default())
    service.title = "Työkokeilu (muutettu)"
    service.save_revision(user=editor)

    shown = panel(dashboard(editor), "unpublished-services-section")
    assert "Työkokeilu (muutettu)" in shown
    assert "Julkaisemattomia muutoksia" in shown


def test_a_service_submitted_for_review_is_shown_as_in_review(small_catalogue, role_user):
    editor = role_user("provider-editor", organisation_key="espoo")
    draft = ServicePage.objects.get(key="secret-draft", locale=Locale.get_default())
    draft.responsible_email = editor.email
    revision = draft.save_revision(user=editor)
    draft.get_workflow().start(draft, editor)
    assert revision

    shown = panel(dashboard(editor), "unpublished-services-section")
    assert "Tarkistettavana" in shown


def test_a_producer_sees_how_many_translations_are_missing_with_links_to_the_report(
    small_catalogue, role_user
):
    producer = role_user("producer", area_code="091")
    shown = panel(dashboard(producer), "translations-behind-section")
    assert shown is not None
    report = reverse("catalogue_translation_status")
    # Of four live Finnish services one has a Swedish translation: three are missing.
    link = re.search(
        rf'<a href="{re.escape(report)}\?locale=sv&amp;status=missing"[^>]*>(\d+)</a>', shown
    )
    assert link and link.group(1) == "3", shown


def test_a_provider_editor_does_not_get_the_translation_panel(small_catalogue, role_user):
    editor = role_user("provider-editor", organisation_key="espoo")
    assert panel(dashboard(editor), "translations-behind-section") is None


def test_a_translator_sees_the_translation_panel_but_not_finnish_drafts(small_catalogue, role_user):
    html = dashboard(role_user("translator"))
    assert panel(html, "translations-behind-section") is not None
    assert "Luonnospalvelu" not in html

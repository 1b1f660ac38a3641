"""Translations of services, as translators, producers and the agency's files meet them.

A Finnish service is translated with wagtail-localize; the Swedish page lives
in the Swedish tree with the synchronised fields of its source and goes live
only when published. Translations follow their source when it is
unpublished, deleted or moved; their status says when the source has moved
on; translators reach publication only through the workflow; and the
agency's PO files come back as drafts, each file whole or not at all.
"""

import copy

import polib
import pytest
from catalogue_data import CATALOGUE
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase
from django.urls import resolve, reverse
from wagtail.models import GroupPagePermission, Locale, Page, WorkflowPage, WorkflowState
from wagtail_localize.models import StringTranslation, Translation, TranslationSource
from wagtail_localize.operations import TranslationCreator

from catalogue.models import HomePage, OrganisationPage, ServicePage
from cms import roles
from exchange.importer import import_document
from translations.status import (
    DRAFT,
    MISSING,
    OUT_OF_DATE,
    UP_TO_DATE,
    count_statuses,
    translation_status,
)
from translations.views import SyncTranslationsView

# --- Helpers ---------------------------------------------------------------------


@pytest.fixture
def sv(site_tree):
    return Locale.objects.get(language_code="sv")


def service(key, language="fi"):
    return ServicePage.objects.get(key=key, locale__language_code=language)


def translate(page, locale):
    """Start a translation as wagtail-localize's "Translate" does; returns the new page."""
    TranslationCreator(None, [locale]).create_translations(page)
    return ServicePage.objects.get(translation_key=page.translation_key, locale=locale)


def synced(page, locale):
    return Translation.objects.get(source__object_id=page.translation_key, target_locale=locale)


def publish_translation(page, locale):
    """Publish from wagtail-localize (it publishes on commit; run that inside the test)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        synced(page, locale).save_target(publish=True)
    return ServicePage.objects.get(translation_key=page.translation_key, locale=locale)


def publish(page, **changes):
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def status_of(key, locale):
    return next(row for row in translation_status(locale) if row.key == key)


SERVICE_QUERY = """query($key: String!, $locale: String) {
  service(key: $key, locale: $locale) { id title locale summary priority }
}"""


# --- Translating ---------------------------------------------------------------------


def test_a_new_translation_is_a_swedish_draft_with_the_synchronised_fields(
    small_catalogue, sv, graphql
):
    source = publish(service("youth-workshop"), priority=55, responsible_email="vastuu@hel.fi")

    translation = translate(source, sv)

    assert not translation.live  # WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE is off
    parent = translation.get_parent()
    assert (parent.locale, parent.translation_key) == (sv, source.get_parent().translation_key)
    for name in ("key", "age_min", "age_max", "audience", "priority", "responsible_email"):
        assert getattr(translation, name) == getattr(source, name), name
    for name in ("categories", "municipalities", "life_situations", "methods"):
        # The same terms, each as its translation in the page's locale.
        terms = getattr(translation, name).all()
        assert {term.locale for term in terms} <= {sv}, name
        assert {t.translation_key for t in terms} == {
            t.translation_key for t in getattr(source, name).all()
        }, name

    served = graphql(SERVICE_QUERY, {"key": "youth-workshop", "locale": "sv"})["data"]["service"]
    assert (served["id"], served["locale"]) == (str(source.pk), "fi")  # the draft is not served

    publish_translation(source, sv)

    served = graphql(SERVICE_QUERY, {"key": "youth-workshop", "locale": "sv"})["data"]["service"]
    assert (served["id"], served["locale"], served["priority"]) == (str(translation.pk), "sv", 55)


def test_translating_a_service_of_an_untranslated_organisation_creates_the_organisation(
    small_catalogue, sv
):
    source = service("career-coaching")  # Espoo has no Swedish page yet

    translation = translate(source, sv)

    organisation = translation.get_parent().specific
    assert isinstance(organisation, OrganisationPage)
    assert organisation.locale == sv and organisation.key == "espoo"
    # The groups belong to the Finnish organisation page only.
    assert organisation.admin_group_id is None and organisation.editor_group_id is None


# --- Status -------------------------------------------------------------------------


def test_the_status_counts_missing_draft_and_up_to_date_translations(small_catalogue, sv):
    translate(service("youth-workshop"), sv)

    swedish = {row.key: row.status for row in translation_status(sv)}
    english = count_statuses(translation_status(Locale.objects.get(language_code="en")))

    # Four published services (the draft one does not count); Swedish from the import.
    assert swedish == {
        "work-trial": UP_TO_DATE,
        "youth-workshop": DRAFT,
        "career-coaching": MISSING,
        "startup-money": MISSING,
    }
    assert english == {"total": 4, MISSING: 4, OUT_OF_DATE: 0, DRAFT: 0, UP_TO_DATE: 0}


def test_a_changed_source_makes_the_translation_out_of_date_until_it_is_synced(small_catalogue, sv):
    source = service("youth-workshop")
    translate(source, sv)
    publish_translation(source, sv)
    assert status_of("youth-workshop", sv).status == UP_TO_DATE

    publish(source, priority=77, summary="Uusi kuvaus")
    assert status_of("youth-workshop", sv).status == OUT_OF_DATE

    # "Sync translated pages": a new snapshot of the source, and the page written from it.
    TranslationSource.objects.get(object_id=source.translation_key).update_from_db()
    assert status_of("youth-workshop", sv).status == OUT_OF_DATE
    translation = publish_translation(source, sv)

    assert status_of("youth-workshop", sv).status == UP_TO_DATE
    assert translation.priority == 77


def test_an_imported_translation_is_out_of_date_when_only_the_source_is_published_again(
    small_catalogue, sv
):
    publish(service("work-trial"), summary="Uusi kuvaus")

    assert status_of("work-trial", sv).status == OUT_OF_DATE


def test_editors_read_the_status_in_graphql_and_others_get_an_error(
    small_catalogue, sv, client, graphql, role_user
):
    query = """{ translationStatus(locale: "sv", status: [MISSING]) {
      locale total translated draft outOfDate missing items { key title status translatedTitle }
    } }"""

    assert "translationStatus" in graphql(query)["errors"][0]["message"]
    client.force_login(role_user("provider-editor", organisation_key="helsinki"))
    assert graphql(query)["errors"]

    client.force_login(role_user("translator"))
    status = graphql(query)["data"]["translationStatus"]

    assert {key: status[key] for key in ("locale", "total", "translated", "missing")} == {
        "locale": "sv",
        "total": 4,
        "translated": 1,
        "missing": 3,
    }
    assert [item["key"] for item in status["items"]] == [
        "youth-workshop",
        "startup-money",
        "career-coaching",
    ]

    client.force_login(role_user("producer", area_code="091"))
    assert graphql(query)["data"]["translationStatus"]["total"] == 4
    assert {item["status"] for item in status["items"]} == {"MISSING"}


def test_the_status_report_shows_counts_and_the_services_that_need_work(
    small_catalogue, sv, client, role_user
):
    client.force_login(role_user("translator"))

    response = client.get("/admin/catalogue/translations/?locale=sv")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Käännösten tila" in page
    assert "Uravalmennus" in page and "Starttiraha" in page  # missing
    assert "Työkokeilu" not in page  # up to date, so not listed by default
    assert 'data-status="missing">3<' in page
    # A translator starts a missing translation from the report.
    translate_url = reverse(
        "wagtail_localize:submit_page_translation", args=[service("career-coaching").pk]
    )
    assert translate_url in page
    assert client.get(translate_url).status_code == 200

    # A provider editor is signed in to the admin but does not follow translations.
    client.force_login(role_user("provider-editor", organisation_key="helsinki"))
    response = client.get("/admin/catalogue/translations/")
    assert (response.status_code, response.url) == (302, "/admin/")


# --- Moderation -----------------------------------------------------------------------


def test_a_translator_submits_a_translation_for_review_but_cannot_publish_or_touch_the_source(
    small_catalogue, sv, client, role_user
):
    translator = role_user("translator")
    source = service("youth-workshop")
    translation = translate(source, sv)

    assert translation.permissions_for_user(translator).can_edit()
    assert not translation.permissions_for_user(translator).can_publish()
    assert not source.permissions_for_user(translator).can_edit()
    assert not source.permissions_for_user(translator).can_publish()

    client.force_login(translator)
    url = f"/admin/catalogue/translations/{translation.pk}/submit/"
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302

    translation.refresh_from_db()
    state = translation.current_workflow_state
    assert state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS
    swedish_home = HomePage.objects.get(locale=sv)
    assert state.workflow == WorkflowPage.objects.get(page=swedish_home).workflow
    assert not translation.live
    # Publishing from wagtail-localize's editor is refused (the admin redirects to its home).
    response = client.post(f"/admin/pages/{translation.pk}/edit/", {"action": "publish"})
    assert (response.status_code, response.url) == (302, "/admin/")
    translation.refresh_from_db()
    assert not translation.live
    response = client.get(f"/admin/pages/{source.pk}/edit/")
    assert (response.status_code, response.url) == (302, "/admin/")


def test_syncing_publishes_immediately_only_for_those_who_may_publish(
    small_catalogue, sv, client, role_user
):
    source = service("youth-workshop")
    translate(source, sv)
    publish_translation(source, sv)
    publish(source, priority=66)
    url = reverse(
        "wagtail_localize:update_translations",
        args=[TranslationSource.objects.get(object_id=source.translation_key).pk],
    )

    assert resolve(url).func.view_class is SyncTranslationsView

    client.force_login(role_user("translator"))
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, {"publish_translations": "on"})
    assert response.status_code == 302
    assert service("youth-workshop", "sv").priority != 66  # synced, not published

    client.force_login(role_user("administrator"))
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(url, {"publish_translations": "on"})
    assert service("youth-workshop", "sv").priority == 66


def test_a_live_translation_submitted_again_keeps_its_live_version(small_catalogue, sv):
    source = service("youth-workshop")
    translate(source, sv)
    live = publish_translation(source, sv)
    translation = synced(source, sv)
    title = translation.source.stringsegment_set.get(context__path="title")
    StringTranslation.objects.create(
        translation_of=title.string, context=title.context, locale=sv, data="Ungdomsverkstad"
    )

    from translations.moderation import save_translation_draft

    save_translation_draft(translation)

    page = ServicePage.objects.get(pk=live.pk)
    assert page.title == "Nuorten työpaja" and page.live  # what the API serves
    assert page.has_unpublished_changes
    assert page.get_latest_revision_as_object().title == "Ungdomsverkstad"
    assert status_of("youth-workshop", sv).status == DRAFT


# --- The agency's PO files -----------------------------------------------------------


def export(output, *which, locale="sv"):
    call_command("export_translations", "--locale", locale, *which, "--output", output)


def fill(path, translations):
    po = polib.pofile(str(path))
    for entry in po:
        if entry.msgctxt in translations:
            entry.msgstr = translations[entry.msgctxt]
    po.save(str(path))
    return po


def test_po_files_go_out_and_come_back_as_drafts(small_catalogue, sv, tmp_path, capsys):
    export(tmp_path, "--all-services")

    files = sorted(path.name for path in tmp_path.iterdir())
    assert files == [
        f"{key}.sv.po"
        for key in sorted(["work-trial", "career-coaching", "startup-money", "youth-workshop"])
    ]
    # The imported Swedish texts were taken into the translation memory.
    exported = {e.msgctxt: e.msgstr for e in polib.pofile(str(tmp_path / "work-trial.sv.po"))}
    assert exported["title"] == "Arbetsprövning"

    fill(tmp_path / "career-coaching.sv.po", {"title": "Karriärcoachning", "summary": "Coachning."})
    fill(tmp_path / "work-trial.sv.po", {"summary": "Pröva en ny bransch."})
    call_command(
        "import_translations", tmp_path / "career-coaching.sv.po", tmp_path / "work-trial.sv.po"
    )

    new = service("career-coaching", "sv")
    assert (new.title, new.summary, new.live) == ("Karriärcoachning", "Coachning.", False)
    live = service("work-trial", "sv")
    assert (live.summary, live.live) == ("Pröva en bransch.", True)  # live version untouched
    draft = live.get_latest_revision_as_object()
    assert (draft.title, draft.summary) == ("Arbetsprövning", "Pröva en ny bransch.")
    assert status_of("career-coaching", sv).status == DRAFT


def test_an_export_after_the_finnish_page_changed_carries_the_new_text(
    small_catalogue, sv, tmp_path
):
    source = service("youth-workshop")
    translate(source, sv)
    publish(source, summary="Uusi kuvaus")

    export(tmp_path, "--page", "youth-workshop")

    exported = {e.msgctxt: e.msgid for e in polib.pofile(str(tmp_path / "youth-workshop.sv.po"))}
    assert exported["summary"] == "Uusi kuvaus"


def test_a_bad_po_file_is_reported_by_name_and_message_and_nothing_of_it_is_applied(
    small_catalogue, sv, tmp_path, capsys
):
    call_command(
        "export_translations", "--locale", "sv", "--page", "career-coaching", "--output", tmp_path
    )
    path = tmp_path / "career-coaching.sv.po"
    po = fill(path, {"title": "Karriärcoachning"})
    po.append(polib.POEntry(msgid="Ei tällaista", msgctxt="summary", msgstr="Inget sådant"))
    po.save(str(path))
    before = StringTranslation.objects.count()

    with pytest.raises(CommandError):
        call_command("import_translations", path)

    error = capsys.readouterr().err
    assert str(path) in error and "Ei tällaista" in error
    assert StringTranslation.objects.count() == before
    assert service("career-coaching", "sv").title == "Uravalmennus"

    broken = tmp_path / "broken.po"
    broken.write_text('msgid "x\nthis is not a PO file')
    with pytest.raises(CommandError):
        call_command("import_translations", broken)
    assert str(broken) in capsys.readouterr().err


def test_exporting_an_unknown_or_unpublished_service_is_an_error(small_catalogue, sv, tmp_path):
    with pytest.raises(CommandError, match="nonexistent"):
        call_command(
            "export_translations", "--locale", "sv", "--page", "nonexistent", "--output", tmp_path
        )
    with pytest.raises(CommandError, match="secret-draft"):
        call_command(
            "export_translations", "--locale", "sv", "--page", "secret-draft", "--output", tmp_path
        )
    with pytest.raises(CommandError, match="source language"):
        call_command(
            "export_translations", "--locale", "fi", "--all-services", "--output", tmp_path
        )


# --- Following the source ---------------------------------------------------------------


def test_unpublishing_a_source_unpublishes_its_translations(small_catalogue, sv):
    service("work-trial").unpublish()

    assert not service("work-trial", "sv").live


def test_deleting_a_source_deletes_its_translations(small_catalogue, sv):
    source = service("youth-workshop")
    translation = translate(source, sv)

    source.delete()

    assert not Page.objects.filter(pk=translation.pk).exists()


def test_moving_a_source_moves_its_translations_under_the_translated_parent(small_catalogue, sv):
    source = service("work-trial")
    espoo = OrganisationPage.objects.get(key="espoo", locale__language_code="fi")

    with TestCase.captureOnCommitCallbacks(execute=True):  # translations follow on commit
        source.move(espoo, pos="last-child")

    translation = service("work-trial", "sv")
    parent = translation.get_parent().specific
    assert (parent.locale, parent.translation_key) == (sv, espoo.translation_key)
    assert parent.live  # created under its Finnish name, as the import does
    assert translation.url_path == f"{parent.url_path}{translation.slug}/"


def test_an_import_that_moves_a_service_moves_its_translation_once(small_catalogue, sv):
    document = copy.deepcopy(CATALOGUE)
    document["services"][0]["organisation"] = "espoo"  # work-trial

    with TestCase.captureOnCommitCallbacks(execute=True):
        import_document(document)

    assert Page.find_problems() == ([], [], [], [], [])
    translation = service("work-trial", "sv")
    assert (
        translation.get_parent().translation_key
        == service("work-trial").get_parent().translation_key
    )
    assert translation.url_path.endswith("/espoo/work-trial/")


# --- Content languages ------------------------------------------------------------------


def test_ensure_locales_sets_up_further_content_languages(site_tree, settings, capsys):
    settings.WAGTAIL_CONTENT_LANGUAGES = settings.LANGUAGES = [
        *settings.WAGTAIL_CONTENT_LANGUAGES,
        ("ru", "Русский"),
    ]

    call_command("ensure_locales")

    russian = HomePage.objects.get(locale__language_code="ru")
    assert russian.live
    translators = roles.TRANSLATORS
    assert GroupPagePermission.objects.filter(page=russian, group__name=translators).exists()
    swedish_home = HomePage.objects.get(locale__language_code="sv")
    assert (
        WorkflowPage.objects.get(page=russian).workflow
        == WorkflowPage.objects.get(page=swedish_home).workflow
    )
    assert "created locale ru" in capsys.readouterr().out

    call_command("ensure_locales")
    assert "already set up" in capsys.readouterr().out


def test_extra_content_languages_are_named_in_their_own_language():
    from cms.settings import _content_language

    assert _content_language("ru") == ("ru", "Русский")
    assert _content_language("so") == ("so", "Soomaali")
    assert _content_language("xx:Testikieli") == ("xx", "Testikieli")
    with pytest.raises(ImproperlyConfigured, match="EXTRA_CONTENT_LANGUAGES"):
        _content_language("zz")

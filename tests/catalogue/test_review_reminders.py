"""Review reminders (tarkistuskehotteet): who is reminded, when, and marking a service reviewed."""

import logging
import socket
from datetime import datetime, time, timedelta
from io import StringIO

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Locale, PageLogEntry
from wagtail_localize.models import TranslationSource

from catalogue.models import OrganisationPage, ReviewReminder, ServicePage
from catalogue.reviews import mark_reviewed, send_review_reminders, services_due
from people.organisations import create_organisation_groups
from people.site_tree import ensure_site_tree

TODAY = timezone.localdate()
INTERVAL = relativedelta(months=4)


def days_ago(days):
    return TODAY - timedelta(days=days)


def as_datetime(day):
    return timezone.make_aware(datetime.combine(day, time(12)))


@pytest.fixture
def tree(db):
    return ensure_site_tree()


def add_organisation(tree, title):
    organisation = tree.catalogue.add_child(
        instance=OrganisationPage(title=title, key=slugify(title), slug=slugify(title))
    )
    create_organisation_groups(organisation)
    organisation.refresh_from_db()
    return organisation


def add_service(
    organisation, title, responsible="", published_on=None, reviewed_on=None, live=True
):
    """A service published (or left as a draft) with review dates set explicitly.

    Publishing needs a responsible person, so a service without one (older
    data) is published with an address that is removed afterwards.
    """
    page = organisation.add_child(
        instance=ServicePage(
            title=title,
            key=slugify(title),
            slug=slugify(title),
            responsible_email=responsible or "placeholder@example.fi",
            live=False,
        )
    )
    if live:
        page.save_revision().publish()
    ServicePage.objects.filter(pk=page.pk).update(
        responsible_email=responsible,
        first_published_at=as_datetime(published_on) if live and published_on else None,
        last_reviewed_at=reviewed_on,
    )
    page.refresh_from_db()
    return page


def translate(page, language="sv"):
    """The page's translation, created through wagtail-localize as a translator would."""
    locale = Locale.objects.get(language_code=language)
    organisation = page.get_parent().specific
    if organisation.get_translation_or_none(locale) is None:
        # The organisation's groups are one-to-one with the Finnish page, so a
        # plain copy would clash; its translation is made without them.
        organisation.copy_for_translation(
            locale, copy_parents=True, exclude_fields=["admin_group", "editor_group"]
        ).save_revision().publish()
    source, _ = TranslationSource.update_or_create_from_instance(page)
    return publish_translation(source, locale)


def publish_translation(source, locale):
    # wagtail-localize publishes on commit; run that inside the test's transaction.
    with TestCase.captureOnCommitCallbacks(execute=True):
        translation, _ = source.create_or_update_translation(locale, fallback=True)
    translation.refresh_from_db()
    return translation


def editor_of(organisation, username):
    user = get_user_model().objects.create_user(username=username, password="x")
    user.groups.add(organisation.editor_group)
    return user


@pytest.fixture
def catalogue(tree):
    """Two organisations; Anna is responsible for two due services, Bertta for one."""
    helsinki = add_organisation(tree, "Helsingin työllisyyspalvelut")
    espoo = add_organisation(tree, "Espoon työllisyyspalvelut")
    services = {
        "career": add_service(helsinki, "Uraohjaus", "anna@example.fi", published_on=days_ago(200)),
        "trial": add_service(
            helsinki,
            "Työkokeilu",
            "anna@example.fi",
            published_on=days_ago(400),
            reviewed_on=TODAY - INTERVAL - timedelta(days=3),
        ),
        "recent": add_service(
            helsinki,
            "Palkkatuki",
            "anna@example.fi",
            published_on=days_ago(400),
            reviewed_on=days_ago(30),
        ),
        "draft": add_service(
            helsinki, "Starttiraha", "anna@example.fi", reviewed_on=days_ago(400), live=False
        ),
        "coaching": add_service(
            espoo, "Työhönvalmennus", "bertta@example.fi", published_on=days_ago(150)
        ),
    }
    return {"helsinki": helsinki, "espoo": espoo, **services}


def mail_to(address):
    return [message for message in mail.outbox if message.to == [address]]


# Who is reminded, and about what


def test_each_responsible_person_gets_one_email_listing_exactly_their_due_services(
    catalogue, settings
):
    translation = translate(catalogue["career"])
    ServicePage.objects.filter(pk=translation.pk).update(
        first_published_at=as_datetime(days_ago(300))
    )

    summary = send_review_reminders(on=TODAY)

    assert sorted(message.to[0] for message in mail.outbox) == [
        "anna@example.fi",
        "bertta@example.fi",
    ]
    (anna,) = mail_to("anna@example.fi")
    assert anna.subject == "Palvelumanuaali: palveluiden tarkistus"
    assert anna.from_email == settings.DEFAULT_FROM_EMAIL
    assert "Uraohjaus (Helsingin työllisyyspalvelut)" in anna.body
    assert "Työkokeilu (Helsingin työllisyyspalvelut)" in anna.body
    assert anna.body.count("Uraohjaus") == 1  # the Swedish translation is not listed again
    assert "Palkkatuki" not in anna.body  # reviewed a month ago
    assert "Starttiraha" not in anna.body  # never published
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    assert f"{base}/admin/pages/{catalogue['career'].pk}/edit/" in anna.body
    due = catalogue["career"].review_due_at
    assert f"{due.day}.{due.month}.{due.year}" in anna.body

    (bertta,) = mail_to("bertta@example.fi")
    assert "Työhönvalmennus (Espoon työllisyyspalvelut)" in bertta.body
    assert "Uraohjaus" not in bertta.body
    assert (summary.emails_sent, summary.services_listed, summary.skipped) == (2, 3, 0)


def test_the_due_date_in_a_reminder_is_the_services_review_due_date(catalogue):
    due = {service.page_id: service.due_date for service in services_due(TODAY)}

    for key in ("career", "trial", "coaching"):
        page = ServicePage.objects.get(pk=catalogue[key].pk)
        assert due[page.pk] == page.review_due_at
    assert catalogue["recent"].pk not in due


def test_a_service_is_not_reminded_twice_for_the_same_due_date(catalogue):
    send_review_reminders(on=TODAY)
    mail.outbox.clear()

    summary = send_review_reminders(on=TODAY + timedelta(days=1))

    assert mail.outbox == []
    assert (summary.emails_sent, summary.skipped) == (0, 3)
    assert ReviewReminder.objects.count() == 3


def test_a_reviewed_service_is_not_due_and_is_reminded_again_when_it_falls_due(catalogue):
    first_due = catalogue["career"].review_due_at
    send_review_reminders(on=TODAY)
    mail.outbox.clear()

    mark_reviewed(catalogue["career"], user=None)

    assert catalogue["career"].pk not in {s.page_id for s in services_due(TODAY)}
    send_review_reminders(on=TODAY + INTERVAL - timedelta(days=1))
    assert "Uraohjaus" not in "".join(message.body for message in mail.outbox)
    mail.outbox.clear()

    send_review_reminders(on=TODAY + INTERVAL)
    (anna,) = mail_to("anna@example.fi")
    assert "Uraohjaus" in anna.body
    assert "Työkokeilu" not in anna.body  # already reminded for its (unchanged) due date
    assert sorted(
        ReviewReminder.objects.filter(page=catalogue["career"]).values_list("due_date", flat=True)
    ) == [first_due, TODAY + INTERVAL]


def test_a_service_without_a_responsible_person_is_counted_not_mailed(catalogue, caplog):
    orphan = add_service(catalogue["espoo"], "Kuntouttava työtoiminta", published_on=days_ago(200))

    with caplog.at_level(logging.WARNING, logger="catalogue.reviews"):
        summary = send_review_reminders(on=TODAY)

    assert summary.without_responsible == 1
    assert summary.emails_sent == 2
    assert all(message.to != [""] for message in mail.outbox)
    assert not ReviewReminder.objects.filter(page=orphan).exists()
    assert "Kuntouttava työtoiminta" in caplog.text


def test_a_reminder_that_cannot_be_sent_is_not_recorded_and_is_retried(catalogue, settings):
    with socket.socket() as probe:  # a local port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port

    with pytest.raises(CommandError):
        call_command("send_review_reminders", stdout=StringIO())
    assert not ReviewReminder.objects.exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_review_reminders(on=TODAY).emails_sent == 2


def test_the_command_reports_and_a_dry_run_sends_nothing(catalogue):
    out = StringIO()
    call_command("send_review_reminders", "--dry-run", "--date", TODAY.isoformat(), stdout=out)

    assert "E-mails would send: 2" in out.getvalue()
    assert "anna@example.fi: 2" in out.getvalue()
    assert mail.outbox == []
    assert not ReviewReminder.objects.exists()

    out = StringIO()
    call_command("send_review_reminders", "--date", TODAY.isoformat(), stdout=out)
    assert "E-mails sent: 2" in out.getvalue()
    assert "Services listed: 3" in out.getvalue()
    assert len(mail.outbox) == 2


# Marking a review


def test_marking_a_review_keeps_live_content_and_a_pending_draft(catalogue):
    service = ServicePage.objects.get(pk=catalogue["career"].pk)
    service.summary = "Luonnos: uusi kuvaus"
    service.save_revision()

    mark_reviewed(service, user=None)

    live = ServicePage.objects.get(pk=service.pk)
    assert live.last_reviewed_at == TODAY
    assert live.summary == ""
    assert live.has_unpublished_changes
    draft = live.get_latest_revision_as_object()
    assert (draft.summary, draft.last_reviewed_at) == ("Luonnos: uusi kuvaus", TODAY)

    live.get_latest_revision().publish()
    published = ServicePage.objects.get(pk=service.pk)
    assert (published.summary, published.last_reviewed_at) == ("Luonnos: uusi kuvaus", TODAY)


def test_an_updated_translation_keeps_the_shared_review_date(catalogue):
    translation = translate(catalogue["career"])

    mark_reviewed(catalogue["career"], user=None)
    assert ServicePage.objects.get(pk=translation.pk).last_reviewed_at == TODAY

    # A translator publishes the translation again from wagtail-localize's source copy.
    source = TranslationSource.objects.get(object_id=catalogue["career"].translation_key)
    publish_translation(source, translation.locale)
    assert ServicePage.objects.get(pk=translation.pk).last_reviewed_at == TODAY


# Admin: dashboard panel and the mark-reviewed action


def test_the_dashboard_shows_a_provider_editor_only_their_organisations_due_services(
    catalogue, client
):
    client.force_login(editor_of(catalogue["helsinki"], "helsinki-editor"))

    page = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Tarkistettavat palvelut" in page
    assert "Uraohjaus" in page
    assert "Työkokeilu" in page
    assert "Myöhässä" in page  # both are overdue
    assert reverse("catalogue_mark_reviewed", args=[catalogue["career"].pk]) in page
    assert "Työhönvalmennus" not in page  # Espoo's service
    assert "Palkkatuki" not in page  # not due


def test_the_dashboard_lists_services_falling_due_within_two_weeks(catalogue, client):
    espoo_editor = editor_of(catalogue["espoo"], "espoo-editor")
    add_service(
        catalogue["espoo"],
        "Kielikoulutus",
        "bertta@example.fi",
        published_on=days_ago(200),
        reviewed_on=TODAY - INTERVAL + timedelta(days=10),
    )
    client.force_login(espoo_editor)

    page = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Kielikoulutus" in page
    assert "Työhönvalmennus" in page


def test_the_dashboard_panel_is_hidden_when_nothing_is_due(catalogue, client):
    mark_reviewed(catalogue["coaching"], user=None)
    client.force_login(editor_of(catalogue["espoo"], "espoo-editor"))

    page = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Tarkistettavat palvelut" not in page


def test_an_editor_marks_a_service_reviewed_with_its_translations(catalogue, client):
    translation = translate(catalogue["career"])
    editor = editor_of(catalogue["helsinki"], "helsinki-editor")
    client.force_login(editor)
    url = reverse("catalogue_mark_reviewed", args=[catalogue["career"].pk])

    response = client.post(url, {"next": reverse("wagtailadmin_home")})

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert ServicePage.objects.get(pk=catalogue["career"].pk).last_reviewed_at == TODAY
    assert ServicePage.objects.get(pk=translation.pk).last_reviewed_at == TODAY
    assert PageLogEntry.objects.filter(
        page=catalogue["career"], action="palvelumanuaali.mark_reviewed", user=editor
    ).exists()
    messages = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "merkitty tarkistetuksi" in messages


def test_the_page_history_shows_the_review(catalogue, admin_client):
    mark_reviewed(catalogue["career"], user=None)

    history = admin_client.get(
        reverse("wagtailadmin_pages:history", args=[catalogue["career"].pk])
    ).content.decode()

    assert "Merkitty tarkistetuksi" in history


def test_an_unsafe_next_url_falls_back_to_the_edit_view(catalogue, admin_client):
    url = reverse("catalogue_mark_reviewed", args=[catalogue["career"].pk])

    response = admin_client.post(url, {"next": "https://evil.example.com/"})

    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[catalogue["career"].pk])


def test_an_editor_of_another_organisation_cannot_mark_a_service_reviewed(catalogue, client):
    client.force_login(editor_of(catalogue["espoo"], "espoo-editor"))
    url = reverse("catalogue_mark_reviewed", args=[catalogue["career"].pk])

    # Wagtail's admin answers a permission denial by sending the user back to the dashboard.
    for response in (client.post(url), client.get(url)):
        assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
    assert ServicePage.objects.get(pk=catalogue["career"].pk).last_reviewed_at is None
    assert not PageLogEntry.objects.filter(action="palvelumanuaali.mark_reviewed").exists()


def test_opening_the_mark_reviewed_link_only_asks_for_confirmation(catalogue, client):
    client.force_login(editor_of(catalogue["helsinki"], "helsinki-editor"))
    url = reverse("catalogue_mark_reviewed", args=[catalogue["career"].pk])

    response = client.get(url)

    assert response.status_code == 200
    assert 'method="post"' in response.content.decode()
    assert ServicePage.objects.get(pk=catalogue["career"].pk).last_reviewed_at is None
    assert not PageLogEntry.objects.filter(action="palvelumanuaali.mark_reviewed").exists()


def test_the_edit_view_of_a_service_offers_mark_reviewed(catalogue, client):
    client.force_login(editor_of(catalogue["helsinki"], "helsinki-editor"))
    service = catalogue["career"]

    page = client.get(reverse("wagtailadmin_pages:edit", args=[service.pk])).content.decode()
    organisation = client.get(
        reverse("wagtailadmin_pages:edit", args=[catalogue["helsinki"].pk])
    ).content.decode()

    assert reverse("catalogue_mark_reviewed", args=[service.pk]) in page
    assert "Merkitse tarkistetuksi" in page
    assert "Merkitse tarkistetuksi" not in organisation


def test_a_translation_cannot_be_marked_reviewed_on_its_own(catalogue, admin_client):
    translation = translate(catalogue["career"])
    url = reverse("catalogue_mark_reviewed", args=[translation.pk])

    assert admin_client.post(url).status_code == 404

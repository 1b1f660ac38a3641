"""Review reminders (tarkistuskehotteet): which services are due, who is told, and marking a review.

Every published service is reviewed REVIEW_INTERVAL_MONTHS after its last
review (or after its first publication if it was never reviewed). The Finnish
source page carries the review state; translations share it
(``last_reviewed_at`` is a synchronised field). The daily command, the
dashboard panel and the "mark reviewed" action all go through this module.
"""

import json
import logging
import smtplib
from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext, gettext_lazy, ngettext
from wagtail.log_actions import log
from wagtail.models import Locale, Page

from catalogue.models import ReviewReminder, ServicePage

logger = logging.getLogger(__name__)

MARK_REVIEWED_ACTION = "palvelumanuaali.mark_reviewed"
DATE_FORMAT = "j.n.Y"  # Finnish short date, e.g. 5.3.2026


@dataclass(frozen=True)
class DueService:
    """A service whose review is due: what a reminder or the dashboard lists about it."""

    page_id: int
    title: str
    organisation: str
    responsible_email: str
    due_date: date

    @property
    def edit_url(self):
        """Absolute admin edit URL, for e-mails read outside the admin."""
        path = reverse("wagtailadmin_pages:edit", args=[self.page_id])
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


@dataclass
class ReminderSummary:
    """What one reminder run did (or, in a dry run, would do)."""

    dry_run: bool = False
    emails_sent: int = 0
    services_listed: int = 0
    skipped: int = 0  # already reminded for the same due date
    without_responsible: int = 0  # due, but nobody to remind
    failed: int = 0  # e-mails that could not be sent; retried on the next run
    recipients: list = field(default_factory=list)

    def lines(self):
        verb = "would send" if self.dry_run else "sent"
        lines = [
            f"E-mails {verb}: {self.emails_sent}",
            f"Services listed: {self.services_listed}",
            f"Skipped (already reminded for this due date): {self.skipped}",
            f"Due without a responsible person: {self.without_responsible}",
        ]
        if self.failed:
            lines.append(f"E-mails failed (retried next run): {self.failed}")
        lines.extend(f"  {email}: {count}" for email, count in self.recipients)
        return lines


def review_due_date(last_reviewed_at, first_published_at):
    """The same rule as ``ServicePage.review_due_at``, for rows read with ``values()``."""
    reviewed = last_reviewed_at or (first_published_at and timezone.localdate(first_published_at))
    if reviewed is None:
        return None
    return reviewed + relativedelta(months=settings.REVIEW_INTERVAL_MONTHS)


def source_services():
    """Finnish source services: the pages that carry the review state."""
    return ServicePage.objects.filter(locale=Locale.get_default(), alias_of__isnull=True)


def services_due(on=None, queryset=None):
    """Live Finnish services whose review is due on or before ``on`` (default today).

    ``queryset`` narrows the candidates (e.g. to the pages a user may edit).
    The due date is month arithmetic on one ``values()`` row per service, so
    ~500 services cost two queries. Sorted by due date, then title.
    """
    on = on or timezone.localdate()
    pages = source_services().live()
    if queryset is not None:
        pages = pages.filter(pk__in=queryset.values("pk"))
    rows = pages.values(
        "pk", "title", "path", "responsible_email", "last_reviewed_at", "first_published_at"
    )
    due = []
    for row in rows:
        due_date = review_due_date(row["last_reviewed_at"], row["first_published_at"])
        if due_date is not None and due_date <= on:
            due.append((row, due_date))

    # A service's organisation is its parent page.
    parent_paths = {row["path"][: -Page.steplen] for row, _ in due}
    organisations = dict(Page.objects.filter(path__in=parent_paths).values_list("path", "title"))
    services = [
        DueService(
            page_id=row["pk"],
            title=row["title"],
            organisation=organisations.get(row["path"][: -Page.steplen], ""),
            responsible_email=row["responsible_email"].strip(),
            due_date=due_date,
        )
        for row, due_date in due
    ]
    return sorted(services, key=lambda service: (service.due_date, service.title))


def send_review_reminders(on=None, dry_run=False):
    """Send each responsible person one e-mail listing all their due services.

    A ReviewReminder row per (service, due date) makes the run idempotent:
    a service is reminded once per due date, and again only after it has been
    marked reviewed and falls due anew. The rows and the e-mail of one
    recipient share a transaction, so a failed send leaves nothing recorded
    and the next run tries again.
    """
    summary = ReminderSummary(dry_run=dry_run)
    due = services_due(on)
    reminded = set(
        ReviewReminder.objects.filter(page_id__in=[s.page_id for s in due]).values_list(
            "page_id", "due_date"
        )
    )

    by_recipient = {}
    unassigned = []
    for service in due:
        if (service.page_id, service.due_date) in reminded:
            summary.skipped += 1
        elif not service.responsible_email:
            unassigned.append(service)
        else:
            by_recipient.setdefault(service.responsible_email.lower(), []).append(service)

    summary.without_responsible = len(unassigned)
    if unassigned:
        logger.warning(
            "%d service(s) due for review have no responsible person: %s",
            len(unassigned),
            ", ".join(f"{s.title} (id {s.page_id})" for s in unassigned),
        )

    for services in by_recipient.values():
        recipient = services[0].responsible_email
        if not dry_run:
            try:
                _send_reminder(recipient, services)
            except IntegrityError:
                # A concurrent run recorded these first; it sends the e-mail.
                summary.skipped += len(services)
                continue
            except (smtplib.SMTPException, OSError):
                logger.exception("Review reminder to %s could not be sent", recipient)
                summary.failed += 1
                continue
        summary.emails_sent += 1
        summary.services_listed += len(services)
        summary.recipients.append((recipient, len(services)))
    return summary


@transaction.atomic
def _send_reminder(recipient, services):
    ReviewReminder.objects.bulk_create(
        ReviewReminder(page_id=s.page_id, due_date=s.due_date, recipient=recipient)
        for s in services
    )
    send_mail(
        reminder_subject(),
        reminder_body(services),
        settings.DEFAULT_FROM_EMAIL,
        [recipient],
        fail_silently=False,
    )


def reminder_subject():
    return gettext("Palvelumanuaali: palveluiden tarkistus")


def reminder_body(services):
    """Plain-text Finnish body; every sentence goes through gettext for later translation."""
    intro = ngettext(
        "olet Palvelumanuaalissa vastuuhenkilö seuraavalle palvelulle, joka on aika tarkistaa:",
        "olet Palvelumanuaalissa vastuuhenkilö seuraaville palveluille, jotka on aika tarkistaa:",
        len(services),
    )
    items = [
        gettext("- %(title)s (%(organisation)s), tarkistuksen eräpäivä %(due_date)s\n  %(url)s")
        % {
            "title": service.title,
            "organisation": service.organisation,
            "due_date": format_date(service.due_date, DATE_FORMAT),
            "url": service.edit_url,
        }
        for service in services
    ]
    instructions = gettext(
        "Tarkista, että tiedot ovat ajan tasalla, ja tee tarvittavat muutokset. "
        "Merkitse sen jälkeen palvelu tarkistetuksi: muokkausnäkymän lisätoiminnoista "
        "tai hallintapaneelin Tarkistettavat palvelut -listasta."
    )
    interval = gettext("Palvelut tarkistetaan %(months)d kuukauden välein.") % {
        "months": settings.REVIEW_INTERVAL_MONTHS
    }
    return (
        "\n\n".join(
            [
                gettext("Hei,"),
                intro + "\n\n" + "\n\n".join(items),
                instructions,
                interval,
                gettext("Tämä on Palvelumanuaalin automaattinen viesti."),
            ]
        )
        + "\n"
    )


@transaction.atomic
def mark_reviewed(page, user):
    """Record today's review on a service and its translations, leaving content untouched.

    Wagtail keeps the live values on the page row but loads the edit form from
    the latest revision when there are unpublished changes, and publishes
    pending (draft, in-moderation or scheduled) revisions as they were saved.
    So the date is written with ``update()`` on the page rows — no new
    revision, no publish, nothing else changes — and patched into every
    revision newer than the live one, so publishing a pending draft later
    does not bring the old date back. wagtail-localize's frozen source copy is
    patched too, so updating a translation from it keeps the date.
    """
    today = timezone.localdate()
    pages = list(ServicePage.objects.filter(translation_key=page.translation_key))
    ServicePage.objects.filter(pk__in=[p.pk for p in pages]).update(last_reviewed_at=today)
    for each in pages:
        _patch_pending_revisions(each, today)
    _patch_translation_sources(page.translation_key, today)
    for each in pages:
        log(
            instance=each,
            action=MARK_REVIEWED_ACTION,
            user=user,
            data={"last_reviewed_at": today.isoformat()},
        )
    page.last_reviewed_at = today
    return today


def _patch_pending_revisions(page, today):
    pending = page.revisions.all()
    if page.live_revision_id is not None:
        pending = pending.filter(pk__gt=page.live_revision_id)
    for revision in pending:
        revision.content["last_reviewed_at"] = today.isoformat()
        revision.save(update_fields=["content"])


def _patch_translation_sources(translation_key, today):
    from wagtail_localize.models import TranslationSource

    for source in TranslationSource.objects.filter(object_id=translation_key):
        content = json.loads(source.content_json)
        if "last_reviewed_at" in content:
            content["last_reviewed_at"] = today.isoformat()
            source.content_json = json.dumps(content, cls=DjangoJSONEncoder)
            source.save(update_fields=["content_json"])


def register_log_actions(actions):
    """The audit-log entry shown in a page's history ("Merkitty tarkistetuksi")."""
    actions.register_action(
        MARK_REVIEWED_ACTION,
        gettext_lazy("Merkitse tarkistetuksi"),
        gettext_lazy("Merkitty tarkistetuksi"),
    )

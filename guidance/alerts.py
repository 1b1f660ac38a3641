"""Saved-search alerts (hakuvahti): an e-mail when a new service matches a saved search.

A service is new to a saved search when its first publication (in any
language) came after the search was saved. Each saved search with alerts
on tells its owner about each such service once, the first time it is
published matching the search and visible to the owner:
``SavedSearchAlert`` records it, so publishing the service again or updating
it never sends another e-mail. A service the owner may not see (behind a
restriction they do not pass, unpublished) is never named.

How a publication becomes an e-mail, in the pattern of the webhooks' outbox
(webhooks.events): Wagtail's ``page_published`` writes one
``ServicePublication`` row in the publishing transaction; after the commit,
``send_pending_alerts`` works through the rows: nothing is sent for a
publication that is rolled back, and nothing before the service is really
there. The alert rows of one e-mail and the e-mail share a transaction, so
a failed send records nothing and the publications stay for the next try
(``manage.py send_saved_search_alerts``, also a CronJob for that reason), for
a day at most. A concurrent run that recorded the same alerts first makes
the other skip.

The work after a commit is a few queries per saved search with alerts on,
run in the publishing request (as Wagtail's own post-publish work is); an
import that publishes hundreds of services does it once.
"""

import logging
import smtplib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from graphql import GraphQLError

from catalogue.models import ServicePage
from cms import localisation
from guidance import saved_searches
from guidance.models import SavedSearch, SavedSearchAlert, ServicePublication
from search.backends.database import listed_among

logger = logging.getLogger(__name__)

# Publications worked through at a time.
BATCH = 500
# How long the sends of a publication are tried again before they are given up.
GIVE_UP_AFTER = timedelta(days=1)


@dataclass
class AlertSummary:
    publications: int = 0
    emails_sent: int = 0
    services_named: int = 0
    failed: int = 0  # e-mails that could not be sent; tried again on the next run

    def lines(self):
        lines = [
            f"Publications handled: {self.publications}",
            f"E-mails sent: {self.emails_sent}",
            f"Services named: {self.services_named}",
        ]
        if self.failed:
            lines.append(f"E-mails failed (tried again next run): {self.failed}")
        return lines


def service_published(sender, instance, **kwargs):
    """``page_published`` receiver: a published service goes into the outbox; alerts after
    the commit."""
    if not isinstance(instance, ServicePage):
        return
    ServicePublication.objects.create(translation_key=instance.translation_key)
    connection = transaction.get_connection()
    if connection.in_atomic_block and _waiting(connection) is not None:
        return  # once per transaction, however many services it publishes
    callback = _AfterCommit()
    connection._saved_search_alerts = callback
    # robust: a failure is logged and the publishing request goes on; the rows stay.
    transaction.on_commit(callback, robust=True)


class _AfterCommit:
    """The alert run a transaction has asked for; knows whether it has run."""

    done = False

    def __call__(self):
        self.done = True
        send_pending_alerts()


def _waiting(connection):
    """The alert run registered in the connection's transaction that has not run yet, if it
    is still among the transaction's callbacks (a rolled-back savepoint drops its own)."""
    callback = getattr(connection, "_saved_search_alerts", None)
    if callback is None or callback.done:
        return None
    if not any(registered is callback for _ids, registered, _robust in connection.run_on_commit):
        return None
    return callback


def _first_publications(keys):
    """When each service (translation group) was first published, in any language."""
    rows = (
        ServicePage.objects.filter(translation_key__in=keys, first_published_at__isnull=False)
        .values("translation_key")
        .annotate(first=Min("first_published_at"))
    )
    return {row["translation_key"]: row["first"] for row in rows}


def send_pending_alerts():
    """Work through the outbox: e-mail each saved search's new matching services once.

    A batch in which an e-mail could not be sent stays in the outbox for the
    next run (what was sent is recorded, so nothing goes twice), but not for
    ever: publications whose sends have failed for ``GIVE_UP_AFTER`` are let go.
    """
    summary = AlertSummary()
    last = 0
    while True:
        publications = list(ServicePublication.objects.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not publications:
            return summary
        last = publications[-1].pk
        failed_before = summary.failed
        _alert(publications, summary)
        summary.publications += len(publications)
        handled = publications
        if summary.failed > failed_before:
            given_up = timezone.now() - GIVE_UP_AFTER
            handled = [p for p in publications if p.published_at < given_up]
        ServicePublication.objects.filter(pk__in=[p.pk for p in handled]).delete()


def _alert(publications, summary):
    keys = {publication.translation_key for publication in publications}
    first = _first_publications(keys)
    alerted = set(
        SavedSearchAlert.objects.filter(translation_key__in=keys).values_list(
            "saved_search_id", "translation_key"
        )
    )
    searches = (
        SavedSearch.objects.filter(alerts=True, owner__is_active=True)
        .exclude(owner__email="")
        .select_related("owner")
    )
    for saved in searches:
        new = {
            key
            for key in keys
            if key in first and first[key] >= saved.created_at and (saved.pk, key) not in alerted
        }
        if not new:
            continue
        try:
            request = saved_searches.request_of(saved, saved_searches.ALERT_VALIDITY)
            request.validate()
            matching = listed_among(request, new)
        except GraphQLError as error:  # a term of its filter has been removed since
            logger.warning("Saved search %s cannot be run: %s", saved.pk, error.message)
            continue
        if not matching:
            continue
        try:
            named = _send_alert(saved, request, matching)
        except IntegrityError:
            continue  # a concurrent run recorded (and sends) these
        except (smtplib.SMTPException, OSError):
            logger.exception("Saved-search alert to %s could not be sent", saved.owner.email)
            summary.failed += 1
            continue
        summary.emails_sent += 1
        summary.services_named += named


@transaction.atomic
def _send_alert(saved, request, keys):
    """Record and send one e-mail naming the services (translation keys); returns how many."""
    services = list(
        localisation.served(
            ServicePage.objects.filter(request.visibility.page_filter(), translation_key__in=keys),
            request.locale,
        ).order_by("title")
    )
    SavedSearchAlert.objects.bulk_create(
        SavedSearchAlert(saved_search=saved, translation_key=service.translation_key)
        for service in services
    )
    with translation.override(request.locale.language_code):
        send_mail(
            alert_subject(saved),
            alert_body(saved, services),
            settings.DEFAULT_FROM_EMAIL,
            [saved.owner.email],
            fail_silently=False,
        )
    return len(services)


def _service_url(page):
    url = page.get_url() or ""
    if url.startswith(("http://", "https://")):
        return url
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url


def alert_subject(saved):
    return gettext("Palvelumanuaali: uusia palveluita haulla %(name)s") % {"name": saved.name}


def alert_body(saved, services):
    """Plain text in the saved search's language; every sentence goes through gettext."""
    intro = ngettext(
        "tallentamaasi hakua ”%(name)s” vastaa uusi palvelu:",
        "tallentamaasi hakua ”%(name)s” vastaa %(count)d uutta palvelua:",
        len(services),
    ) % {"name": saved.name, "count": len(services)}
    items = [
        "\n".join(
            line
            for line in (f"- {service.title}", service.summary and f"  {service.summary}")
            if line
        )
        + f"\n  {_service_url(service)}"
        for service in services
    ]
    return (
        "\n\n".join(
            [
                gettext("Hei,"),
                intro + "\n\n" + "\n\n".join(items),
                gettext(
                    "Ilmoitukset loppuvat, kun poistat haun tai sen ilmoitukset siinä "
                    "palvelussa, jossa tallensit haun."
                ),
                gettext("Tämä on Palvelumanuaalin automaattinen viesti."),
            ]
        )
        + "\n"
    )

"""Sending the outbox: queueing events for endpoints, delivering in order, retrying, giving up.

Only the worker (``manage.py deliver_webhooks --loop``) sends, polling every
couple of seconds: nothing is sent inside the editor's transaction or
request, an import of hundreds of pages sends nothing until it has committed,
and an event committed just before a crash is still in the outbox when the
worker next looks.

Per endpoint, deliveries go out in the order of their events, one at a time:
while the oldest pending delivery is failing, the ones behind it wait. A
failed attempt (no answer within ``TIMEOUT_SECONDS``, a connection error, any
status other than 2xx, a redirect, which is never followed) is retried after
``BACKOFF_BASE`` doubled per attempt, at most ``BACKOFF_CAP``. A delivery is
given up (status failed, shown in the admin's log with its re-send button)
after ``MAX_ATTEMPTS`` attempts, about 23 hours, or once it has been queued
for ``MAX_AGE``; then the next one in line is tried.

One sender at a time per endpoint: a sender holds a lease on the endpoint
(a conditional UPDATE, the same on PostgreSQL and SQLite) and renews it before
each attempt, so two workers never send the same endpoint's deliveries, and a
crashed worker's lease runs out after ``LEASE``.
"""

import logging
import urllib.error
import urllib.request
import uuid
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from webhooks import signing
from webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 5
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=1)
MAX_ATTEMPTS = 30
MAX_AGE = timedelta(hours=24)
# Events (and their deliveries) are kept this long once nothing is pending.
RETENTION = timedelta(days=30)
LEASE = timedelta(seconds=60)
# Deliveries sent to one endpoint before the next endpoint has its turn.
BATCH = 100
USER_AGENT = "Palvelumanuaali-Webhooks/1"


def backoff(attempts):
    """The wait after the ``attempts``-th failed attempt."""
    return min(BACKOFF_BASE * 2 ** (attempts - 1), BACKOFF_CAP)


def queue_events():
    """Create each new event's deliveries: for every endpoint in use, internal events only
    for those that receive them. Returns the number of events queued."""
    queued = 0
    while True:
        with transaction.atomic():
            batch = list(WebhookEvent.objects.filter(queued=False).order_by("pk")[:500])
            if not batch:
                return queued
            endpoints = list(WebhookEndpoint.objects.filter(active=True))
            WebhookDelivery.objects.bulk_create(
                [
                    WebhookDelivery(endpoint=endpoint, event=event, queued_at=event.created_at)
                    for event in batch
                    for endpoint in endpoints
                    if (endpoint.receives_internal or not event.internal)
                    and event.created_at >= endpoint.created_at
                ],
                # Another worker may be queueing the same events.
                ignore_conflicts=True,
            )
            WebhookEvent.objects.filter(pk__in=[event.pk for event in batch]).update(queued=True)
            queued += len(batch)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the 3xx answer is the outcome: a failed attempt, the log says where to


_opener = urllib.request.build_opener(_NoRedirects)


def post(url, body, headers):
    """POST the body; returns ``(status code or None, error text)``."""
    if not url.lower().startswith(("https://", "http://")):
        return None, "only http and https addresses are called"
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, ""
    except urllib.error.HTTPError as error:
        error.close()
        location = error.headers.get("Location")
        redirect = f" (redirect to {location} not followed)" if location else ""
        return error.code, f"HTTP {error.code} {error.reason}{redirect}"
    except (urllib.error.URLError, OSError) as error:
        return None, str(getattr(error, "reason", error)) or error.__class__.__name__


def attempt(delivery, now):
    """One attempt of one delivery; records the outcome. Returns whether it was delivered."""
    event, endpoint = delivery.event, delivery.endpoint
    body = event.body()
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Idempotency-Key": str(event.uuid),
        "X-Palvelumanuaali-Event": event.type,
        signing.SIGNATURE_HEADER: signing.header(endpoint.secret, timestamp, body),
    }
    code, error = post(endpoint.url, body, headers)
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.response_code = code
    delivery.last_error = error
    delivered = code is not None and 200 <= code < 300
    if delivered:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
    elif delivery.attempts >= MAX_ATTEMPTS or now - delivery.queued_at >= MAX_AGE:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
        logger.warning("Webhook delivery %s to %s given up: %s", event.uuid, endpoint, error)
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts)
    delivery.save()
    return delivered


def _claim(endpoint):
    """The lease on the endpoint for this sender, or None if another sender holds it."""
    token = uuid.uuid4().hex
    now = timezone.now()
    claimed = (
        WebhookEndpoint.objects.filter(pk=endpoint.pk)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_until=now + LEASE, lease_owner=token)
    )
    return token if claimed else None


def _renew(endpoint, token):
    mine = WebhookEndpoint.objects.filter(pk=endpoint.pk, lease_owner=token)
    return mine.update(lease_until=timezone.now() + LEASE) == 1


def _release(endpoint, token):
    WebhookEndpoint.objects.filter(pk=endpoint.pk, lease_owner=token).update(
        lease_until=None, lease_owner=""
    )


def send_endpoint(endpoint, now):
    """Send the endpoint's due deliveries in order, up to ``BATCH``, until one fails and waits
    for its retry. Returns ``(delivered, failed attempts)``."""
    token = _claim(endpoint)
    if token is None:
        return 0, 0
    delivered = failed = 0
    try:
        pending = endpoint.deliveries.filter(status=WebhookDelivery.Status.PENDING)
        for _ in range(BATCH):
            head = pending.select_related("event", "endpoint").order_by("event_id").first()
            if head is None or (head.next_attempt_at and head.next_attempt_at > now):
                break
            if not _renew(endpoint, token):
                break
            if attempt(head, now):
                delivered += 1
                continue
            failed += 1
            if head.status == WebhookDelivery.Status.PENDING:
                break  # it holds the line until its retry; a given-up one no longer does
    finally:
        _release(endpoint, token)
    return delivered, failed


def deliver(now=None):
    """One pass of the worker: queue new events, send what is due. Returns
    ``(delivered, failed attempts)``."""
    now = now or timezone.now()
    queue_events()
    delivered = failed = 0
    for endpoint in WebhookEndpoint.objects.filter(active=True):
        sent, failures = send_endpoint(endpoint, now)
        delivered += sent
        failed += failures
    return delivered, failed


def resend(deliveries):
    """Queue these deliveries again from scratch (the admin's re-send): the same event, so
    the same body and Idempotency-Key. Returns how many."""
    return deliveries.update(
        status=WebhookDelivery.Status.PENDING,
        attempts=0,
        queued_at=timezone.now(),
        next_attempt_at=None,
        delivered_at=None,
        response_code=None,
        last_error="",
    )


def prune(now=None):
    """Forget events older than ``RETENTION`` that nothing is waiting to send."""
    cutoff = (now or timezone.now()) - RETENTION
    old = WebhookEvent.objects.filter(created_at__lt=cutoff, queued=True)
    return old.exclude(deliveries__status=WebhookDelivery.Status.PENDING).delete()[0]

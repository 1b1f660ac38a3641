"""Deliveries reach a real receiver signed, in order, retried with back-off, and given up.

Every test sends over real HTTP to a receiver on 127.0.0.1 (conftest.py).
Time is the only thing the tests choose: the worker's ``deliver(now=…)``
takes the moment it acts at, so back-off needs no waiting.
"""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from catalogue.models import ServicePage
from guides.models import ProcessInstructionPage
from webhooks import sender, signing
from webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent

pytestmark = pytest.mark.django_db


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def add_service(parent, key, title="Työkokeilu"):
    service = parent.add_child(
        instance=ServicePage(
            title=title, slug=key, key=key, responsible_email="owner@example.org", live=False
        )
    )
    return publish(service)


def bodies(receiver):
    return [json.loads(request.body) for request in receiver.requests]


def test_a_delivery_is_signed_with_the_endpoints_secret_and_carries_the_event(
    organisation, receiver, endpoint
):
    add_service(organisation, "work-trial")
    now = timezone.now()

    assert sender.deliver(now) == (1, 0)

    [request] = receiver.requests
    header = request.headers[signing.SIGNATURE_HEADER]
    timestamp = int(dict(part.split("=", 1) for part in header.split(","))["t"])
    assert timestamp == int(now.timestamp())
    assert signing.verify(endpoint.secret, header, request.body, now=now.timestamp())
    assert not signing.verify("another secret", header, request.body, now=now.timestamp())
    # A replay a day later is refused by its age alone.
    assert not signing.verify(endpoint.secret, header, request.body, now=now.timestamp() + 86400)
    event = WebhookEvent.objects.get()
    assert request.headers["Idempotency-Key"] == str(event.uuid)
    assert request.headers["Content-Type"] == "application/json"
    body = json.loads(request.body)
    assert body["id"] == str(event.uuid)
    assert body["type"] == "page.published"
    assert body["sequence"] == event.pk
    assert body["page"]["key"] == "work-trial"
    assert body["page"]["kind"] == "SERVICE"
    assert WebhookDelivery.objects.get().status == "delivered"


def test_the_same_event_sent_again_carries_the_same_idempotency_key_and_body(
    organisation, receiver, endpoint
):
    add_service(organisation, "work-trial")
    sender.deliver()

    sender.resend(WebhookDelivery.objects.all())
    sender.deliver()

    first, again = receiver.requests
    assert again.headers["Idempotency-Key"] == first.headers["Idempotency-Key"]
    assert again.body == first.body


def test_a_failing_receiver_is_retried_with_back_off_and_delivered_on_the_third_attempt(
    organisation, receiver, endpoint
):
    add_service(organisation, "work-trial")
    receiver.statuses = [500, 500]
    start = timezone.now()

    sender.deliver(start)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("pending", 1, 500)
    assert delivery.next_attempt_at == start + timedelta(seconds=30)

    sender.deliver(start + timedelta(seconds=20))  # not due yet
    assert len(receiver.requests) == 1

    sender.deliver(start + timedelta(seconds=30))
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_error) == (2, "HTTP 500 Internal Server Error")
    assert delivery.next_attempt_at == start + timedelta(seconds=30 + 60)

    sender.deliver(start + timedelta(seconds=90))
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 3, 200)
    assert delivery.next_attempt_at is None
    assert len(receiver.requests) == 3
    assert len({r.headers["Idempotency-Key"] for r in receiver.requests}) == 1


def test_a_delivery_is_given_up_after_the_maximum_attempts_and_the_next_one_goes(
    organisation, receiver, endpoint
):
    add_service(organisation, "work-trial")
    add_service(organisation, "career-coaching", "Uravalmennus")
    receiver.statuses = [503] * sender.MAX_ATTEMPTS
    now = timezone.now()
    first = WebhookDelivery.objects.none()

    for _ in range(sender.MAX_ATTEMPTS):
        sender.deliver(now)
        first = WebhookDelivery.objects.order_by("event_id").first()
        now = first.next_attempt_at or now

    assert (first.status, first.attempts, first.next_attempt_at) == ("failed", 30, None)
    assert first.last_attempt_at - first.queued_at < sender.MAX_AGE
    # Only the first was tried while it failed; the second went once it was given up.
    keys = [body["page"]["key"] for body in bodies(receiver)]
    assert keys == ["work-trial"] * 30 + ["career-coaching"]
    assert WebhookDelivery.objects.order_by("event_id").last().status == "delivered"


def test_a_redirect_is_not_followed_but_is_a_failed_attempt(organisation, receiver, endpoint):
    add_service(organisation, "work-trial")
    receiver.statuses = [301]

    sender.deliver()

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.response_code) == ("pending", 301)
    assert "not followed" in delivery.last_error
    assert [request.path for request in receiver.requests] == ["/hook/"]


def test_a_receiver_that_was_down_catches_up_in_order(organisation, receiver, endpoint):
    for key in ("work-trial", "career-coaching", "youth-workshop"):
        add_service(organisation, key)
    receiver.statuses = [503, 503]
    start = timezone.now()

    sender.deliver(start)
    sender.deliver(start + timedelta(seconds=30))
    sender.deliver(start + timedelta(seconds=90))

    keys = [body["page"]["key"] for body in bodies(receiver)]
    assert keys == ["work-trial"] * 3 + ["career-coaching", "youth-workshop"]
    sequences = [body["sequence"] for body in bodies(receiver)[2:]]
    assert sequences == sorted(sequences)


def test_an_internal_instruction_goes_only_to_an_endpoint_that_receives_internal_events(
    site_tree, organisation, receiver, endpoint, internal_receiver
):
    WebhookEndpoint.objects.create(
        name="Asiantuntijoiden frontend", url=internal_receiver.url, receives_internal=True
    )
    service = add_service(organisation, "work-trial")
    area = next(iter(site_tree.area_pages.values()))
    publish(
        area.add_child(
            instance=ProcessInstructionPage(
                title="Ohje", slug="ohje", key="work-trial-ohje", service=service, live=False
            )
        )
    )

    sender.deliver()

    assert [body["page"]["key"] for body in bodies(receiver)] == ["work-trial"]
    assert [(body["page"]["key"], body["page"]["kind"]) for body in bodies(internal_receiver)] == [
        ("work-trial", "SERVICE"),
        ("work-trial-ohje", "INSTRUCTION"),
    ]
    assert not any(b"work-trial-ohje" in request.body for request in receiver.requests)


def test_an_endpoint_not_in_use_receives_nothing(organisation, receiver, endpoint):
    endpoint.active = False
    endpoint.save()
    add_service(organisation, "work-trial")

    sender.deliver()

    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_an_event_committed_before_a_crash_is_delivered_exactly_once_by_the_worker(
    organisation, receiver, endpoint, django_capture_on_commit_callbacks
):
    # The commit runs whatever waits for it; nothing sends, as if the process died then.
    with django_capture_on_commit_callbacks(execute=True):
        add_service(organisation, "work-trial")
    assert receiver.requests == []
    assert WebhookEvent.objects.get().page["key"] == "work-trial"

    call_command("deliver_webhooks", stdout=StringIO())
    call_command("deliver_webhooks", stdout=StringIO())

    [request] = receiver.requests
    assert json.loads(request.body)["page"]["key"] == "work-trial"
    assert WebhookDelivery.objects.get().status == "delivered"


def test_two_senders_never_send_the_same_endpoint_at_once(organisation, receiver, endpoint):
    add_service(organisation, "work-trial")
    sender.queue_events()
    token = sender._claim(endpoint)  # another worker holds the endpoint

    assert sender.deliver() == (0, 0)
    assert receiver.requests == []

    sender._release(endpoint, token)
    assert sender.deliver() == (1, 0)

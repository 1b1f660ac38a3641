"""Administrators manage endpoints and re-send deliveries from the admin; nobody else sees them."""

import json

import pytest
from django.urls import reverse

from catalogue.models import ServicePage
from webhooks import sender
from webhooks.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(role_user):
    return role_user("administrator")


def publish_service(organisation, key="work-trial"):
    service = organisation.add_child(
        instance=ServicePage(
            title="Työkokeilu", slug=key, key=key, responsible_email="owner@example.org", live=False
        )
    )
    service.save_revision().publish()
    return service


def test_an_administrator_registers_an_endpoint_from_the_settings_menu(
    administrator, client, receiver
):
    client.force_login(administrator)
    assert "Julkaisuilmoitukset" in client.get(reverse("wagtailadmin_home")).content.decode()

    response = client.post(
        reverse("webhook_endpoints:add"),
        {"name": "Julkinen frontend", "url": receiver.url, "secret": "s3cret", "active": "on"},
    )

    assert response.status_code == 302
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.url, endpoint.secret, endpoint.receives_internal) == (
        receiver.url,
        "s3cret",
        False,
    )


def test_an_administrator_re_sends_a_delivery_from_its_log(
    administrator, client, organisation, receiver, endpoint
):
    publish_service(organisation)
    sender.deliver()
    delivery = WebhookDelivery.objects.get()
    client.force_login(administrator)
    log_url = reverse("webhooks_log:endpoint", args=[endpoint.pk])

    log = client.get(log_url).content.decode()
    assert "work-trial" in log
    assert "toimitettu" in log.lower() or "delivered" in log.lower()

    response = client.post(reverse("webhooks_log:resend", args=[endpoint.pk, delivery.pk]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 0)

    sender.deliver()

    first, again = receiver.requests
    assert again.headers["Idempotency-Key"] == first.headers["Idempotency-Key"]
    assert json.loads(again.body)["page"]["key"] == "work-trial"


def test_an_administrator_re_sends_every_failed_delivery_at_once(
    administrator, client, organisation, receiver, endpoint
):
    publish_service(organisation, "work-trial")
    publish_service(organisation, "career-coaching")
    sender.deliver()
    WebhookDelivery.objects.update(status="failed")
    client.force_login(administrator)

    client.post(reverse("webhooks_log:resend_failed", args=[endpoint.pk]))
    sender.deliver()

    keys = [json.loads(request.body)["page"]["key"] for request in receiver.requests]
    assert keys == ["work-trial", "career-coaching"] * 2
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}


@pytest.mark.parametrize("role", ["producer", "expert"])
def test_no_one_but_an_administrator_sees_the_webhook_admin(
    role, role_user, client, organisation, endpoint
):
    publish_service(organisation)
    sender.deliver()
    delivery = WebhookDelivery.objects.get()
    user = role_user(role, area_code="091") if role == "producer" else role_user(role)
    client.force_login(user)

    assert "Julkaisuilmoitukset" not in client.get(reverse("wagtailadmin_home")).content.decode()
    for url in (
        reverse("webhook_endpoints:index"),
        reverse("webhook_endpoints:edit", args=[endpoint.pk]),
        reverse("webhooks_log:endpoint", args=[endpoint.pk]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert endpoint.secret not in response.content.decode()
    response = client.post(reverse("webhooks_log:resend", args=[endpoint.pk, delivery.pk]))
    assert response.status_code in (302, 403)
    delivery.refresh_from_db()
    assert delivery.status == "delivered"

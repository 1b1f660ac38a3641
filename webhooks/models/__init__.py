"""The endpoints frontends register, the outbox of events, and each endpoint's deliveries."""

from webhooks.models.delivery import WebhookDelivery
from webhooks.models.endpoint import WebhookEndpoint
from webhooks.models.event import WebhookEvent

__all__ = ["WebhookDelivery", "WebhookEndpoint", "WebhookEvent"]

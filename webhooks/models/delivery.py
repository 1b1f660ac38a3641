"""One event on its way to one endpoint: the delivery log."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from webhooks.models.endpoint import WebhookEndpoint
from webhooks.models.event import WebhookEvent


class WebhookDelivery(models.Model):
    """Toimitus: an event to an endpoint, its attempts and their outcome (webhooks.sender)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("odottaa")
        DELIVERED = "delivered", _("toimitettu")
        FAILED = "failed", _("epäonnistui")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(
        _("tila"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("yrityksiä"), default=0)
    # Since when it has been trying: the give-up age counts from here (reset by a re-send).
    queued_at = models.DateTimeField(_("jonossa alkaen"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("seuraava yritys"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("viimeisin yritys"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("toimitettu"), null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(_("vastauskoodi"), null=True, blank=True)
    last_error = models.TextField(_("viimeisin virhe"), blank=True)

    class Meta:
        ordering = ["-event_id"]
        verbose_name = _("toimitus")
        verbose_name_plural = _("toimitukset")
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event"], name="webhooks_one_delivery_per_endpoint"
            )
        ]
        indexes = [models.Index(fields=["endpoint", "status", "event"])]

    def __str__(self):
        return f"{self.event} → {self.endpoint} ({self.status})"

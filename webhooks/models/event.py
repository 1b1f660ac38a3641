"""The outbox: one row per change of a delivered page, written in the change's transaction."""

import json
import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WebhookEvent(models.Model):
    """Julkaisutapahtuma: a delivered page was published, unpublished, deleted or moved.

    ``page`` is what receivers get (key, locale, kind, addresses), captured when
    the change happened: the page may be gone or elsewhere by the time it is sent.
    """

    class Type(models.TextChoices):
        PUBLISHED = "page.published", _("julkaistu")
        UNPUBLISHED = "page.unpublished", _("julkaisu peruttu")
        DELETED = "page.deleted", _("poistettu")
        MOVED = "page.moved", _("siirretty")

    # The event's identity for receivers, sent as the Idempotency-Key of every attempt.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    type = models.CharField(_("tapahtuma"), max_length=20, choices=Type.choices)
    internal = models.BooleanField(
        _("sisäinen"), help_text=_("The page sits behind a view restriction.")
    )
    page = models.JSONField(_("sivu"))
    created_at = models.DateTimeField(_("aika"), default=timezone.now, db_index=True)
    # Deliveries are created for the endpoints by the sender, not in the editor's transaction.
    queued = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("julkaisutapahtuma")
        verbose_name_plural = _("julkaisutapahtumat")
        indexes = [
            models.Index(
                fields=["id"], condition=models.Q(queued=False), name="webhooks_event_unqueued"
            )
        ]

    def __str__(self):
        page = self.page
        return f"{self.type} {page.get('kind')} {page.get('key')} ({page.get('locale')})"

    def body(self):
        """The request body, the same bytes on every attempt (and in the signature)."""
        document = {
            "id": str(self.uuid),
            "sequence": self.pk,
            "type": self.type,
            "occurredAt": self.created_at.isoformat(timespec="seconds"),
            "page": self.page,
        }
        return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()

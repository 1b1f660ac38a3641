"""The ground floor's one model: when an API token expires.

Wagtail's ``APIToken`` (``wagtail.models.api``) can be revoked but has no
expiry of its own, so the expiry sits beside it, one-to-one; a token without
one never expires. cms.api_tokens reads it and refuses an expired token.
"""

from django.db import models
from django.utils.translation import gettext_lazy
from wagtail.models import APIToken


class APITokenExpiry(models.Model):
    """The time after which an API token no longer authenticates anyone."""

    token = models.OneToOneField(
        APIToken,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="expiry",
        verbose_name=gettext_lazy("API-avain"),
    )
    expires_at = models.DateTimeField(gettext_lazy("voimassa asti"))

    class Meta:
        verbose_name = gettext_lazy("API-avaimen voimassaolo")
        verbose_name_plural = gettext_lazy("API-avainten voimassaolot")

    def __str__(self):
        return f"{self.token} → {self.expires_at:%Y-%m-%d %H:%M}"

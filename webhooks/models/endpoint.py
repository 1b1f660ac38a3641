"""A receiver of publish webhooks, registered by an administrator."""

import secrets

from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


def new_secret():
    return secrets.token_urlsafe(32)


class WebhookEndpoint(models.Model):
    """Vastaanottaja: a frontend's URL that hears about published, unpublished, deleted and
    moved pages, with the secret its deliveries are signed with."""

    name = models.CharField(_("nimi"), max_length=100)
    url = models.URLField(
        _("osoite"),
        max_length=500,
        validators=[URLValidator(schemes=["https", "http"])],
        help_text=_("HTTPS address the events are POSTed to; redirects are not followed."),
    )
    secret = models.CharField(
        _("salaisuus"),
        max_length=100,
        default=new_secret,
        help_text=_(
            "Deliveries are signed with this (HMAC-SHA256); give it to the receiver. "
            "Changing it takes effect with the next attempt."
        ),
    )
    receives_internal = models.BooleanField(
        _("vastaanottaa sisäiset tapahtumat"),
        default=False,
        help_text=_(
            "Also events of internal pages (process instructions, internal guides). "
            "Only for frontends of the experts: the receiver learns their keys and addresses."
        ),
    )
    active = models.BooleanField(
        _("käytössä"),
        default=True,
        help_text=_("An endpoint not in use receives nothing, and nothing is queued for it."),
    )
    created_at = models.DateTimeField(_("luotu"), default=timezone.now, editable=False)
    # One sender at a time per endpoint keeps its deliveries in order (webhooks.sender).
    lease_until = models.DateTimeField(null=True, editable=False)
    lease_owner = models.CharField(max_length=32, blank=True, editable=False)

    panels = [
        FieldPanel("name"),
        FieldPanel("url"),
        FieldPanel("secret"),
        FieldPanel("receives_internal"),
        FieldPanel("active"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("julkaisuilmoitusten vastaanottaja")
        verbose_name_plural = _("julkaisuilmoitusten vastaanottajat")

    def __str__(self):
        return self.name

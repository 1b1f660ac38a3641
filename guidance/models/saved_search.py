"""Saved searches (tallennetut haut) and the record of what their alerts have said.

A signed-in user saves a ``services`` request (query text, filter, exclusion,
locale) under a name. With alerts on, the user is e-mailed when a service
first published after the search was saved matches it (guidance.alerts):
``SavedSearchAlert`` records each service alerted, once per saved search, so
a service published again or updated is never alerted twice.
``ServicePublication`` is the outbox between a publication and its alerts:
written in the publishing transaction, read after the commit.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedSearch(models.Model):
    """Tallennettu haku: a named ``services`` request of one signed-in user."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_searches",
        verbose_name=_("omistaja"),
    )
    name = models.CharField(_("nimi"), max_length=200)
    locale = models.CharField(_("kieli"), max_length=8)
    query = models.CharField(_("hakusanat"), max_length=200, blank=True)
    # ServiceFilter inputs as plain JSON (snake_case names, enum values lower case).
    filter = models.JSONField(_("suodattimet"), default=dict, blank=True)
    exclude = models.JSONField(_("poissulkevat suodattimet"), default=dict, blank=True)
    alerts = models.BooleanField(_("ilmoitukset uusista palveluista"), default=True)
    created_at = models.DateTimeField(_("luotu"), auto_now_add=True)

    class Meta:
        verbose_name = _("tallennettu haku")
        verbose_name_plural = _("tallennetut haut")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.name


class SavedSearchAlert(models.Model):
    """Hakuvahti-ilmoitus: one service an alert of a saved search has named."""

    saved_search = models.ForeignKey(
        SavedSearch,
        on_delete=models.CASCADE,
        related_name="alerted",
        verbose_name=_("tallennettu haku"),
    )
    # The service's translation group: one alert for all its language versions.
    translation_key = models.UUIDField(_("palvelun käännösavain"))
    sent_at = models.DateTimeField(_("lähetetty"), auto_now_add=True)

    class Meta:
        verbose_name = _("hakuvahdin ilmoitus")
        verbose_name_plural = _("hakuvahtien ilmoitukset")
        constraints = [
            models.UniqueConstraint(
                fields=["saved_search", "translation_key"], name="service_alerted_once_per_search"
            )
        ]

    def __str__(self):
        return f"{self.saved_search}: {self.translation_key}"


class ServicePublication(models.Model):
    """A service publication whose alerts are still to be worked out (the outbox)."""

    translation_key = models.UUIDField(_("palvelun käännösavain"))
    published_at = models.DateTimeField(_("julkaistu"), auto_now_add=True)

    class Meta:
        verbose_name = _("julkaistu palvelu (hakuvahdit käsittelemättä)")
        verbose_name_plural = _("julkaistut palvelut (hakuvahdit käsittelemättä)")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.translation_key} ({self.published_at})"

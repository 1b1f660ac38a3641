"""The audit log: sign-ins, lockouts, API tokens and changes of roles, for security review.

Wagtail's own log (Reports → Site history) records what was done to pages,
snippets and tokens; this one records who got in and who was given which
rights. Events are written by people.audit and read in *Reports →
Tietoturvaloki* (people.audit_report). Neither passwords nor tokens are ever
stored: a token is named by its display prefix (``wagtail_AbCd…``).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy


class AuditEvent(models.Model):
    """One security-relevant event: what happened, when, who did it, to whom, from where.

    The user names are copied beside the links so that the record still says
    who it was after the account is deleted.
    """

    class Action(models.TextChoices):
        SIGNED_IN = "signed_in", gettext_lazy("Kirjautui sisään")
        SIGNED_OUT = "signed_out", gettext_lazy("Kirjautui ulos")
        SIGN_IN_FAILED = "sign_in_failed", gettext_lazy("Epäonnistunut kirjautuminen")
        LOCKED_OUT = "locked_out", gettext_lazy("Kirjautuminen estetty")
        API_TOKEN_CREATED = "api_token_created", gettext_lazy("API-avain luotu")
        API_TOKEN_REVOKED = "api_token_revoked", gettext_lazy("API-avain peruttu")
        GROUP_MEMBER_ADDED = "group_member_added", gettext_lazy("Lisätty ryhmään")
        GROUP_MEMBER_REMOVED = "group_member_removed", gettext_lazy("Poistettu ryhmästä")
        GROUP_PERMISSIONS_CHANGED = (
            "group_permissions_changed",
            gettext_lazy("Ryhmän oikeudet muuttuivat"),
        )
        SUPERUSER_CHANGED = "superuser_changed", gettext_lazy("Pääkäyttäjyys muuttui")

    time = models.DateTimeField(gettext_lazy("aika"), default=timezone.now, db_index=True)
    action = models.CharField(gettext_lazy("tapahtuma"), max_length=40, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("tekijä"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_username = models.CharField(
        gettext_lazy("tekijän käyttäjätunnus"), max_length=150, blank=True
    )
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("kohdekäyttäjä"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_username = models.CharField(
        gettext_lazy("kohteen käyttäjätunnus"), max_length=150, blank=True
    )
    ip_address = models.GenericIPAddressField(gettext_lazy("IP-osoite"), null=True, blank=True)
    details = models.JSONField(gettext_lazy("tiedot"), default=dict, blank=True)

    class Meta:
        ordering = ["-time", "-pk"]
        indexes = [models.Index(fields=["action", "-time"])]
        verbose_name = gettext_lazy("tietoturvatapahtuma")
        verbose_name_plural = gettext_lazy("tietoturvatapahtumat")

    def __str__(self):
        return f"{self.time:%Y-%m-%d %H:%M:%S} {self.action} {self.target_username}"

    @property
    def summary(self):
        """The details as one line: ``group: Asiantuntijat; permissions: …``."""
        return "; ".join(
            f"{key}: {', '.join(map(str, value)) if isinstance(value, list) else value}"
            for key, value in self.details.items()
        )

"""Feedback (palaute) from the people services were recommended or shown to.

Two kinds, both anonymous: on a recommendation set (a rating 1–5 of the
services recommended together) and on one service (useful or not). Either may
carry a short free text.

Nothing here says who gave the feedback: no user, no IP address, no session,
no browser, not even the time of day — only the date, so that a row cannot be
matched with a web server's access log by its timestamp. Rate limiting counts
callers in the cache only (guidance.feedback). Like effectiveness figures,
feedback points at the Finnish source page, which stands for the service in
every language.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guidance.models.effectiveness import source_locale


class ServiceFeedback(models.Model):
    """Palaute palvelusta: whether one service was useful, with an optional text."""

    service = models.ForeignKey(
        "catalogue.ServicePage",
        verbose_name=_("palvelu"),
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to=source_locale,
    )
    useful = models.BooleanField(_("hyödyllinen"))
    text = models.TextField(_("teksti"), blank=True)
    given_on = models.DateField(_("annettu"), default=timezone.localdate, db_index=True)

    class Meta:
        verbose_name = _("palaute palvelusta")
        verbose_name_plural = _("palautteet palveluista")
        ordering = ["-given_on", "-pk"]

    def __str__(self):
        return f"{self.given_on}: {'+' if self.useful else '-'}"


class RecommendationFeedback(models.Model):
    """Palaute suosituksista: a rating of a set of recommended services, with an optional text.

    The questionnaire the recommendations came from may be named (its key and
    revision); what the client answered is never stored.
    """

    rating = models.PositiveSmallIntegerField(
        _("arvio"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = models.TextField(_("teksti"), blank=True)
    questionnaire_key = models.CharField(_("kyselyn tunniste"), max_length=100, blank=True)
    questionnaire_revision = models.PositiveIntegerField(_("kyselyn versio"), null=True, blank=True)
    given_on = models.DateField(_("annettu"), default=timezone.localdate, db_index=True)
    services = models.ManyToManyField(
        "catalogue.ServicePage",
        through="RecommendedService",
        related_name="+",
        verbose_name=_("suositellut palvelut"),
    )

    class Meta:
        verbose_name = _("palaute suosituksista")
        verbose_name_plural = _("palautteet suosituksista")
        ordering = ["-given_on", "-pk"]

    def __str__(self):
        return f"{self.given_on}: {self.rating}/5"


class RecommendedService(models.Model):
    """One service of a rated recommendation set, in the order it was recommended."""

    feedback = models.ForeignKey(
        RecommendationFeedback, on_delete=models.CASCADE, related_name="recommended"
    )
    service = models.ForeignKey(
        "catalogue.ServicePage",
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to=source_locale,
    )
    position = models.PositiveSmallIntegerField(_("sija"))

    class Meta:
        ordering = ["feedback", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["feedback", "service"], name="guidance_service_once_per_recommendation"
            )
        ]

    def __str__(self):
        return f"{self.position}. {self.service_id}"

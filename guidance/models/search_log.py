"""Anonymous search statistics (hakutilasto) behind the search-problems report.

One row per week, language, audience and normalised query text, holding only
counts: searches, searches that found nothing, and results opened. Nothing
says who searched: no user, address, session or time finer than the week.
guidance.search_log decides what is recorded (and what is never: text that
looks like personal data).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from catalogue.models import ServicePage


class SearchStatistic(models.Model):
    """Hakutilasto: how often one query was searched in one week, and how it went."""

    week = models.DateField(_("viikko (maanantai)"))
    language = models.CharField(_("kieli"), max_length=8)
    audience = models.CharField(
        _("asiakasryhmä"), max_length=10, choices=ServicePage.Audience.choices, blank=True
    )
    query = models.CharField(_("hakusanat"), max_length=200)
    searches = models.PositiveIntegerField(_("hakuja"), default=0)
    zero_results = models.PositiveIntegerField(_("hakuja ilman tuloksia"), default=0)
    opened = models.PositiveIntegerField(_("avattuja tuloksia"), default=0)

    class Meta:
        verbose_name = _("hakutilasto")
        verbose_name_plural = _("hakutilastot")
        ordering = ["-week", "-searches", "query"]
        constraints = [
            models.UniqueConstraint(
                fields=["week", "language", "audience", "query"], name="one_statistic_per_query"
            )
        ]

    def __str__(self):
        return f"{self.week} {self.language} {self.query}"

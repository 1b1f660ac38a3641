"""Effectiveness figures (vaikuttavuusluvut): what a service is measured to achieve.

A service may have several figures: one per measure (employment three months
after the service, moving on to studies, client satisfaction, …) and period.
Each figure belongs to the service as a whole, across its translations: it
points at the Finnish source page (whose ``translation_key`` the Swedish and
English pages share), so a translation neither copies nor loses it.

Figures are maintained in the admin (Palvelut → Vaikuttavuusluvut) by producers
and administrators, and imported from CSV (guidance.effectiveness_import).
What they add up to for ranking is guidance.effectiveness.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Locale


class Unit(models.TextChoices):
    """The unit of a figure's value; it also says how the value is normalised for ranking
    (guidance.effectiveness)."""

    PERCENT = "percent", _("prosenttia (0–100)")
    SCALE_1_5 = "scale-1-5", _("asteikko 1–5")
    SCALE_0_10 = "scale-0-10", _("asteikko 0–10")
    COUNT = "count", _("lukumäärä")


# The range each unit's values must lie in; a count has no upper bound.
UNIT_RANGES = {
    Unit.PERCENT: (0, 100),
    Unit.SCALE_1_5: (1, 5),
    Unit.SCALE_0_10: (0, 10),
    Unit.COUNT: (0, None),
}


class Measure(models.TextChoices):
    """Mittari: what a figure measures. Higher is better for every measure."""

    EMPLOYED_3M = "employed-3m", _("työllistyneet 3 kk kuluttua")
    EMPLOYED_6M = "employed-6m", _("työllistyneet 6 kk kuluttua")
    STUDIES = "studies", _("opintoihin siirtyneet")
    COMPLETED = "completed", _("palvelun suorittaneet")
    SATISFACTION = "satisfaction", _("asiakastyytyväisyys")
    PARTICIPANTS = "participants", _("osallistujat")


# The unit a measure is usually given in: the import's default when a row leaves it out.
DEFAULT_UNITS = {
    Measure.EMPLOYED_3M: Unit.PERCENT,
    Measure.EMPLOYED_6M: Unit.PERCENT,
    Measure.STUDIES: Unit.PERCENT,
    Measure.COMPLETED: Unit.PERCENT,
    Measure.SATISFACTION: Unit.SCALE_1_5,
    Measure.PARTICIPANTS: Unit.COUNT,
}


def value_problem(value, unit):
    """Why ``value`` cannot be a value in ``unit`` (a message), or None when it can."""
    low, high = UNIT_RANGES[Unit(unit)]
    if high is None and value < low:
        return _("Arvo ei voi olla negatiivinen.")
    if high is not None and not low <= value <= high:
        return _("Arvon on oltava välillä %(low)s–%(high)s, kun yksikkö on %(unit)s.") % {
            "low": low,
            "high": high,
            "unit": Unit(unit).label,
        }
    return None


def source_locale():
    """Figures and feedback point at the Finnish source page of a service."""
    return Q(locale=Locale.get_default())


class EffectivenessFigure(models.Model):
    """Vaikuttavuusluku: one measured figure of one service over one period."""

    service = models.ForeignKey(
        "catalogue.ServicePage",
        verbose_name=_("palvelu"),
        on_delete=models.CASCADE,
        related_name="+",
        # The Finnish page stands for the service in every language.
        limit_choices_to=source_locale,
    )
    measure = models.CharField(_("mittari"), max_length=40, choices=Measure.choices)
    value = models.FloatField(_("arvo"))
    unit = models.CharField(_("yksikkö"), max_length=20, choices=Unit.choices)
    source = models.CharField(
        _("lähde"), max_length=300, blank=True, help_text=_("Kuka mittasi ja mistä aineistosta")
    )
    date = models.DateField(
        _("päivämäärä"),
        null=True,
        blank=True,
        help_text=_("Milloin luku julkaistiin tai laskettiin"),
    )
    period_start = models.DateField(_("jakso alkaen"))
    period_end = models.DateField(_("jakso päättyen"))
    updated_at = models.DateTimeField(_("päivitetty"), auto_now=True)

    panels = [
        FieldPanel("service"),
        FieldRowPanel([FieldPanel("measure"), FieldPanel("value"), FieldPanel("unit")]),
        FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")], heading=_("Jakso")),
        FieldRowPanel([FieldPanel("source"), FieldPanel("date")]),
    ]

    class Meta:
        verbose_name = _("vaikuttavuusluku")
        verbose_name_plural = _("vaikuttavuusluvut")
        ordering = ["service_id", "measure", "-period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "measure", "period_start", "period_end"],
                name="guidance_one_figure_per_measure_and_period",
            )
        ]

    def __str__(self):
        return (
            f"{self.get_measure_display()}: {self.value:g} ({self.period_start}–{self.period_end})"
        )

    def clean(self):
        super().clean()
        errors = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("Jakson loppu ei voi olla ennen alkua.")
        known = self.value is not None and self.unit in Unit.values
        if known and (problem := value_problem(self.value, self.unit)):
            errors["value"] = problem
        if errors:
            raise ValidationError(errors)

"""Suositusten painot: how much each part of a recommendation's score counts.

One set for the whole installation, tuned by administrators under Settings
(a Wagtail generic setting: only superusers hold its permission). The parts
and their meaning are documented in guidance.ranking and docs/guidance.md.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting

WEIGHT = [MinValueValidator(0), MaxValueValidator(100)]


def _weight(label, default, help_text):
    return models.FloatField(label, default=default, validators=WEIGHT, help_text=help_text)


class RecommendationWeights(BaseGenericSetting):
    """Suositusten painot: the weights of fit, lifts, priority, effectiveness and region."""

    fit = _weight(
        _("sopivuus"),
        3.0,
        _("Kuinka suuren osan asiakkaan palvelutarpeista ja elämäntilanteista palvelu kattaa."),
    )
    boost = _weight(
        _("nostot"),
        1.0,
        _("Vastausten nostamat luokitukset, koulutustaso ja osaaminen."),
    )
    priority = _weight(_("priorisointiluku"), 1.0, _("Palvelun priorisointiluku (0–100)."))
    effectiveness = _weight(_("vaikuttavuus"), 1.0, _("Palvelun vaikuttavuus (0–100)."))
    regional = _weight(
        _("alueellisuus"),
        0.5,
        _("Palvelu on asiakkaan oman työllisyysalueen palvelu."),
    )

    panels = [
        FieldPanel("fit"),
        FieldPanel("boost"),
        FieldPanel("priority"),
        FieldPanel("effectiveness"),
        FieldPanel("regional"),
    ]

    class Meta:
        verbose_name = _("suositusten painot")
        verbose_name_plural = _("suositusten painot")

    def weight(self, name, default=1.0):
        """The weight of a ranking part or signal by name; a signal without a field of its
        own here counts with ``default``."""
        names = {field.name for field in self._meta.fields if isinstance(field, models.FloatField)}
        return getattr(self, name) if name in names else default

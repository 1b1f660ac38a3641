"""A signed-in user's own settings (omat asetukset) for the frontends and the search defaults.

One row per user, created the first time a setting is saved: a user without
one has no home area and the list view. The home area (kotialue) is one of the
employment areas; a ``services`` request without a filter uses it
(guidance.personal). Per user, so never in the shared answer cache: the
frontends read the settings under ``me``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale


def finnish_areas():
    """Employment areas are chosen by their Finnish (default-locale) row."""
    return Q(locale__language_code=Locale.get_default().language_code)


class PersonalSettings(models.Model):
    """Omat asetukset: one signed-in user's home area and preferred result view."""

    class ResultView(models.TextChoices):
        LIST = "list", _("lista")
        CARDS = "cards", _("kortit")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="personal_settings",
        verbose_name=_("käyttäjä"),
    )
    home_area = models.ForeignKey(
        "catalogue.EmploymentArea",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=finnish_areas,
        verbose_name=_("kotialue"),
        help_text=_(
            "Työllisyysalue, jonka palvelut palveluhaku näyttää ensin, kun hakuun ei ole "
            "valittu suodattimia."
        ),
    )
    result_view = models.CharField(
        _("hakutulosten näkymä"),
        max_length=10,
        choices=ResultView.choices,
        default=ResultView.LIST,
    )
    updated_at = models.DateTimeField(_("muokattu"), auto_now=True)

    class Meta:
        verbose_name = _("omat asetukset")
        verbose_name_plural = _("omat asetukset")

    def __str__(self):
        return str(self.user)

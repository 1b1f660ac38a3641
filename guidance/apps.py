from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidanceConfig(AppConfig):
    """Guiding clients to suitable, effective services: questionnaires, recommendations
    with reasons, effectiveness, feedback, the employer view and personalisation."""

    name = "guidance"
    verbose_name = _("Ohjaus")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidanceConfig(AppConfig):
    """Guiding clients to suitable, effective services: questionnaires, recommendations
    with reasons, effectiveness, feedback, the employer view and personalisation."""

    name = "guidance"
    verbose_name = _("Ohjaus")

    def ready(self):
        from cms import content_generation
        from guidance.models import EffectivenessFigure

        # Services deliver their figures: a changed figure retires cached answers.
        # Feedback does not: anyone may give it, and it must not empty the cache at will.
        content_generation.track(EffectivenessFigure)

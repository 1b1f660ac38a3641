from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    """The national ecosystem: PTV fetch and export, map sources, open data."""

    name = "integrations"
    verbose_name = _("Integraatiot")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidesConfig(AppConfig):
    """Guides, articles, tools and internal process instructions."""

    name = "guides"
    verbose_name = _("Ohjeet ja oppaat")

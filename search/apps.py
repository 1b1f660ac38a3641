from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Site-wide search: backend configuration, indexing and query building."""

    name = "search"
    verbose_name = _("Haku")

    def ready(self):
        from search import signals

        signals.connect()

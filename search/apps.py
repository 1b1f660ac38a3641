from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Site-wide search: backend configuration, indexing and query building."""

    name = "search"
    verbose_name = _("Haku")

    def ready(self):
        from cms import content_generation
        from search import signals
        from search.models import Synonym

        signals.connect()
        # Synonyms change what a search finds.
        content_generation.track(Synonym)

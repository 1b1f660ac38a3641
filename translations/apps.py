from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranslationsConfig(AppConfig):
    """Translations of content: following the Finnish source, moderation, status, PO exchange."""

    name = "translations"
    verbose_name = _("Käännökset")

    def ready(self):
        from translations import sync

        # Translations follow their Finnish source when it is unpublished, deleted or moved.
        sync.connect_signals()

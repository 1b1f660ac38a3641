from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    """Publish webhooks: frontends hear when delivered pages change."""

    name = "webhooks"
    verbose_name = _("Julkaisuilmoitukset")

    def ready(self):
        from webhooks import signals

        signals.connect()

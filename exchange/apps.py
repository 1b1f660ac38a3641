from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """The exchange format: validation, import, export and the demo content built through it."""

    name = "exchange"
    verbose_name = _("Tuonti ja vienti")

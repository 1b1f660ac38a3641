from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    """Organisations, services and the taxonomies that classify them."""

    name = "catalogue"
    verbose_name = _("Palveluluettelo")

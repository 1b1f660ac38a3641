from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    """Organisations, services and the taxonomies that classify them."""

    name = "catalogue"
    verbose_name = "Palveluluettelo"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    """Organisations, services and the taxonomies that classify them."""

    name = "catalogue"
    verbose_name = _("Palveluluettelo")

    def ready(self):
        from catalogue.models import taxonomies
        from cms import content_generation

        # A renamed or removed term changes delivered services and the taxonomy fields.
        content_generation.track(*(getattr(taxonomies, name) for name in taxonomies.__all__))

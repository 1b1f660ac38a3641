from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FavouritesConfig(AppConfig):
    """Favourites (suosikit): signed-in users' named lists of services, shareable and printable."""

    name = "favourites"
    verbose_name = _("Suosikit")

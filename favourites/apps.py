from django.apps import AppConfig


class FavouritesConfig(AppConfig):
    """Favourites (suosikit): signed-in users' named lists of services, shareable and printable."""

    name = "favourites"
    verbose_name = "Suosikit"

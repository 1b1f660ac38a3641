from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Site-wide search: backend configuration, indexing and query building."""

    name = "search"
    verbose_name = "Haku"

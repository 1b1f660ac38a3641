from django.apps import AppConfig


class GuidesConfig(AppConfig):
    """Guides, articles, tools and internal process instructions."""

    name = "guides"
    verbose_name = "Ohjeet ja oppaat"

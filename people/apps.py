from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    """Who works where: users and their roles, organisations' groups, the site tree's rights."""

    name = "people"
    verbose_name = _("Käyttäjät")

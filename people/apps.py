from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    """Who works where: users and their roles, organisations' groups, the site tree's rights,
    and the audit log of sign-ins and role changes."""

    name = "people"
    verbose_name = _("Käyttäjät")

    def ready(self):
        from people import audit

        audit.connect()

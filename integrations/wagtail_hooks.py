"""Registrations only: the interfaces' names and edit links for the location editor,
and the Integraatiot and KPI reports."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from catalogue.location_sources import register_source

register_source("ptv", _("PTV"), edit_url=lambda guid: settings.PTV_EDIT_URL.format(id=guid))
register_source("servicemap", _("palvelukartta"))

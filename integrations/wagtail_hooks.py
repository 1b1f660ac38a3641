"""Registrations only: the interfaces' names and edit links for the location editor,
and the Integraatiot and KPI reports."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from catalogue.location_sources import register_source
from integrations import reports

register_source("ptv", _("PTV"), edit_url=lambda guid: settings.PTV_EDIT_URL.format(id=guid))
register_source("servicemap", _("palvelukartta"))

hooks.register("register_admin_urls", reports.admin_urls)
hooks.register("register_reports_menu_item", reports.menu_item)
hooks.register("register_reports_menu_item", reports.kpi_menu_item)

"""Registrations only: the integrations' GraphQL root fields (integrations.schema), the
Työmarkkinatori links on the service type, the interfaces' names and edit links for the
location editor, the Integraatiot and KPI reports, and the PTV export listing (Settings
menu), its policy and preview."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from catalogue.location_sources import register_source
from integrations import reports, schema, tyomarkkinatori
from integrations.models import PtvServiceExport
from integrations.ptv_export import admin_views

hooks.register("register_schema_query", schema.add_locations_query)
hooks.register("register_schema_query", tyomarkkinatori.add_service_links)

register_source("ptv", _("PTV"), edit_url=lambda guid: settings.PTV_EDIT_URL.format(id=guid))
register_source("servicemap", _("palvelukartta"))

hooks.register("register_admin_urls", reports.admin_urls)
hooks.register("register_reports_menu_item", reports.menu_item)
hooks.register("register_reports_menu_item", reports.kpi_menu_item)

register_permission_policy(PtvServiceExport, admin_views.AdministratorsOnly(PtvServiceExport))
hooks.register("register_admin_viewset", lambda: admin_views.PtvExportViewSet())
hooks.register("register_admin_urls", admin_views.admin_urls)

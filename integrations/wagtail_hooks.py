"""Registrations only: the integrations' GraphQL root fields (integrations.schema), the
Työmarkkinatori links on the service type, and the PTV export listing (Settings menu),
its policy and preview."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from integrations import schema, tyomarkkinatori
from integrations.models import PtvServiceExport
from integrations.ptv_export import admin_views

hooks.register("register_schema_query", schema.add_locations_query)
hooks.register("register_schema_query", tyomarkkinatori.add_service_links)

register_permission_policy(PtvServiceExport, admin_views.AdministratorsOnly(PtvServiceExport))
hooks.register("register_admin_viewset", lambda: admin_views.PtvExportViewSet())
hooks.register("register_admin_urls", admin_views.admin_urls)

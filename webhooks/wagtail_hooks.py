"""Registrations only: the webhook endpoints (Settings menu), their policy and delivery log."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from webhooks import admin_views
from webhooks.models import WebhookEndpoint

register_permission_policy(WebhookEndpoint, admin_views.AdministratorsOnly(WebhookEndpoint))
hooks.register("register_admin_viewset", lambda: admin_views.EndpointViewSet())
hooks.register("register_admin_urls", admin_views.admin_urls)

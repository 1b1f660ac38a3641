"""Registrations only: the taxonomy snippets; review reminders (panel, action, log action);
the catalogue's root GraphQL fields."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from catalogue import dashboard, review_views, reviews, schema
from catalogue.views import TaxonomyViewSetGroup

register_snippet(TaxonomyViewSetGroup)

hooks.register("register_log_actions", reviews.register_log_actions)
hooks.register("register_admin_urls", review_views.admin_urls)
hooks.register("construct_homepage_panels", review_views.add_dashboard_panel)
hooks.register("construct_homepage_panels", dashboard.add_dashboard_panel)
hooks.register("register_page_header_buttons", review_views.page_header_buttons)
hooks.register("register_schema_query", schema.add_catalogue_query)

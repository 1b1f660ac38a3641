"""Registrations only: the taxonomy snippets; review reminders (panel, action, log action);
the catalogue's root GraphQL fields; translations (status report, review submission)."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from catalogue import review_views, reviews, schema, translation_schema, translation_views
from catalogue.views import TaxonomyViewSetGroup

register_snippet(TaxonomyViewSetGroup)

hooks.register("register_log_actions", reviews.register_log_actions)
hooks.register("register_admin_urls", review_views.admin_urls)
hooks.register("construct_homepage_panels", review_views.add_dashboard_panel)
hooks.register("register_page_header_buttons", review_views.page_header_buttons)
hooks.register("register_schema_query", schema.add_catalogue_query)

# Translations: the status report, sending a synced translation for review, translationStatus.
hooks.register("register_admin_urls", translation_views.admin_urls)
hooks.register("register_reports_menu_item", translation_views.menu_item)
hooks.register("register_page_listing_more_buttons", translation_views.page_listing_more_buttons)
hooks.register("register_page_header_buttons", translation_views.page_header_buttons)
hooks.register("register_schema_query", translation_schema.add_translation_status_query)

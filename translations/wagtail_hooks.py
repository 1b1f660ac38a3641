"""Registrations only: the status report, sending a synced translation for review,
the ``translationStatus`` GraphQL field."""

from wagtail import hooks

from translations import dashboard, schema, views

hooks.register("register_admin_urls", views.admin_urls)
hooks.register("construct_homepage_panels", dashboard.add_dashboard_panel)
hooks.register("register_reports_menu_item", views.menu_item)
hooks.register("register_page_listing_more_buttons", views.page_listing_more_buttons)
hooks.register("register_page_header_buttons", views.page_header_buttons)
hooks.register("register_schema_query", schema.add_translation_status_query)

"""Registrations only: the "Organisaation käyttäjät" view; delivery's visible root query."""

from wagtail import hooks

from cms import delivery_schema, organisation_users

hooks.register("register_admin_urls", organisation_users.admin_urls)
hooks.register("register_admin_menu_item", organisation_users.menu_item)
hooks.register("register_schema_query", delivery_schema.put_visible_root_query_first)

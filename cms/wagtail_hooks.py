"""Registrations only: the provider admins' "Organisaation käyttäjät" view."""

from wagtail import hooks

from cms import organisation_users

hooks.register("register_admin_urls", organisation_users.admin_urls)
hooks.register("register_admin_menu_item", organisation_users.menu_item)

"""Registrations only: the "Organisaation käyttäjät" view; the ``me`` root field."""

from wagtail import hooks

from people import me, organisation_users

hooks.register("register_admin_urls", organisation_users.admin_urls)
hooks.register("register_admin_menu_item", organisation_users.menu_item)
hooks.register("register_schema_query", me.add_me_query)

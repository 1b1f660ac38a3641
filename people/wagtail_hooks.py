"""Registrations only: the "Organisaation käyttäjät" view; the ``me`` root field;
the audit log report (Reports → Tietoturvaloki)."""

from wagtail import hooks

from people import audit_report, me, organisation_users

hooks.register("register_admin_urls", organisation_users.admin_urls)
hooks.register("register_admin_menu_item", organisation_users.menu_item)
hooks.register("register_schema_query", me.add_me_query)
hooks.register("register_admin_urls", audit_report.admin_urls)
hooks.register("register_reports_menu_item", audit_report.menu_item)

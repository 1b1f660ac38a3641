"""Registrations only: the landing pages' and personal settings' GraphQL fields, the search
hooks (personal defaults, anonymous statistics), the account settings panel and the
Reports → Hakuongelmat report."""

from wagtail import hooks

from guidance import (
    account_settings,
    landing_schema,
    personal,
    personal_schema,
    search_log,
    search_log_schema,
    search_problems,
)

hooks.register("register_schema_query", landing_schema.add_query)
hooks.register("register_schema_mutation", personal_schema.add_mutation)
hooks.register("register_schema_mutation", search_log_schema.add_mutation)
hooks.register("register_me_fields", personal_schema.me_fields)
hooks.register("service_search_defaults", personal.service_search_defaults)
hooks.register("search_performed", search_log.record_search)
hooks.register("register_account_settings_panel", account_settings.PersonalSettingsPanel)
hooks.register("register_admin_urls", search_problems.admin_urls)
hooks.register("register_reports_menu_item", search_problems.menu_item)

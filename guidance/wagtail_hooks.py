"""Registrations only: the ``myBackgroundData`` root GraphQL field."""

from wagtail import hooks

from guidance import background_schema

hooks.register("register_schema_query", background_schema.add_background_query)

"""Registrations only: the integrations' GraphQL root fields (integrations.schema)."""

from wagtail import hooks

from integrations import schema

hooks.register("register_schema_query", schema.add_locations_query)

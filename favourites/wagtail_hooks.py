"""Registrations only: the favourites' GraphQL root fields and mutations (favourites.schema)."""

from wagtail import hooks

from favourites import schema

hooks.register("register_schema_query", schema.add_query)
hooks.register("register_schema_mutation", schema.add_mutation)

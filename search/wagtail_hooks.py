"""Registrations only: the ``siteSearch`` root GraphQL field."""

from wagtail import hooks

from search import schema

hooks.register("register_schema_query", schema.add_search_query)

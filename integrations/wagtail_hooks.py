"""Registrations only: the Työmarkkinatori links on the GraphQL service type."""

from wagtail import hooks

from integrations import tyomarkkinatori

hooks.register("register_schema_query", tyomarkkinatori.add_service_links)

"""Registrations only: delivery's root queries; API tokens; delivered page links."""

from wagtail import hooks

from cms import api, delivered_links, delivery_schema

hooks.register("register_admin_viewset", api.api_token_viewsets)
hooks.register("register_schema_query", delivery_schema.put_visible_root_query_first)
hooks.register(
    "register_rich_text_features", delivered_links.register_delivery_page_links, order=100
)

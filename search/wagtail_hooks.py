"""Registrations only: the ``siteSearch`` root GraphQL field; the synonyms snippet."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from search import schema
from search.synonyms import SynonymViewSet

hooks.register("register_schema_query", schema.add_search_query)

register_snippet(SynonymViewSet)

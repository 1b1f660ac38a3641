"""Registrations only: the taxonomy snippets."""

from wagtail.snippets.models import register_snippet

from catalogue.views import TaxonomyViewSetGroup

register_snippet(TaxonomyViewSetGroup)

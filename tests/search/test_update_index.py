"""``manage.py update_index`` reports in words, not Python object addresses."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_update_index_names_the_index_it_rebuilds(site_tree, settings):
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.database_backend"}}
    output = io.StringIO()

    call_command("update_index", stdout=output)

    assert "Rebuilding index database search index" in output.getvalue()
    assert " object at 0x" not in output.getvalue()

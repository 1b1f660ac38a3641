"""Wagtail's database search backend (the embedded set-up), with indexes that say what they are.

``update_index`` prints each index it rebuilds ("default: Rebuilding index
…"). The database backends' index classes have no text of their own, so it
printed a Python object address; here an index reads as the database search
index of its database engine, e.g. "database search index (sqlite)".
"""

from functools import cache

from django.db import connection
from wagtail.search.backends.database import SearchBackend as database_backend


class NamedIndex:
    """Mixin for a database backend's index class: a readable ``str``."""

    def __str__(self):
        return f"database search index ({connection.vendor})"


@cache
def _named(index_class):
    return type(index_class.__name__, (NamedIndex, index_class), {})


def SearchBackend(params):  # noqa: N802 (the name Wagtail looks for in a backend module)
    """The backend Wagtail picks for the database's vendor, its index class named."""
    backend = database_backend(params)
    backend.index_class = _named(backend.index_class)
    return backend

"""Where a value is kept: every table of the database, the sessions decoded, the cache.

For the tests that show personal data is not stored: a distinctive value
fetched in a request must be found nowhere afterwards.
"""

import json

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection


def places_holding(text):
    """The tables (and "sessions", "cache") in which ``text`` occurs anywhere."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            if any(text in _text(value) for row in cursor.fetchall() for value in row):
                found.append(table)
    # Session data is signed and compressed, so its table alone would not show it.
    if any(text in json.dumps(s.get_decoded(), default=str) for s in Session.objects.all()):
        found.append("sessions")
    if any(text.encode() in value for value in _cached_values()):
        found.append("cache")
    return found


def _text(value):
    if isinstance(value, bytes | memoryview):
        return bytes(value).decode("utf-8", "replace")
    return "" if value is None else str(value)


def _cached_values():
    if settings.CACHE_URL:
        client = cache._cache.get_client()
        for key in client.scan_iter(match=f"{cache.key_prefix}:*", count=1000):
            yield client.get(key) or b""
    else:
        yield from cache._cache.values()  # the local-memory cache's pickled values

"""The delivery search engines behind ``services`` and ``siteSearch``, chosen once.

``get_delivery_backend()`` answers as Wagtail's ``get_search_backend`` does:
the Elasticsearch engine when ``ELASTICSEARCH_URL`` is set, else the database
engine. Both take the same requests (search.filters) and give the same
shapes (search.backends.base).

``run(request, operation, search, offset, limit)`` is how the resolvers call
it. When Elasticsearch cannot be reached, the answer comes from the database
engine with index-free text matching, the GraphQL response says
``extensions.search = "DEGRADED"``, and the outage is logged once when it
starts and once when it ends, not once per request.
"""

import functools
import logging
import threading

from django.conf import settings

from cms import deadline
from cms.api import add_response_extension
from search.backends.base import SearchUnavailable
from search.backends.database import FALLBACK_TEXT_BACKEND, DatabaseEngine
from search.backends.elasticsearch import ElasticsearchEngine

logger = logging.getLogger(__name__)
DEGRADED = "DEGRADED"


def get_delivery_backend():
    return _backend(bool(settings.ELASTICSEARCH_URL))


@functools.cache
def _backend(elasticsearch):
    return ElasticsearchEngine() if elasticsearch else DatabaseEngine()


@functools.cache
def fallback_backend():
    """The database engine with text matched without any index (SQL LIKE)."""
    return DatabaseEngine(text_backend=FALLBACK_TEXT_BACKEND)


class _Outage:
    """Whether the search engine is known to be down in this process (for logging once)."""

    def __init__(self):
        self._lock = threading.Lock()
        self.down = False

    def began(self, error):
        with self._lock:
            first, self.down = not self.down, True
        if first:
            logger.warning(
                "Search engine unreachable (%s); answering from the database until it is back",
                error,
            )

    def ended(self):
        if not self.down:
            return
        with self._lock:
            was, self.down = self.down, False
        if was:
            logger.warning("Search engine reachable again")


outage = _Outage()


def run(request, operation, search, offset, limit):
    """``operation`` ("services" or "site_search") on the chosen engine, or the fallback."""
    backend = get_delivery_backend()
    try:
        result = getattr(backend, operation)(search, offset, limit)
    except SearchUnavailable as error:
        if deadline.expired():  # the request's own time ran out, not the engine
            raise deadline.DeadlineExceeded() from error
        outage.began(error)
        add_response_extension(request, "search", DEGRADED)
        return getattr(fallback_backend(), operation)(search, offset, limit)
    outage.ended()
    return result

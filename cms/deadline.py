"""One deadline per GraphQL request (``GRAPHQL_DEADLINE_SECONDS``), followed by every engine.

A request that an anonymous caller may send must not hold a worker for long,
and a worker must not go on computing for a client that has given up. So the
view opens a deadline for each request, and:

- PostgreSQL cancels any statement that would outlive it (``statement_timeout``
  for the request's connection, restored afterwards);
- the search engines ask Elasticsearch for no longer than what is left
  (``remaining()``, search.backends.elasticsearch);
- root fields that have not started when it passes answer with an error
  instead of running (cms.graphql_guards.DeadlineMiddleware).

Running out of time is reported to the caller as a GraphQL error
(``DeadlineExceeded``), never as an internal error.
"""

import contextvars
import time
from contextlib import contextmanager

from django.db import connection
from django.utils.translation import gettext

_deadline = contextvars.ContextVar("graphql_deadline", default=None)


class DeadlineExceeded(Exception):
    """The request ran out of its server time."""

    def __init__(self):
        super().__init__(
            gettext(
                "The request ran out of time on the server; ask for fewer fields, "
                "fewer items or fewer aliases."
            )
        )


def remaining():
    """Seconds left for this request (None outside a request with a deadline)."""
    deadline = _deadline.get()
    return None if deadline is None else max(0.0, deadline - time.monotonic())


def expired():
    left = remaining()
    return left is not None and left <= 0


@contextmanager
def request_deadline(seconds):
    """Give the code inside ``seconds`` of server time, in Python and in PostgreSQL."""
    token = _deadline.set(time.monotonic() + seconds)
    timeout_set = False
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = %s", [int(seconds * 1000)])
            timeout_set = True
        yield
    finally:
        _deadline.reset(token)
        if timeout_set:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("RESET statement_timeout")
            except Exception:  # a broken connection is closed and replaced by Django anyway
                connection.close_if_unusable_or_obsolete()


def is_statement_timeout(error):
    """Whether a database error is PostgreSQL cancelling a statement at the deadline."""
    cause = getattr(error, "__cause__", None) or error
    return getattr(cause, "sqlstate", None) == "57014"  # query_canceled

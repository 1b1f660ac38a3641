"""Persisted queries: a client names a document instead of sending it.

Two kinds, answered alike:

- **Registered documents**: the frontends' documents in ``graphql/queries/``
  (the API contract, checked by the tests), read when this module is
  imported. Each is addressed by the SHA-256 of its text (hex), or by its id:
  its path under ``graphql/queries/`` without ``.graphql``
  (``service``, ``site-search``; ``web/service`` once a frontend has a
  folder of its own). ``operationName`` picks the operation as usual.
- **Automatic persisted queries** (Apollo's protocol): a client sends
  ``extensions: {"persistedQuery": {"version": 1, "sha256Hash": "…"}}``
  without the query. An unknown hash is answered with the error
  ``PersistedQueryNotFound`` (code ``PERSISTED_QUERY_NOT_FOUND``); the client
  then sends the hash with the query, the hash is checked, and the document
  is kept in the shared cache for ``APQ_SECONDS``.

A registered document can be named the standard ways: ``documentId`` (the
GraphQL-over-HTTP persisted documents proposal: ``sha256:<hash>`` or the id),
or the APQ extension with its hash. Either works with GET, which makes the
answer cacheable by HTTP caches (cms.response_cache), and with POST.

``GRAPHQL_ANONYMOUS_PERSISTED_ONLY`` (production) lets anonymous callers run
registered documents only; signed-in callers may send any query.
"""

import contextlib
import hashlib
import json
import re

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext
from graphql import GraphQLError

QUERIES_DIR = settings.BASE_DIR / "graphql" / "queries"
# A document a client has registered stays this long after it was last registered.
APQ_SECONDS = 24 * 60 * 60
# Larger documents are not kept: the real ones are a few kilobytes, and the
# shared cache also holds the rate-limit counters.
APQ_MAX_CHARACTERS = 20_000
CACHE_PREFIX = "persisted-query:"
SHA256 = re.compile(r"[0-9a-f]{64}")

NOT_FOUND = "PersistedQueryNotFound"  # Apollo's clients look for exactly this message


def _sha256(text):
    return hashlib.sha256(text.encode()).hexdigest()


def _load(directory):
    """The registered documents as {sha256: text} and {id: text}."""
    by_hash, by_id = {}, {}
    for path in sorted(directory.rglob("*.graphql")):
        text = path.read_text(encoding="utf-8")
        by_hash[_sha256(text)] = text
        by_id[path.relative_to(directory).with_suffix("").as_posix()] = text
    return by_hash, by_id


REGISTERED_BY_HASH, REGISTERED_BY_ID = _load(QUERIES_DIR)


def _error(message, code):
    return GraphQLError(message, extensions={"code": code})


def _param(request, data, name):
    value = request.GET.get(name)
    if value is None and hasattr(data, "get"):
        value = data.get(name)
    return value


def _persisted_query(request, data):
    """The ``persistedQuery`` extension's hash, or None when there is none."""
    extensions = _param(request, data, "extensions")
    if extensions is None:
        return None
    if isinstance(extensions, str):
        try:
            extensions = json.loads(extensions)
        except ValueError:
            extensions = None
    if not isinstance(extensions, dict):
        raise _error(gettext("extensions must be a JSON object."), "BAD_USER_INPUT")
    persisted = extensions.get("persistedQuery")
    if persisted is None:
        return None
    if not isinstance(persisted, dict) or persisted.get("version") != 1:
        raise _error(
            gettext('Unsupported persistedQuery: send {"version": 1, "sha256Hash": "…"}.'),
            "BAD_USER_INPUT",
        )
    sha = persisted.get("sha256Hash")
    if not isinstance(sha, str) or not SHA256.fullmatch(sha):
        raise _error(
            gettext("persistedQuery.sha256Hash must be 64 lowercase hexadecimal digits."),
            "BAD_USER_INPUT",
        )
    return sha


def _registered_only(request):
    user = getattr(request, "user", None)
    anonymous = user is None or not user.is_authenticated
    return anonymous and settings.GRAPHQL_ANONYMOUS_PERSISTED_ONLY


def _only_registered():
    return _error(
        gettext(
            "Anonymous callers may run only the registered documents of graphql/queries: "
            "name one with documentId (its id or sha256:<hash>) or with the persistedQuery "
            "extension's sha256Hash."
        ),
        "PERSISTED_QUERY_REQUIRED",
    )


def _by_document_id(document_id, query):
    if query is not None:
        raise _error(gettext("Send either documentId or query, not both."), "BAD_USER_INPUT")
    if not isinstance(document_id, str):
        document_id = ""
    sha = document_id.removeprefix("sha256:")
    text = REGISTERED_BY_HASH.get(sha) if sha != document_id else REGISTERED_BY_ID.get(sha)
    if text is None:
        raise _error(
            gettext("Unknown documentId %(id)s: no registered document has that id or hash.")
            % {"id": json.dumps(document_id[:80])},
            "PERSISTED_QUERY_NOT_FOUND",
        )
    return text


def _automatic(request, sha, query):
    registered = REGISTERED_BY_HASH.get(sha)
    if query is None:
        if registered is not None:
            return registered
        if _registered_only(request):
            raise _only_registered()
        try:
            text = cache.get(CACHE_PREFIX + sha)
        except Exception:  # the cache is down: the client sends the query itself next
            text = None
        if text is None:
            raise _error(NOT_FOUND, "PERSISTED_QUERY_NOT_FOUND")
        return text
    if not isinstance(query, str) or _sha256(query) != sha:
        raise _error(
            gettext("persistedQuery.sha256Hash is not the SHA-256 of the query sent with it."),
            "PERSISTED_QUERY_HASH_MISMATCH",
        )
    if registered is None:
        if _registered_only(request):
            raise _only_registered()
        if len(query) <= APQ_MAX_CHARACTERS:
            with contextlib.suppress(Exception):  # down: the query still runs
                cache.set(CACHE_PREFIX + sha, query, timeout=APQ_SECONDS)
    return query


def resolve(request, data, query):
    """The query text this request runs: the one it sent, or the persisted one it names.

    Raises a GraphQLError (with a ``code`` extension) when the request names
    no usable document or may not run the one it sent.
    """
    document_id = _param(request, data, "documentId")
    if document_id is not None:
        return _by_document_id(document_id, query)
    sha = _persisted_query(request, data)
    if sha is not None:
        return _automatic(request, sha, query)
    if _registered_only(request) and not (
        isinstance(query, str) and _sha256(query) in REGISTERED_BY_HASH
    ):
        raise _only_registered()
    return query

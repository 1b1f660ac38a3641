"""What the GraphQL endpoint remembers between requests, and what it tells HTTP caches.

Three layers, each keyed by everything that changes its result:

- **Parsed documents**, per process (an LRU keyed by the document text): a
  frontend sends the same few documents over and over, and reading one with
  the guards' token limit and parsing it costs milliseconds.
- **Validation results**, per process. graphql-core's own rules depend on the
  document alone; the guard rails (cms.graphql_guards) also on the variables,
  on whether the caller is signed in and, for their messages, on the
  language. Both are remembered under exactly those keys, and forgotten when
  a setting changes (tests change the limits).
- **Whole answers**, in the shared cache (``RESPONSE_CACHE_SECONDS``; 0 turns
  it off): the response bytes of a query, keyed by the printed document (so
  whitespace and comments do not matter), the variables, the operation, the
  language of the messages, the address the request came to (links are
  absolute), the caller's visibility class (cms.visibility; never the
  individual user), the caller's settings that change answers (``vary_on``:
  a home area that fills in a filter; a value shared by everyone with the
  same setting, never the user) and the content generation
  (cms.content_generation), which retires every entry when delivered content
  changes. Only answers
  without errors or response extensions (a search answered while degraded)
  are kept, and never answers that depend on the individual caller or that
  the generation does not follow: ``UNCACHEABLE_FIELDS``, previews, mutations.

A document naming a field whose arguments are a person's data
(``PERSONAL_FIELDS``: guidance's client profile) is remembered in none of the
three: its text and its variables stay in the request that brought them.

``http_caching`` sets the headers: an anonymous GET of a cacheable query is
public for ``HTTP_CACHE_MAX_AGE`` seconds with an ETag (a matching
``If-None-Match`` gets 304); a signed-in caller's is private; everything else
is not stored.
"""

import hashlib
import json
import logging
import threading
from collections import OrderedDict
from functools import cached_property

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from graphene_django.settings import graphene_settings
from graphql import (
    BREAK,
    OperationType,
    Visitor,
    get_operation_ast,
    parse,
    print_ast,
    specified_rules,
    validate,
    visit,
)

from cms import content_generation, graphql_guards, visibility

logger = logging.getLogger(__name__)

# Root fields whose arguments are a person's data (guidance's client profile). Their
# answers are never cached, and neither their documents nor their variables are
# remembered (the parsed-document and validation caches below are keyed by both).
PERSONAL_FIELDS = frozenset({"recommendations", "shareClientProfile"})
# Root or nested fields whose answer is the caller's own (me, favourites, signed
# download links naming the user, a client's background data) or changes without a
# content event (the translation workflow's drafts). A request naming one anywhere is
# never cached.
UNCACHEABLE_FIELDS = PERSONAL_FIELDS | frozenset(
    {
        "me",
        "favouriteLists",
        "favouriteList",
        "sharedFavouriteList",
        "translationStatus",
        "downloadUrl",
        "myBackgroundData",
    }
)
# A preview token shows a draft to whoever holds it (cms.preview).
PREVIEW_ARGUMENTS = frozenset({"token", "previewToken"})

# Functions (request -> str) naming the caller's settings that change answers; the apps
# register theirs with ``vary_on`` (this module imports no app).
_variants = []

DOCUMENT_CACHE_SIZE = 500
VALIDATION_CACHE_SIZE = 2_000
KEY_PREFIX = "graphql-answer:"


_MISSING = object()


class LRU:
    """A small thread-safe least-recently-used map for one process."""

    def __init__(self, size):
        self.size = size
        self._entries = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, default=None):
        with self._lock:
            if key not in self._entries:
                return default
            self._entries.move_to_end(key)
            return self._entries[key]

    def set(self, key, value):
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            if len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def get_or_compute(self, key, compute):
        """The value under ``key``, computed and kept when missing (an exception is not kept)."""
        value = self.get(key, _MISSING)
        if value is _MISSING:
            value = compute()
            self.set(key, value)
        return value

    def clear(self):
        with self._lock:
            self._entries.clear()


_documents = LRU(DOCUMENT_CACHE_SIZE)
_validations = LRU(VALIDATION_CACHE_SIZE)


def _forget_documents(**kwargs):
    # The guards' limits are settings: what was valid under the old ones may not be.
    _documents.clear()
    _validations.clear()


setting_changed.connect(_forget_documents, dispatch_uid="cms.response_cache.settings")


class Document:
    """A query document read once: its text and AST, and (when first asked) its printed
    form and whether it asks for anything per caller."""

    def __init__(self, text, node):
        self.text = text
        self.node = node

    @cached_property
    def printed(self):
        return print_ast(self.node)

    @cached_property
    def per_caller(self):
        finder = _PerCallerFinder()
        visit(self.node, finder)
        return finder.found

    @cached_property
    def personal(self):
        """Whether it names a field whose arguments are a person's data (PERSONAL_FIELDS)."""
        finder = _PerCallerFinder(PERSONAL_FIELDS, arguments=())
        visit(self.node, finder)
        return finder.found


class _PerCallerFinder(Visitor):
    found = False

    def __init__(self, fields=UNCACHEABLE_FIELDS, arguments=PREVIEW_ARGUMENTS):
        super().__init__()
        self.fields = fields
        self.arguments = arguments

    def enter_field(self, node, *_args):
        if node.name.value in self.fields:
            self.found = True
            return BREAK
        return None

    def enter_argument(self, node, *_args):
        if node.name.value in self.arguments:
            self.found = True
            return BREAK
        return None


def vary_on(variant):
    """Key cached answers also by ``variant(request)``, a short text shared by every caller
    for whom the answer is the same (e.g. "home-area:091"; "" when the setting is unset)."""
    if variant not in _variants:
        _variants.append(variant)


def _read(text):
    if problem := graphql_guards.document_problem(text):
        raise problem
    return Document(text, parse(text))


def read_document(text):
    """The document ``text`` holds; raises the guards' GraphQLError when it cannot be read.

    Only documents that pass are remembered, so a refusal is phrased afresh
    in each caller's language; and never one naming a personal field, whose
    text may hold a person's data.
    """
    document = _documents.get(text)
    if document is None:
        document = _read(text)
        if not document.personal:
            _documents.set(text, document)
    return document


def _canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _signed_in(user):
    # As graphql_guards.validation_rules tells callers apart.
    return bool(user is not None and user.is_authenticated)


def validation_errors(schema, document, variables, user):
    """The validation errors of ``document`` for this request (a list, possibly empty).

    The first time a document is seen, all the rules run together; when they
    find nothing, graphql-core's rules are known to pass for that document
    whatever the variables, and later requests run only the guard rails.
    """
    rules = graphql_guards.validation_rules(variables, user)
    max_errors = graphene_settings.MAX_VALIDATION_ERRORS
    if document.personal:  # its variables are a person's data: validated, not remembered
        return list(validate(schema, document.node, rules, max_errors))
    key = (
        document.text,
        _canonical(variables if isinstance(variables, dict) else {}),
        _signed_in(user),
        translation.get_language(),
    )
    if _validations.get((document.text,)) is None:
        errors = _validations.get_or_compute(
            key, lambda: validate(schema, document.node, rules, max_errors)
        )
        if not errors:
            _validations.set((document.text,), "valid")
        return list(errors)
    guards = [rule for rule in rules if rule not in specified_rules]
    return list(
        _validations.get_or_compute(
            key, lambda: validate(schema, document.node, guards, max_errors)
        )
    )


def _request_param(request, data, name):
    return request.GET.get(name) or (data.get(name) if hasattr(data, "get") else None)


def shareable(request, data, document, operation_name):
    """Whether the answer to this request may be shared with its visibility class:
    a query, naming no per-caller field, carrying no preview token."""
    operation = get_operation_ast(document.node, operation_name)
    return (
        operation is not None
        and operation.operation == OperationType.QUERY
        and not document.per_caller
        and not any(_request_param(request, data, name) for name in PREVIEW_ARGUMENTS)
    )


class _CacheHealth:
    """Logs when the shared cache stops and starts answering, not on every request."""

    failing = False

    @classmethod
    def failed(cls, error):
        if not cls.failing:
            cls.failing = True
            logger.warning("The GraphQL answer cache is off: the cache does not answer (%r)", error)

    @classmethod
    def answered(cls):
        if cls.failing:
            cls.failing = False
            logger.warning("The GraphQL answer cache is on again: the cache answers")


class CachedAnswer:
    """The shared cache's entry for one request's answer, if the request may have one.

    ``key`` is None when the answer is not to be shared or the cache is off.
    """

    def __init__(self, request, data, document, variables, operation_name):
        self.shareable = shareable(request, data, document, operation_name)
        self.key = None
        seconds = settings.RESPONSE_CACHE_SECONDS
        if not self.shareable or seconds <= 0 or content_generation.pending():
            return
        try:
            generation = content_generation.current()
        except Exception as error:  # down: answer without it
            _CacheHealth.failed(error)
            return
        parts = [
            generation,
            document.printed,
            variables or {},
            operation_name,
            translation.get_language(),
            f"{request.scheme}://{request.get_host()}",
            bool(request.GET.get("pretty")),
            visibility.visibility_class(request),
            [variant(request) for variant in _variants],
        ]
        self.key = KEY_PREFIX + hashlib.sha256(_canonical(parts).encode()).hexdigest()

    def get(self):
        """The cached response body, or None."""
        if self.key is None:
            return None
        try:
            body = cache.get(self.key)
        except Exception as error:
            _CacheHealth.failed(error)
            return None
        _CacheHealth.answered()
        return body

    def store(self, body):
        if self.key is None:
            return
        try:
            cache.set(self.key, body, timeout=settings.RESPONSE_CACHE_SECONDS)
        except Exception as error:
            _CacheHealth.failed(error)


def _signed_in_request(request):
    return "Authorization" in request.headers or _signed_in(getattr(request, "user", None))


def http_caching(request, response, shareable):
    """Cache-Control, Vary and ETag of an answer, and 304 for a GET that has it already.

    ``shareable``: a clean answer (200, no errors or extensions) to a request
    ``CachedAnswer`` found shareable.
    """
    # The answer's language follows Accept-Language or the language cookie, its
    # visibility the session cookie or the bearer token.
    patch_vary_headers(response, ("Accept-Language", "Cookie", "Authorization"))
    signed_in = _signed_in_request(request)
    if not (shareable and request.method == "GET" and response.status_code == 200):
        patch_cache_control(response, no_store=True, **({"private": True} if signed_in else {}))
        return response
    if signed_in:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(
            response,
            public=True,
            max_age=settings.HTTP_CACHE_MAX_AGE,
            stale_while_revalidate=settings.HTTP_CACHE_STALE_WHILE_REVALIDATE,
        )
    response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    return get_conditional_response(request, etag=response["ETag"], response=response)

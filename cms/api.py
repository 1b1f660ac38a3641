"""The single GraphQL endpoint (/graphql/), with GraphiQL for browsers.

Who is asking:

- server-side frontends send ``Authorization: Bearer <token>`` with one of
  Wagtail's API tokens (``wagtail.models.APIToken``, managed under Settings →
  API tokens or with ``manage.py create_api_token``); the request then runs as
  the token's user. A header that names no usable token is answered with 401
  and the reason, never silently as an anonymous request;
- a browser frontend on the same site is signed in with the session cookie and
  sends the CSRF token;
- everyone else is anonymous.

CSRF protection matters only for requests authenticated by the session
cookie: browsers never add an Authorization header on their own.

Errors are always JSON in graphene-django's shape, also for a failed CSRF
check, a disallowed host or a malformed body (``csrf_failure``,
``bad_request``). Queries are validated with the guard rails of
cms.graphql_guards and run within one deadline (cms.deadline). A caller's
mistake is a GraphQL error that says what was wrong and logs no traceback;
an exception that is not a deliberate GraphQL error is logged once with a
request id and answered as "Internal error (request …)", so that neither a
traceback nor an internal message (SQL, file paths) reaches the caller,
whatever DEBUG says.

The project's own messages are in the caller's language: the one
LocaleMiddleware chose from ``Accept-Language`` (or Django's language cookie),
so a browser gets Finnish, Swedish or English. A caller that names no language,
typically a server-side frontend, gets English, the language of the API
contract and of graphql-core's own messages (syntax, validation), rather than
the site's default, Finnish. Content is unaffected: its locale is the
``locale`` argument of each field (cms.localisation).
"""

import json
import logging
import uuid
from functools import partial

from django.apps import apps
from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db import DatabaseError
from django.http import HttpResponseBadRequest, HttpResponseNotAllowed, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext, gettext_noop
from django.views import defaults
from django.views.csrf import csrf_failure as django_csrf_failure
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from graphene_django.views import GraphQLView, HttpError
from graphql import ExecutionResult, GraphQLError, OperationType, execute, get_operation_ast
from wagtail.models import APIToken

from cms import (
    api_tokens,
    deadline,
    delivered_links,
    graphql_guards,
    persisted_queries,
    response_cache,
    sites,
    visibility,
)

logger = logging.getLogger(__name__)

INTERNAL_ERROR = gettext_noop("Internal error")
# A caller that names no language (no Accept-Language header or cookie) gets this one.
API_LANGUAGE = "en"
NULL_IN_NON_NULL = "Cannot return null for non-nullable field"


class TokenRejected(Exception):
    """The Authorization header names no usable API token; the message says why."""


def bearer_user(request):
    """The user of the request's API token, or None when no Authorization header is sent.

    Wagtail's own API authentication resolves the token (and records its use,
    throttled by ``WAGTAILAPI_TOKEN_LAST_USED_INTERVAL``), and refuses an
    expired one (cms.api_tokens); only when it refuses is the token looked at
    again, to tell the caller why.
    """
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        raise TokenRejected(
            gettext(
                'Unsupported authorization scheme "%(scheme)s": '
                'send "Authorization: Bearer <API token>".'
            )
            % {"scheme": scheme[:20]}
        )
    token = token.strip()
    if not APIToken.validate_token_format(token):
        raise TokenRejected(
            gettext(
                "Malformed API token: expected a token such as wagtail_…, as created under "
                "Settings → API tokens or by manage.py create_api_token."
            )
        )
    api_token = api_tokens.ExpiringBearerTokenAuth().authenticate(request, token)
    if api_token is None:
        raise TokenRejected(_refusal(token))
    return api_token.user


def _refusal(token):
    """Why Wagtail refused a well-formed token."""
    api_token = (
        APIToken.objects.select_related("user")
        .filter(key_hash__in=APIToken.candidate_key_hashes(token))
        .first()
    )
    if api_token is None:
        return gettext("Unknown API token.")
    if api_token.revoked_at is not None:
        return gettext("This API token has been revoked.")
    if expired := api_tokens.expiry_passed(api_token):
        return gettext("This API token expired at %(time)s.") % {
            "time": api_tokens.format_expiry(expired)
        }
    return gettext("The API token's user account is inactive.")


EXTENSIONS_ATTRIBUTE = "graphql_extensions"


def add_response_extension(request, key, value):
    """Tell the caller something about the whole response in GraphQL ``extensions``
    (e.g. ``search: DEGRADED`` when search answered from its fallback)."""
    extensions = getattr(request, EXTENSIONS_ATTRIBUTE, None)
    if extensions is None:
        extensions = {}
        setattr(request, EXTENSIONS_ATTRIBUTE, extensions)
    extensions[key] = value


def _internal_error(request_id):
    """The caller's message for a server fault: nothing internal, and an id the log has too."""
    return gettext("%(message)s (request %(id)s)") % {
        "message": gettext(INTERNAL_ERROR),
        "id": request_id,
    }


def _errors_response(message, status):
    return JsonResponse({"errors": [{"message": message}]}, status=status)


def _unauthorized(message):
    response = _errors_response(message, status=401)
    response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return response


GRAPHQL_PATH = "/graphql/"


def csrf_failure(request, reason=""):
    """``CSRF_FAILURE_VIEW``: JSON on the API, Django's page elsewhere."""
    if request.path.startswith(GRAPHQL_PATH):
        return _errors_response(
            gettext(
                "CSRF check failed: a request signed in by the session cookie must send the "
                "CSRF token (X-CSRFToken). Server-side frontends use a bearer token instead."
            ),
            status=403,
        )
    return django_csrf_failure(request, reason)


def bad_request(request, exception):
    """``handler400``: JSON on the API (a Host not in ALLOWED_HOSTS, say), else Django's page."""
    if request.path.startswith(GRAPHQL_PATH):
        return _errors_response(gettext("Bad request."), status=400)
    return defaults.bad_request(request, exception)


def _caller_fault(error):
    """The message for an error the caller caused inside execution, or None."""
    original = getattr(error, "original_error", None) or error
    if isinstance(original, deadline.DeadlineExceeded):
        return str(original)
    if isinstance(original, DatabaseError) and deadline.is_statement_timeout(original):
        return str(deadline.DeadlineExceeded())
    return None


def _unexpected(error):
    """Whether an error is an exception nobody raised for the caller to read.

    Errors of the request itself (syntax, validation, variable values) carry no
    path and are phrased by graphql-core for the caller; a resolver's own
    GraphQLError is deliberate too.
    """
    if isinstance(error, HttpError):
        return False
    if not isinstance(error, GraphQLError):
        return True
    original = error.original_error
    if error.path is None or original is None or isinstance(original, GraphQLError):
        return False
    # graphql-core's own TypeError for a null in a non-null field: here that is
    # how a page hidden by the visibility middleware shows, so the caller is told.
    return not (isinstance(original, TypeError) and str(original).startswith(NULL_IN_NON_NULL))


def message_language(request):
    """The language of the answer's messages: LocaleMiddleware's choice when the caller
    named a language, else API_LANGUAGE."""
    named = request.headers.get("Accept-Language") or request.COOKIES.get(
        settings.LANGUAGE_COOKIE_NAME
    )
    return translation.get_language() if named else API_LANGUAGE


@method_decorator(csrf_exempt, name="dispatch")
class DeliveryGraphQLView(GraphQLView):
    graphiql = True

    # Whether the answer may be shared with the caller's visibility class (get_response).
    shareable = False

    def dispatch(self, request, *args, **kwargs):
        sites.remember_site(request)
        language = message_language(request)
        with translation.override(language):
            response = self.answer(request, *args, **kwargs)
        # LocaleMiddleware only fills the header in when the view has not.
        response.headers.setdefault("Content-Language", language)
        return response_cache.http_caching(request, response, self.shareable)

    def answer(self, request, *args, **kwargs):
        try:
            try:
                token_user = bearer_user(request)
            except TokenRejected as rejection:
                return _unauthorized(str(rejection))
            handler = super().dispatch
            if request.method == "GET" and not self.can_display_graphiql(request, {}):
                # graphene's dispatch sets the CSRF cookie for GraphiQL's sake; an API
                # answer to a GET needs none, and one that caches share must set none.
                handler = partial(GraphQLView.dispatch.__wrapped__, self)
            if token_user is not None:
                request.user = token_user
            elif request.COOKIES.get(settings.SESSION_COOKIE_NAME):
                handler = csrf_protect(handler)
            return handler(request, *args, **kwargs)
        except RequestDataTooBig:
            return _errors_response(gettext("The request body is too large."), status=400)
        except SuspiciousOperation as error:
            logger.warning("Suspicious GraphQL request: %s", error)
            return _errors_response(gettext("Bad request."), status=400)
        except Exception:
            # Only what fails outside query execution ends here (the database
            # is down, say): a server fault, so 500, but still JSON.
            request_id = uuid.uuid4().hex[:12]
            logger.exception("GraphQL request %s failed", request_id)
            return _errors_response(_internal_error(request_id), status=500)

    def get_response(self, request, data, show_graphiql=False):
        query, variables, operation_name, _id = self.get_graphql_params(request, data)
        try:
            query = persisted_queries.resolve(request, data, query)
        except GraphQLError as refusal:
            return self.json_encode(request, {"errors": [refusal.formatted]}), 400
        document, errors = self.check(request, query, variables, operation_name)
        cached = None
        # A refused request is not looked up: its refusal is remembered anyway.
        if document is not None and not errors:
            cached = response_cache.CachedAnswer(request, data, document, variables, operation_name)
            if (body := cached.get()) is not None:
                self.shareable = True
                return body, 200
        # The query a persisted one stood for goes on as if it had been sent.
        result, status = super().get_response(request, {**data, "query": query}, show_graphiql)
        extensions = getattr(request, EXTENSIONS_ATTRIBUTE, None)
        if extensions and result and not self.batch:
            answer = json.loads(result)
            answer["extensions"] = {**answer.get("extensions", {}), **extensions}
            result = self.json_encode(request, answer, pretty=show_graphiql)
        # Errors and extensions (a degraded search) are this moment's, not the content's.
        clean = status == 200 and self.answered_without_errors and not extensions
        if cached is not None and cached.shareable and clean:
            self.shareable = True
            cached.store(result)
        return result, status

    def parse_body(self, request):
        try:
            return super().parse_body(request)
        except UnicodeDecodeError as error:
            # graphene-django decodes an application/graphql body unguarded.
            raise HttpError(
                HttpResponseBadRequest(gettext("The request body is not UTF-8."))
            ) from error
        except RecursionError as error:
            raise HttpError(
                HttpResponseBadRequest(gettext("The request body is nested too deeply."))
            ) from error
        except MultiPartParserError as error:
            raise HttpError(
                HttpResponseBadRequest(gettext("The multipart request body is malformed."))
            ) from error

    answered_without_errors = False
    _checked = None

    def check(self, request, query, variables, operation_name):
        """graphene's checks before execution, with the guard rails: ``(document, errors)``.

        The document and the validation are remembered (cms.response_cache), and
        so is the outcome for this request, which both the answer cache and
        execution need. A malformed request raises HttpError, as in graphene.
        """
        if self._checked is not None and self._checked[0] is query:
            return self._checked[1]
        if not query:
            raise HttpError(HttpResponseBadRequest("Must provide query string."))
        if not isinstance(query, str):
            raise HttpError(HttpResponseBadRequest(gettext("query must be a string.")))
        if variables is not None and not isinstance(variables, dict):
            raise HttpError(HttpResponseBadRequest(gettext("variables must be a JSON object.")))
        try:
            document = response_cache.read_document(query)
        except GraphQLError as problem:
            outcome = None, [problem]
        else:
            outcome = document, self._problems(request, document, variables, operation_name)
        self._checked = query, outcome
        return outcome

    def _problems(self, request, document, variables, operation_name):
        if problems := graphql_guards.check_variables(variables):
            return problems
        operation = get_operation_ast(document.node, operation_name)
        if request.method == "GET" and operation and operation.operation != OperationType.QUERY:
            raise HttpError(
                HttpResponseNotAllowed(
                    ["POST"],
                    f"Can only perform a {operation.operation.value} operation from a POST "
                    "request.",
                )
            )
        try:
            return response_cache.validation_errors(
                self.schema.graphql_schema, document, variables, request.user
            )
        except Exception as error:  # a failing validation rule
            return [error]

    def execute_graphql_request(
        self, request, data, query, variables, operation_name, show_graphiql=False
    ):
        document, errors = self.check(request, query, variables, operation_name)
        result = (
            ExecutionResult(errors=errors)
            if errors
            else self._run(request, document, variables, operation_name)
        )
        self.answered_without_errors = not result.errors
        return result

    def _run(self, request, document, variables, operation_name):
        """Execute a checked document within the request's deadline."""
        links = delivered_links.delivery_visibility.set(
            SimpleLazyObject(lambda: visibility.for_request(request))
        )
        try:
            with deadline.request_deadline(settings.GRAPHQL_DEADLINE_SECONDS):
                return execute(
                    self.schema.graphql_schema,
                    document.node,
                    root_value=self.get_root_value(request),
                    context_value=self.get_context(request),
                    variable_values=variables,
                    operation_name=operation_name,
                    middleware=self.get_middleware(request),
                    execution_context_class=self.execution_context_class,
                )
        except Exception as error:
            return ExecutionResult(errors=[error])
        finally:
            delivered_links.delivery_visibility.reset(links)

    def format_error(self, error):
        if isinstance(error, HttpError):
            return {"message": error.message}
        if (message := _caller_fault(error)) is not None:
            formatted = {"message": message}
            if isinstance(error, GraphQLError) and error.formatted.get("path"):
                formatted["path"] = error.formatted["path"]
            return formatted
        if not _unexpected(error):
            return error.formatted
        original = getattr(error, "original_error", None) or error
        request_id = uuid.uuid4().hex[:12]
        logger.error(
            "GraphQL error %s at %s: %s",
            request_id,
            getattr(error, "path", None),
            original,
            exc_info=(type(original), original, original.__traceback__),
        )
        formatted = {"message": _internal_error(request_id)}
        if isinstance(error, GraphQLError):
            for key in ("locations", "path"):
                if error.formatted.get(key):
                    formatted[key] = error.formatted[key]
        return formatted


def api_token_viewsets():
    """``register_admin_viewset`` hook: Wagtail's API token admin under Settings → API tokens.

    Wagtail registers it only when its REST API app (``wagtail.api.v3``) is
    installed; the GraphQL endpoint uses the same tokens without that app.
    """
    if apps.is_installed("wagtail.api.v3"):
        return []
    from cms.api_tokens import APITokenViewSet

    return [APITokenViewSet("wagtailusers_api_tokens", url_prefix="api-tokens")]

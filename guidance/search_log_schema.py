"""GraphQL of the search statistics: the anonymous ``searchResultOpened`` mutation.

A frontend calls it when a reader opens a result of a search, with the same
query text, locale and audience the search had; together with the searches
the server counts itself it tells which queries' results nobody opened
(guidance.search_log). Nothing about the caller is stored. Each caller (by
IP address; by token or user when signed in) may report
``RATE_LIMIT_SEARCH_RESULT_OPENED`` per window (cms.ratelimit); past it the
answer is an error with ``extensions.code`` ``RATE_LIMITED``.
"""

import graphene
from django.conf import settings
from django.utils.translation import gettext
from graphql import GraphQLError

from catalogue.models import ServicePage
from cms import localisation, ratelimit
from cms.visibility import for_request
from guidance import search_log
from guides.models import GuidePage, ProcessInstructionPage
from search.schema import Audience

SCOPE = "search-result-opened"
KEYED_PAGES = (ServicePage, GuidePage, ProcessInstructionPage)


def _limit(request):
    requests, seconds = settings.RATE_LIMIT_SEARCH_RESULT_OPENED
    api_limit = ratelimit.limit_for(request)
    identity = api_limit.identity if api_limit else f"ip:{ratelimit.client_ip(request)}"
    return ratelimit.Limit(SCOPE, identity, requests, seconds)


def _check_rate(request):
    if not settings.RATE_LIMITS_ENABLED:
        return
    limit = _limit(request)
    if ratelimit.hit(limit) > limit.requests:
        raise GraphQLError(
            gettext(
                "Too many opened results reported: at most %(requests)d in %(seconds)d seconds."
            )
            % {"requests": limit.requests, "seconds": limit.seconds},
            extensions={"code": "RATE_LIMITED"},
        )


def _check_key(request, key):
    visible = for_request(request).page_filter()
    if not any(model.objects.filter(visible, key=key).exists() for model in KEYED_PAGES):
        raise GraphQLError(gettext("No result with key '%(key)s'.") % {"key": key})


class SearchLogMutation:
    """``register_schema_mutation`` mixin."""

    search_result_opened = graphene.Field(
        graphene.NonNull(graphene.Boolean),
        query=graphene.String(required=True, description="The search's query text."),
        key=graphene.String(description="The opened result's key (none for an attachment)."),
        locale=graphene.String(description="The search's locale (default fi)."),
        audience=graphene.Argument(Audience, description="The search's audience, if any."),
        description="Count a result opened from a search (anonymous statistics); always true.",
    )

    def resolve_search_result_opened(root, info, query, key=None, locale=None, audience=None):
        _check_rate(info.context)
        language = localisation.requested_locale(locale).language_code
        if not query.strip():
            raise GraphQLError(gettext("query must not be empty."))
        if key is not None:
            _check_key(info.context, key)
        search_log.record_opened(query, language, getattr(audience, "value", audience))
        # The same answer whether or not the query was counted: it tells nobody what
        # others have searched.
        return True


def add_mutation(mutation_mixins):
    """``register_schema_mutation`` hook."""
    mutation_mixins.append(SearchLogMutation)

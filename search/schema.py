"""The search root fields: ``services`` (filtered, ranked, counted) and ``siteSearch``.

The field names and argument shapes are the frontends' contract
(docs/graphql.md). What the arguments mean is search.filters; which engine
answers is search.backends.

Two Wagtail hooks let the apps above take part without search importing them:

- ``service_search_defaults``: ``fn(request)`` returns a search.filters.Defaults
  (or None) for a signed-in caller's own settings; ``service_search`` applies
  the first one given when a request has no ``filter``. Answers that used one
  vary by it in the answer cache (the app registers that with
  cms.response_cache.vary_on).
- ``search_performed``: ``fn(request, text=, language=, audience=, total=)``
  after the first page of a ``services`` request with text or of a
  ``siteSearch`` (later pages are the same search); for anonymous statistics.
"""

import logging

import graphene
from django.utils.translation import gettext
from graphql import GraphQLError
from grapple.registry import registry
from grapple.types.documents import get_document_type
from grapple.types.interfaces import get_page_interface
from wagtail import hooks

from catalogue.models import ServicePage
from catalogue.schema import load_instruction_relations, load_services
from cms import localisation
from cms.delivery_schema import Selection, deliver_together
from cms.visibility import for_request
from guides.models import ProcessInstructionPage
from search import backends, filters
from search.backends.base import excerpt, text_of
from search.filters import KINDS

logger = logging.getLogger(__name__)
DEFAULTS_HOOK = "service_search_defaults"
PERFORMED_HOOK = "search_performed"


def _service_type():
    return registry.pages[ServicePage]


class Audience(graphene.Enum):
    PERSON = "person"
    EMPLOYER = "employer"


class ServiceValidity(graphene.Enum):
    """Where today falls in a service's validity (voimassaolo): a public listing shows CURRENT."""

    CURRENT = filters.CURRENT
    UPCOMING = filters.UPCOMING
    EXPIRED = filters.EXPIRED


class ServiceOrder(graphene.Enum):
    RELEVANCE = "relevance"
    UPDATED = "updated"
    TITLE = "title"


class ServiceFilter(graphene.InputObjectType):
    """Fields combine with AND, the values of a list with OR; empty lists do not constrain."""

    municipalities = graphene.List(graphene.NonNull(graphene.String), description="Codes")
    categories = graphene.List(graphene.NonNull(graphene.String), description="Slugs")
    life_situations = graphene.List(graphene.NonNull(graphene.String), description="Slugs")
    methods = graphene.List(graphene.NonNull(graphene.String), description="Slugs")
    languages = graphene.List(graphene.NonNull(graphene.String), description="ISO 639-1 codes")
    organisations = graphene.List(graphene.NonNull(graphene.String), description="Keys")
    audience = Audience()
    age = graphene.Int(description="A client's age: the service's age range must include it.")
    free = graphene.Boolean()
    accessible = graphene.Boolean()


class FacetBucket(graphene.ObjectType):
    value = graphene.String(required=True)
    label = graphene.String(required=True)
    count = graphene.Int(required=True)


def _buckets():
    return graphene.List(graphene.NonNull(FacetBucket), required=True)


class ServiceFacets(graphene.ObjectType):
    """Counts over the whole current result set; only values with services are listed."""

    municipalities = _buckets()
    categories = _buckets()
    life_situations = _buckets()
    methods = _buckets()
    languages = _buckets()
    organisations = _buckets()
    audience = _buckets()
    free = _buckets()
    accessible = _buckets()


class ServiceDefaults(graphene.ObjectType):
    """What the caller's own settings filled in because the request gave no `filter`."""

    area = graphene.String(required=True, description="The home area's employment-area code.")
    municipalities = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="Municipality codes used as the filter.",
    )
    featured_first = graphene.Boolean(
        required=True,
        description="Whether the area's featured services were put first (relevance order "
        "without query text).",
    )


class ServiceResults(graphene.ObjectType):
    total_count = graphene.Int(required=True)
    locale = graphene.String(
        required=True, description="The locale asked for; each item says the one it is served in."
    )
    items = graphene.List(graphene.NonNull(_service_type), required=True)
    facets = graphene.Field(ServiceFacets, required=True)
    defaults = graphene.Field(
        ServiceDefaults,
        description="The signed-in caller's defaults applied to a request without a filter; "
        "null when none were.",
    )

    def resolve_facets(root, info):
        # Counted only when asked for (or already by Elasticsearch).
        return filters.facets(root["facet_counts"](), root["locale_object"], root["audience"])

    def resolve_defaults(root, info):
        search = root["search"]
        if search.defaults is None:
            return None
        return ServiceDefaults(
            area=search.defaults.area,
            municipalities=list(search.filter.get("municipalities") or ()),
            featured_first=bool(search.pins),
        )


def plain_filter(values):
    """A ServiceFilter input as a dict of snake_case names, enum members as their values."""
    if not values:
        return {}
    return {name: getattr(value, "value", value) for name, value in values.items()}


ContentKind = graphene.Enum("ContentKind", [(kind, kind) for kind in KINDS])


class SearchHit(graphene.ObjectType):
    kind = graphene.Field(ContentKind, required=True)
    key = graphene.String(description="Exchange-format key (pages); null for attachments.")
    title = graphene.String(required=True, description="Plain text: escape it when showing it.")
    url = graphene.String()
    excerpt = graphene.String(
        required=True,
        description=(
            "Escaped HTML around the matched words: its only markup is <mark>…</mark> "
            "around them, so it may be inserted as HTML as it is."
        ),
    )
    page = graphene.Field(get_page_interface)
    document = graphene.Field(get_document_type)
    explanation = graphene.String(
        description="With explain: matched fields and terms with their weights (signed-in users)."
    )

    def resolve_url(hit, info):
        if hit.page is not None:
            return hit.page.get_url(info.context)
        return hit.document.url

    def resolve_excerpt(hit, info):
        return hit.highlight or excerpt(text_of(hit), hit.query)


class KindCount(graphene.ObjectType):
    kind = graphene.Field(ContentKind, required=True)
    count = graphene.Int(required=True)


class SiteSearchResults(graphene.ObjectType):
    total_count = graphene.Int(required=True)
    kind_counts = graphene.List(
        graphene.NonNull(KindCount),
        required=True,
        description="Hits per kind for the query, whatever ``kinds`` selects (for tabs).",
    )
    items = graphene.List(graphene.NonNull(SearchHit), required=True)


class SearchQuery(graphene.ObjectType):
    services = graphene.Field(
        ServiceResults,
        required=True,
        locale=graphene.String(),
        query=graphene.String(),
        filter=ServiceFilter(),
        exclude=ServiceFilter(),
        order=ServiceOrder(default_value=ServiceOrder.RELEVANCE.value),
        limit=graphene.Int(default_value=20),
        offset=graphene.Int(default_value=0),
        validity=graphene.List(
            graphene.NonNull(ServiceValidity),
            default_value=[filters.CURRENT],
            description="Which validity windows to list (EXPIRED: signed-in users only).",
        ),
        description="Services the caller may see, filtered, ranked and counted.",
    )
    site_search = graphene.Field(
        SiteSearchResults,
        required=True,
        query=graphene.String(required=True),
        locale=graphene.String(),
        kinds=graphene.List(graphene.NonNull(ContentKind)),
        audience=Audience(
            description="Services of this audience only (EMPLOYER: the employer view), with "
            "its synonyms; the other kinds are not limited."
        ),
        limit=graphene.Int(default_value=20),
        offset=graphene.Int(default_value=0),
        explain=graphene.Boolean(
            default_value=False, description="Say why each hit ranks where it does (signed-in)."
        ),
        description="Everything the caller may see that matches the query, best first.",
    )

    def resolve_services(root, info, order, offset, limit, **arguments):
        # limit and offset were checked before execution (cms.graphql_guards).
        search = service_search(info, order=getattr(order, "value", order), **arguments)
        found = backends.run(info.context, "services", search, offset, limit)
        if search.text and offset == 0:
            _performed(info.context, search.text, search.locale, search.audience, found.total)
        return {
            "total_count": found.total,
            "locale": search.locale.language_code,
            "locale_object": search.locale,
            "audience": search.audience,
            "search": search,
            "items": load_services(info, found.ids, Selection.of(info, "items")),
            "facet_counts": found.facet_counts,
        }

    def resolve_site_search(
        root,
        info,
        query,
        locale=None,
        kinds=None,
        audience=None,
        limit=20,
        offset=0,
        explain=False,
    ):
        text = query.strip()
        if not text:
            raise GraphQLError(gettext("query must not be empty."))
        if explain and not info.context.user.is_authenticated:
            raise GraphQLError(gettext("explain is available to signed-in users."))
        search = filters.SiteSearch(
            text=text,
            locale=localisation.requested_locale(locale),
            visibility=for_request(info.context),
            kinds=frozenset(getattr(kind, "value", kind) for kind in kinds or KINDS),
            explain=explain,
            audience=getattr(audience, "value", audience),
        )
        found = backends.run(info.context, "site_search", search, offset, limit)
        if offset == 0:
            _performed(info.context, search.text, search.locale, search.audience, found.total)
        window = found.hits
        load_hit_pages(info, window, Selection.of(info, "items", "page"))
        return SiteSearchResults(
            total_count=found.total,
            kind_counts=[
                KindCount(kind=kind, count=found.kind_counts.get(kind, 0)) for kind in KINDS
            ],
            items=window,
        )


def service_search(
    info, locale=None, query=None, filter=None, exclude=None, validity=None, order="relevance"
):
    """The validated ``services`` request the GraphQL arguments ask for (search.filters).

    Other root fields that select services as ``services`` does build their
    request here too, so the arguments mean the same everywhere. A request
    without ``filter`` (omitted or null; ``{}`` is a filter that says nothing)
    takes the caller's personal defaults, if an app gives any.
    """
    windows = tuple(dict.fromkeys(getattr(w, "value", w) for w in validity or ()))
    filters.check_validity_windows(windows, info.context.user)
    search = filters.ServiceSearch(
        locale=localisation.requested_locale(locale),
        visibility=for_request(info.context),
        text=(query or "").strip(),
        filter=plain_filter(filter),
        exclude=plain_filter(exclude),
        order=order,
        validity=windows or (filters.CURRENT,),
    )
    if filter is None and (defaults := personal_defaults(info.context)) is not None:
        search.defaults = defaults
        search.filter = {"municipalities": list(defaults.municipalities)}
        search.pinned = tuple(defaults.pinned)
    search.validate()
    return search


def personal_defaults(request):
    """The first Defaults a ``service_search_defaults`` hook gives for this request, or None."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    for hook in hooks.get_hooks(DEFAULTS_HOOK):
        if (defaults := hook(request)) is not None:
            return defaults
    return None


def _performed(request, text, locale, audience, total):
    """Tell the ``search_performed`` hooks; their failure never fails the search."""
    for hook in hooks.get_hooks(PERFORMED_HOOK):
        try:
            hook(request, text=text, language=locale.language_code, audience=audience, total=total)
        except Exception:
            logger.exception("A search_performed hook failed")


def load_hit_pages(info, hits, selection):
    """What the query selects of the hits' pages, fetched for all hits at once: services
    as a services list loads them, the others as one batch (cms.delivery_schema)."""
    services = {
        page.pk: page
        for page in load_services(
            info, [hit.page.pk for hit in hits if isinstance(hit.page, ServicePage)], selection
        )
    }
    for hit in hits:
        if isinstance(hit.page, ServicePage):
            hit.page = services.get(hit.page.pk, hit.page)
    others = [hit.page for hit in hits if hit.page is not None and hit.page.pk not in services]
    load_instruction_relations(
        [page for page in others if isinstance(page, ProcessInstructionPage)], selection
    )
    if "availableLocales" in selection:
        localisation.remember_translations(info, others, for_request(info.context).pages())
    deliver_together(others)


def add_search_query(query_mixins):
    """``register_schema_query`` hook."""
    query_mixins.append(SearchQuery)

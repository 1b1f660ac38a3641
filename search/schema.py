"""The ``siteSearch`` root field: one search box over every content type."""

from collections import Counter

import graphene
from django.conf import settings
from django.utils.translation import gettext
from graphql import GraphQLError
from grapple.types.documents import get_document_type
from grapple.types.interfaces import get_page_interface
from wagtail.documents import get_document_model
from wagtail.models import Page

from catalogue.models import ServicePage
from catalogue.schema import load_services
from cms import localisation
from cms.visibility import for_request
from search import delivery_search
from search.site_search import KINDS, Hit, excerpt, search_everything, text_of

ContentKind = graphene.Enum("ContentKind", [(kind, kind) for kind in KINDS])


class SearchHit(graphene.ObjectType):
    kind = graphene.Field(ContentKind, required=True)
    key = graphene.String(description="Exchange-format key (pages); null for attachments.")
    title = graphene.String(required=True)
    url = graphene.String()
    excerpt = graphene.String(required=True)
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
    site_search = graphene.Field(
        SiteSearchResults,
        required=True,
        query=graphene.String(required=True),
        locale=graphene.String(),
        kinds=graphene.List(graphene.NonNull(ContentKind)),
        limit=graphene.Int(default_value=20),
        offset=graphene.Int(default_value=0),
        explain=graphene.Boolean(
            default_value=False, description="Say why each hit ranks where it does (signed-in)."
        ),
        description="Everything the caller may see that matches the query, best first.",
    )

    def resolve_site_search(
        root, info, query, locale=None, kinds=None, limit=20, offset=0, explain=False
    ):
        text = query.strip()
        if not text:
            raise GraphQLError(gettext("query must not be empty."))
        wanted = {getattr(kind, "value", kind) for kind in kinds or KINDS}
        language = localisation.requested_locale(locale)
        visibility = for_request(info.context)
        if explain and not info.context.user.is_authenticated:
            raise GraphQLError(gettext("explain is available to signed-in users."))
        if settings.ELASTICSEARCH_URL:
            found, total, by_kind = delivery_search.site_search(
                text, language, visibility, wanted, offset, limit, explain=explain
            )
            window = _load_hits(found, text)
        else:
            hits = search_everything(text, language, visibility)
            by_kind = Counter(hit.kind for hit in hits)
            selected = [hit for hit in hits if hit.kind in wanted]
            total, window = len(selected), selected[offset : offset + limit]
            for hit in window if explain else ():
                hit.explanation = f"score {hit.score:.2f} (database search backend)"
        # Service hits get the same prefetching as the services list.
        services = {
            page.pk: page
            for page in load_services(
                info, [hit.page.pk for hit in window if isinstance(hit.page, ServicePage)]
            )
        }
        for hit in window:
            if isinstance(hit.page, ServicePage):
                hit.page = services.get(hit.page.pk, hit.page)
        return SiteSearchResults(
            total_count=total,
            kind_counts=[KindCount(kind=kind, count=by_kind.get(kind, 0)) for kind in KINDS],
            items=window,
        )


def _load_hits(found, text):
    """Hits from the index, with their pages and documents from the database, in order."""
    page_ids = [hit["object_id"] for hit in found if hit["kind"] != "ATTACHMENT"]
    document_ids = [hit["object_id"] for hit in found if hit["kind"] == "ATTACHMENT"]
    pages = Page.objects.filter(pk__in=page_ids).specific().in_bulk()
    documents = get_document_model().objects.in_bulk(document_ids)
    hits = []
    for hit in found:
        target = (documents if hit["kind"] == "ATTACHMENT" else pages).get(hit["object_id"])
        if target is None:  # deleted since it was indexed
            continue
        hits.append(
            Hit(
                hit["kind"],
                hit["score"],
                page=None if hit["kind"] == "ATTACHMENT" else target,
                document=target if hit["kind"] == "ATTACHMENT" else None,
                query=text,
                highlight=hit["highlight"],
                explanation=hit.get("explanation"),
            )
        )
    return hits


def add_search_query(query_mixins):
    """``register_schema_query`` hook."""
    query_mixins.append(SearchQuery)

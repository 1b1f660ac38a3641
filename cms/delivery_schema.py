"""The visibility rule (cms.visibility) applied to grapple's generic GraphQL paths.

Grapple resolves pages with ``.live().public()`` (hiding internal content from
experts too) and follows foreign keys unguarded. Three of its supported
extension points put the policy in charge instead:

- ``PageInterface`` (``GRAPPLE["PAGE_INTERFACE"]``): the tree fields every page
  type has (parent, children, siblings, descendants, ancestors);
- ``VisibleRootQuery`` (put first among the ``register_schema_query`` mixins, so
  its resolvers win over grapple's on the same fields): the root ``pages``,
  ``page``, ``documents``, ``document``, ``search``, ``redirects`` and ``tags``
  fields;
- ``VisibilityMiddleware`` (``GRAPHENE["MIDDLEWARE"]``): a guard on every field
  that nulls a page or document the caller may not see and drops such items
  from lists: foreign keys (``ProcessInstructionPage.service``, attachments'
  documents), ``Site.pages``, redirects, aliases and whatever grapple adds next.

Documents also get ``downloadUrl`` (cms.signed_documents): a link a signed-in
caller's browser can download a restricted document from without a session.

The resolvers filter in SQL so that limits and offsets count visible items
only; the middleware is the backstop and never widens a result.
"""

import graphene
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from django.db.models.manager import BaseManager
from django.utils.translation import gettext
from graphql import GraphQLError
from grapple.registry import registry
from grapple.types.documents import get_document_type
from grapple.types.interfaces import PageInterface as GrapplePageInterface
from grapple.utils import resolve_queryset
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.backends.base import BaseSearchResults
from wagtail.search.index import class_is_indexed

from cms import localisation, preview, signed_documents
from cms.visibility import for_request


class PageInterface(GrapplePageInterface):
    """Grapple's page interface whose tree fields show only what the caller may see.

    Every page also says which locale it is served in and which translations
    the caller could ask for (cms.localisation).
    """

    locale = graphene.String(required=True, description="The locale this page is served in.")
    available_locales = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="Locales in which this page can be served to the caller.",
    )

    def resolve_locale(self, info, **kwargs):
        return localisation.locale_code(info, self.locale_id)

    def resolve_available_locales(self, info, **kwargs):
        return localisation.available_locales(info, self, for_request(info.context).pages())

    def resolve_parent(self, info, **kwargs):
        parent = self.get_parent()
        if parent is None or not for_request(info.context).can_view_page(parent):
            return None
        return parent.specific

    def resolve_children(self, info, **kwargs):
        return _visible_tree(self.get_children(), info, **kwargs)

    def resolve_siblings(self, info, **kwargs):
        return _visible_tree(self.get_siblings().exclude(pk=self.pk), info, **kwargs)

    def resolve_next_siblings(self, info, **kwargs):
        return _visible_tree(self.get_next_siblings(), info, **kwargs)

    def resolve_previous_siblings(self, info, **kwargs):
        return _visible_tree(self.get_prev_siblings(), info, **kwargs)

    def resolve_descendants(self, info, **kwargs):
        return _visible_tree(self.get_descendants(), info, **kwargs)

    def resolve_ancestors(self, info, **kwargs):
        return _visible_tree(self.get_ancestors(), info, **kwargs)


def _visible_tree(pages, info, **kwargs):
    visible = pages.filter(for_request(info.context).page_filter()).specific()
    return resolve_queryset(visible, info, **kwargs)


class VisibleRootQuery:
    """Resolvers for grapple's root fields; the fields themselves stay grapple's."""

    def resolve_pages(self, info, **kwargs):
        # Imported late: grapple.types.pages imports this module (its PAGE_INTERFACE).
        from grapple.types.pages import get_site_filter

        pages = for_request(info.context).pages()
        try:
            if kwargs.get("parent"):
                pages = pages.child_of(Page.objects.get(pk=kwargs["parent"]))
            elif kwargs.get("ancestor"):
                pages = pages.descendant_of(Page.objects.get(pk=kwargs["ancestor"]))
        except (Page.DoesNotExist, ValueError):
            return Page.objects.none()
        if kwargs.get("site") is not None or kwargs.get("in_site"):
            site = get_site_filter(info, **kwargs)
            if site is None:
                return Page.objects.none()
            pages = pages.in_site(site)
        kwargs.pop("site", None)
        kwargs.pop("in_site", None)
        if content_types := kwargs.pop("content_type", None):
            pages = pages.filter(_content_types(content_types))
        return resolve_queryset(pages.specific(), info, **kwargs)

    def resolve_page(self, info, **kwargs):
        """One visible page by id, slug or URL path, or the draft behind a preview token."""
        from grapple.types.pages import get_site_filter

        if kwargs.get("token"):
            return _previewed_page(info, **kwargs)
        pages = for_request(info.context).pages()
        if kwargs.get("site") is not None or kwargs.get("in_site"):
            site = get_site_filter(info, **kwargs)
            if site is None:
                return None
            pages = pages.in_site(site)
        if content_type := kwargs.get("content_type"):
            pages = pages.filter(_content_types(content_type))
        if kwargs.get("id"):
            pages = pages.filter(pk=kwargs["id"])
        elif kwargs.get("slug"):
            pages = pages.filter(slug=kwargs["slug"])
        elif url_path := kwargs.get("url_path"):
            url_path = url_path if url_path.endswith("/") else url_path + "/"
            pages = pages.filter(url_path__endswith=url_path)
        else:
            return None
        page = pages.order_by("path").first()
        return page.specific if page is not None else None

    def resolve_document(self, info, id=None, **kwargs):
        if id is None:
            return None
        return for_request(info.context).documents().filter(pk=id).first()

    def resolve_documents(self, info, **kwargs):
        return resolve_queryset(for_request(info.context).documents(), info, **kwargs)

    def resolve_image(self, info, id=None, **kwargs):
        if id is None:
            return None
        return for_request(info.context).images().prefetch_renditions().filter(pk=id).first()

    def resolve_images(self, info, **kwargs):
        images = for_request(info.context).images().prefetch_renditions()
        return resolve_queryset(images, info, **kwargs)

    def resolve_redirects(self, info, **kwargs):
        """Grapple's redirects, less those to a page the caller may not see (its URL names it)."""
        from grapple.types.redirects import RedirectsQuery

        visibility = for_request(info.context)
        return [
            redirect
            for redirect in RedirectsQuery.resolve_redirects(self, info, **kwargs)
            if redirect.redirect_page is None or visibility.can_view_page(redirect.redirect_page)
        ]

    def resolve_tag(self, info, id=None, **kwargs):
        if id is None or not str(id).isdigit():
            return None
        return _visible_tags(info).filter(pk=id).first()

    def resolve_tags(self, info, **kwargs):
        return resolve_queryset(_visible_tags(info), info, **kwargs)

    def resolve_sites(self, info, **kwargs):
        """Grapple's sites; Wagtail cannot search sites, so a search query is a clear error."""
        from grapple.types.sites import SitesQuery

        if kwargs.get("search_query"):
            raise GraphQLError("Sites cannot be searched: searchQuery is not supported here.")
        return SitesQuery().resolve_sites(self, info, **kwargs)

    def resolve_search(self, info, query=None, **kwargs):
        """Grapple's search over the public apps' indexed models, limited to what is visible."""
        if not query:
            return []
        visibility = for_request(info.context)
        backend = get_search_backend()
        models = [get_document_model(), get_image_model()]
        for app_label in registry.apps:
            models += apps.all_models[app_label].values()
        results = []
        for model in filter(class_is_indexed, models):
            if issubclass(model, Page):
                searched = model.objects.filter(visibility.page_filter())
            elif visibility.governs(model):
                searched = model.objects.filter(visibility.filter_for(model))
            else:
                searched = model
            results += backend.search(query, searched)
        return results


def _visible_tags(info):
    """Tags on something the caller may see: a tag only hidden documents carry would name them."""
    from taggit.models import Tag, TaggedItem

    visibility = for_request(info.context)
    hidden = Q(pk__in=[])
    for content_type in ContentType.objects.filter(
        pk__in=TaggedItem.objects.values("content_type")
    ):
        model = content_type.model_class()
        if model is not None and visibility.governs(model):
            visible = model.objects.filter(visibility.filter_for(model)).values("pk")
            hidden |= Q(content_type=content_type) & ~Q(object_id__in=visible)
    return Tag.objects.filter(pk__in=TaggedItem.objects.exclude(hidden).values("tag"))


def _previewed_page(info, token, id=None, slug=None, url_path=None, content_type=None, **kwargs):
    """The draft a preview token names (cms.preview), admitted past the visibility guard.

    Only the draft object itself is admitted (``Visibility.admit_preview``): its
    parent, documents and linked pages still follow the rule. A bad token is an
    error, not null, so the frontend can tell the editor the link has expired;
    an id, slug or URL path given with a token must name the previewed page.
    """
    try:
        page = preview.previewed_page(token, content_type)
    except preview.InvalidPreviewToken:
        raise GraphQLError(gettext(preview.INVALID_TOKEN)) from None
    if id is not None and str(id) != str(page.pk):
        return None
    if slug is not None and slug != page.slug:
        return None
    if url_path is not None and not page.url_path.endswith(url_path.rstrip("/") + "/"):
        return None
    for_request(info.context).admit_preview(page)
    return page


def _content_types(notation):
    """A Q for grapple's comma-separated ``app.Model`` content type filter.

    Filtering on content type ids (a filter field of Page) rather than on the
    content type's columns keeps the queryset searchable.
    """
    natural_keys = Q()
    for content_type in notation.split(","):
        app_label, _, model = content_type.strip().lower().partition(".")
        natural_keys |= Q(app_label=app_label, model=model)
    return Q(content_type__in=list(ContentType.objects.filter(natural_keys)))


def put_visible_root_query_first(query_mixins):
    """``register_schema_query`` hook: the first base of grapple's Query class wins.

    Grapple has built every type by the time this runs, so it is also where the
    editorial fields are taken off the page types.
    """
    query_mixins.insert(0, VisibleRootQuery)
    remove_editorial_fields()
    add_download_url()


# Model fields grapple exposes on every page type that describe the editing
# state rather than the published content: that a draft exists, when it was
# written, who holds a lock, who is reminded to review it, how many children
# (hidden ones included) a page has.
EDITORIAL_FIELDS = (
    "draft_title",
    "has_unpublished_changes",
    "latest_revision_created_at",
    "latest_revision",
    "live_revision",
    "locked",
    "locked_at",
    "locked_by",
    "owner",
    "numchild",
    "review_reminders",
    # Not editorial, but grapple types it as the base Page while returning the
    # specific page, which fails the whole list it sits in.
    "sites_rooted_here",
)


def add_download_url():
    """``downloadUrl`` on the document type, beside grapple's ``url``.

    Grapple's ``url`` is Wagtail's document view, which sends a caller without
    a session (a bearer-token frontend's browser) to the admin login for a
    restricted document; ``downloadUrl`` works there too.
    """
    get_document_type()._meta.fields["download_url"] = graphene.Field(
        graphene.String,
        resolver=_resolve_download_url,
        description=(
            "Where the caller's browser downloads the file: the ordinary URL of a public "
            "document; for a restricted one, a signed link for the signed-in caller, valid "
            "for a few minutes (ask again for a new one); null when the caller has none."
        ),
    )


def _resolve_download_url(document, info, **kwargs):
    return signed_documents.download_url(info.context, document)


def remove_editorial_fields():
    from grapple.types.pages import Page as PageType  # the type of pages without their own

    for graphene_type in [PageInterface, PageType, *registry.pages.values()]:
        for name in EDITORIAL_FIELDS:
            graphene_type._meta.fields.pop(name, None)


class VisibilityMiddleware:
    """Graphene middleware: no field returns an object its caller may not see (cms.visibility)."""

    def resolve(self, next, root, info, **kwargs):
        return _guard(next(root, info, **kwargs), for_request(info.context))


def _guard(value, visibility):
    if value is None or isinstance(value, (str, bytes, int, float, bool, dict)):
        return value
    if isinstance(value, Model):
        return value if visibility.allows(value) else None
    if isinstance(value, QuerySet):
        if not visibility.governs(value.model):
            return value
        if not value.query.is_sliced:
            return value.filter(visibility.filter_for(value.model))
        return [item for item in value if visibility.allows(item)]
    if isinstance(value, (list, tuple, BaseSearchResults)):
        return [item for item in value if visibility.allows(item)]
    if isinstance(value, BaseManager):  # a related manager, e.g. of a reverse foreign key
        return _guard(value.all(), visibility)
    return value

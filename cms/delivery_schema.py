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
- ``schema`` (``GRAPHENE["SCHEMA"]``): grapple's schema with a guard on each
  field whose type is a page, document, image or draftable snippet (and on no
  other field): it nulls an object the caller may not see and drops such items
  from lists: foreign keys (``ProcessInstructionPage.service``, attachments'
  documents), ``Site.pages``, redirects, aliases and whatever grapple adds next.

Pages one list delivers (``deliver_together``: services, search hits, tree
fields) share a batch, so that a per-page field (parent, children, ancestors,
aliases, ...) is fetched for the whole list with one query, not one per page.

Documents also get ``downloadUrl`` (cms.signed_documents): a link a signed-in
caller's browser can download a restricted document from without a session.

The resolvers filter in SQL so that limits and offsets count visible items
only; the guard is the backstop and never widens a result.
"""

import graphene
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from django.db.models.manager import BaseManager
from django.utils.translation import gettext
from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLUnionType,
    InlineFragmentNode,
    default_field_resolver,
    get_named_type,
)
from grapple.registry import registry
from grapple.settings import grapple_settings
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
from cms.visibility import Visibility, for_request


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
        _batched(self, info, "translations", _remember_translations(info))
        return localisation.available_locales(info, self, for_request(info.context))

    def resolve_parent(self, info, **kwargs):
        return _batched(self, info, "parent", _parents)

    def resolve_children(self, info, **kwargs):
        if _batchable(kwargs):
            return _sliced(_batched(self, info, "children", _children, []), kwargs)
        return _visible_tree(self.get_children(), info, **kwargs)

    def resolve_siblings(self, info, **kwargs):
        if _batchable(kwargs):
            siblings = _batched(self, info, "siblings", _siblings, [])
            return _sliced([page for page in siblings if page.pk != self.pk], kwargs)
        return _visible_tree(self.get_siblings().exclude(pk=self.pk), info, **kwargs)

    def resolve_next_siblings(self, info, **kwargs):
        if _batchable(kwargs):
            siblings = _batched(self, info, "siblings", _siblings, [])
            return _sliced([page for page in siblings if page.path > self.path], kwargs)
        return _visible_tree(self.get_next_siblings(), info, **kwargs)

    def resolve_previous_siblings(self, info, **kwargs):
        if _batchable(kwargs):
            siblings = _batched(self, info, "siblings", _siblings, [])
            # Wagtail lists previous siblings nearest first.
            previous = [page for page in reversed(siblings) if page.path < self.path]
            return _sliced(previous, kwargs)
        return _visible_tree(self.get_prev_siblings(), info, **kwargs)

    def resolve_descendants(self, info, **kwargs):
        if _batchable(kwargs):
            return _sliced(_batched(self, info, "descendants", _descendants, []), kwargs)
        return _visible_tree(self.get_descendants(), info, **kwargs)

    def resolve_ancestors(self, info, **kwargs):
        if _batchable(kwargs):
            return _sliced(_batched(self, info, "ancestors", _ancestors, []), kwargs)
        return _visible_tree(self.get_ancestors(), info, **kwargs)


def _visible_tree(pages, info, **kwargs):
    visible = pages.filter(for_request(info.context).page_filter()).specific()
    return resolve_queryset(visible, info, **kwargs)


# Arguments the batched tree lists answer by cutting the list: no query of their own.
_SLICING = {"limit", "offset"}


def _batchable(kwargs):
    """Whether a tree field can be answered from its list's batch: unless it searches,
    orders or filters (grapple always passes the default search operator)."""
    asked = {name for name, value in kwargs.items() if value is not None}
    return asked - {"search_operator"} <= _SLICING


def _sliced(pages, kwargs):
    """A batched list cut as grapple cuts a queryset: ``offset``, then ``limit`` (grapple's
    default page size when not given, never more than its maximum; the guards refuse
    negative values and too large limits with an error first)."""
    offset = kwargs.get("offset") or 0
    limit = min(kwargs.get("limit") or grapple_settings.PAGE_SIZE, grapple_settings.MAX_PAGE_SIZE)
    return pages[offset : offset + limit]


# --- Batches: per-page fields fetched for a whole list at once ---------------------


class _Batch:
    """Pages delivered in one list, and what has been fetched for all of them."""

    def __init__(self, pages):
        self.pages = pages
        self.fetched = {}


def deliver_together(pages):
    """Mark pages one list delivers: a per-page field asked of one of them is then fetched
    for all of them (one query per field and list, whatever the list's length)."""
    pages = list(pages)
    batch = _Batch(pages)
    for page in pages:
        page._delivery_batch = batch
    return pages


def _batched(page, info, name, fetch, default=None):
    """``fetch(pages, visibility)`` → {page id: value} for the page's batch, run once."""
    batch = getattr(page, "_delivery_batch", None) or _Batch([page])
    if name not in batch.fetched:
        batch.fetched[name] = fetch(batch.pages, for_request(info.context))
    return batch.fetched[name].get(page.pk, default)


def batched(page, info, name, fetch, default=None):
    """The same for fields other apps add to a page type (guidance's effectiveness figures
    and feedback on services): ``name`` must be unique to the field."""
    return _batched(page, info, name, fetch, default)


def _remember_translations(info):
    def fetch(pages, visibility):
        localisation.remember_translations(info, pages, visibility.pages())
        return {}

    return fetch


def _fetch_pages(visibility, q, base=False):
    """Visible pages matching ``q`` in tree order, themselves one batch."""
    pages = Page.objects.filter(q, visibility.page_filter()).order_by("path")
    return deliver_together(pages if base else pages.specific())


def _parent_path(page):
    return page.path[: -page.steplen]


def _parents(pages, visibility):
    paths = {_parent_path(page) for page in pages if page.depth > 1}
    by_path = {parent.path: parent for parent in _fetch_pages(visibility, Q(path__in=paths))}
    return {page.pk: by_path.get(_parent_path(page)) for page in pages}


def _under(paths, depth=None):
    """A Q for the pages below any of ``paths`` (exactly ``depth`` deep when given)."""
    q = Q.create([("path__startswith", path) for path in paths], connector=Q.OR)
    return q & (Q(depth=depth) if depth is not None else Q())


def _grouped(pages, found, key):
    """{page id: the found pages that ``key(page, candidate)`` accepts}."""
    return {page.pk: [other for other in found if key(page, other)] for page in pages}


def _children(pages, visibility):
    q = Q.create([_under([page.path], page.depth + 1) for page in pages], connector=Q.OR)
    found = _fetch_pages(visibility, q) if pages else []
    return _grouped(pages, found, lambda page, other: _parent_path(other) == page.path)


def _descendants(pages, visibility):
    q = _under({page.path for page in pages}) & ~Q(pk__in=[page.pk for page in pages])
    found = _fetch_pages(visibility, q) if pages else []
    return _grouped(
        pages,
        found,
        lambda page, other: other.path.startswith(page.path) and other.pk != page.pk,
    )


def _siblings(pages, visibility):
    """Every visible child of the pages' parents, the pages themselves included."""
    q = Q.create(
        [_under([_parent_path(page)], page.depth) for page in pages if page.depth > 1],
        connector=Q.OR,
    )
    found = _fetch_pages(visibility, q) if q else []
    return _grouped(pages, found, lambda page, other: _parent_path(other) == _parent_path(page))


def _ancestors(pages, visibility):
    steplen = Page.steplen
    paths = {page.path[: steplen * depth] for page in pages for depth in range(1, page.depth)}
    found = _fetch_pages(visibility, Q(path__in=paths)) if paths else []
    return _grouped(
        pages,
        found,
        lambda page, other: page.path.startswith(other.path) and other.depth < page.depth,
    )


def _aliases(pages, visibility):
    found = _fetch_pages(visibility, Q(alias_of__in=[page.pk for page in pages]), base=True)
    return _grouped(pages, found, lambda page, other: other.alias_of_id == page.pk)


def _resolve_aliases(page, info, **kwargs):
    return _batched(page, info, "aliases", _aliases, [])


def _downcast(model):
    """Grapple's per-type field of a page (``servicepage``, ...): the page itself when it
    is of that type, else null; the page is already the specific one, so no query."""

    def resolve(page, info, **kwargs):
        if isinstance(page, model):
            return page
        specific_class = page.specific_class
        if type(page) is Page and specific_class is not None and issubclass(specific_class, model):
            return page.specific
        return None

    return resolve


class Selection:
    """The fields a query selects below a field, fragments merged (type conditions are
    ignored: preparing for a field a fragment may not apply to costs little)."""

    def __init__(self, info, nodes):
        self.info = info
        self.nodes = nodes

    @classmethod
    def of(cls, info, *path):
        """What is selected below the field being resolved, or below ``path`` under it."""
        selection = cls(info, list(info.field_nodes))
        for name in path:
            selection = selection[name]
        return selection

    def _fields(self, selection_set):
        for node in selection_set.selections if selection_set else ():
            if isinstance(node, FieldNode):
                yield node
            elif isinstance(node, FragmentSpreadNode):
                fragment = self.info.fragments.get(node.name.value)
                if fragment is not None:
                    yield from self._fields(fragment.selection_set)
            elif isinstance(node, InlineFragmentNode):
                yield from self._fields(node.selection_set)

    def __getitem__(self, name):
        return Selection(
            self.info,
            [
                field
                for node in self.nodes
                for field in self._fields(node.selection_set)
                if field.name.value == name
            ],
        )

    def __contains__(self, name):
        return bool(self[name].nodes)


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
    batch_page_fields()


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


def batch_page_fields():
    """Grapple's fields from the Page model that would cost a query per page: ``aliases``
    (fetched for the whole batch) and the per-type fields (answered without a query)."""
    from grapple.types.pages import Page as PageType

    # Grapple also files its base type under Page's metaclass: only page models count.
    downcasts = {
        model._meta.model_name: model
        for model in registry.pages
        if isinstance(model, type) and issubclass(model, Page) and model is not Page
    }
    for graphene_type in [PageType, *registry.pages.values()]:
        graphene_type.resolve_aliases = _resolve_aliases
        for name, model in downcasts.items():
            if name in graphene_type._meta.fields:
                setattr(graphene_type, f"resolve_{name}", _downcast(model))


def remove_editorial_fields():
    from grapple.types.pages import Page as PageType  # the type of pages without their own

    for graphene_type in [PageInterface, PageType, *registry.pages.values()]:
        for name in EDITORIAL_FIELDS:
            graphene_type._meta.fields.pop(name, None)


def __getattr__(name):
    """``schema``: grapple's schema with the visibility guard on its governed fields.

    Grapple builds its schema on import, which imports this module (its page
    interface), so the guard is put in place on first use instead.
    """
    if name != "schema":
        raise AttributeError(name)
    from grapple.schema import schema

    guard_governed_fields(schema.graphql_schema)
    globals()["schema"] = schema
    return schema


def guard_governed_fields(graphql_schema):
    """Wrap the resolver of every field whose type holds pages, documents, images or
    draftable snippets (cms.visibility governs them) in the guard; other fields, the
    great majority, run as they are."""
    for graphql_type in graphql_schema.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType) or graphql_type.name.startswith("__"):
            continue
        for field in graphql_type.fields.values():
            resolve = field.resolve or default_field_resolver
            if _governed(graphql_schema, field.type) and not getattr(resolve, "guarded", False):
                field.resolve = _guarded(resolve)


def _governed(graphql_schema, graphql_type):
    named = get_named_type(graphql_type)
    if isinstance(named, (GraphQLInterfaceType, GraphQLUnionType)):
        return any(_governed_object(t) for t in graphql_schema.get_possible_types(named))
    return isinstance(named, GraphQLObjectType) and _governed_object(named)


def _governed_object(graphql_type):
    meta = getattr(getattr(graphql_type, "graphene_type", None), "_meta", None)
    model = getattr(meta, "model", None)
    return model is not None and Visibility.governs(model)


def _guarded(resolve):
    def guarded(root, info, **kwargs):
        return _guard(resolve(root, info, **kwargs), for_request(info.context))

    guarded.guarded = True
    return guarded


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

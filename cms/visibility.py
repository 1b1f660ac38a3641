"""Visibility: which pages and documents a delivery request may see (näkyvyyssääntö).

The one home of the rule, in the spirit of Wagtail's permission policies:

- anonymous callers see live pages without a view restriction on the page or
  an ancestor, and documents in collections without a view restriction (on
  the collection or an ancestor);
- signed-in users additionally see what sits behind restrictions they pass:
  a GROUPS restriction admits superusers and members of its groups (experts,
  producers, administrators), a LOGIN restriction admits anyone signed in;
- a PASSWORD restriction admits nobody through the API: its shared password
  belongs to a browser session on the rendered site, which the API has not;
- drafts (pages that are not live) are never delivered, except the one draft
  a valid preview token names, to whoever holds the token (``admit_preview``).

Wagtail's ``.live().public()`` (used throughout grapple) treats every
restriction as failed, which would hide internal instructions from the very
experts they are written for; this module is what the delivery schema
(cms.delivery_schema) calls instead.

There are only a few restrictions, so the subtrees a user does not pass are
computed up front and excluded with a handful of ``path__startswith``
clauses, both in SQL (querysets) and in Python (single objects). The
restrictions themselves are read once per process, not per request
(cms.process_cache forgets them whenever one changes).
"""

from dataclasses import dataclass

from django.db.models import Q
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    BaseViewRestriction,
    Collection,
    CollectionMember,
    CollectionViewRestriction,
    DraftStateMixin,
    Page,
    PageViewRestriction,
)
from wagtail.signals import post_page_move

from cms import process_cache


@dataclass(frozen=True)
class _Restriction:
    """A page or collection view restriction as the rule needs it (``covers``: for a
    collection, the ids of it and its descendants)."""

    pk: int
    restriction_type: str
    path: str
    group_ids: frozenset
    covers: frozenset = frozenset()


@dataclass(frozen=True)
class _Restrictions:
    pages: tuple
    collections: tuple
    restricted_collection_ids: frozenset


def _load_restrictions():
    pages = tuple(
        _Restriction(r.pk, r.restriction_type, r.page.path, frozenset(g.pk for g in r.groups.all()))
        for r in PageViewRestriction.objects.select_related("page").prefetch_related("groups")
    )
    restrictions = list(
        CollectionViewRestriction.objects.select_related("collection").prefetch_related("groups")
    )
    collection_paths = dict(Collection.objects.values_list("pk", "path")) if restrictions else {}
    collections = tuple(
        _Restriction(
            r.pk,
            r.restriction_type,
            r.collection.path,
            frozenset(g.pk for g in r.groups.all()),
            frozenset(
                pk for pk, path in collection_paths.items() if path.startswith(r.collection.path)
            ),
        )
        for r in restrictions
    )
    return _Restrictions(pages, collections, frozenset().union(*(r.covers for r in collections)))


# Restrictions change when an editor sets a page's or a collection's privacy, or moves
# what they cover; every request needs them, so they are read once per process
# (cms.process_cache clears them on those changes).
_restrictions = process_cache.ProcessCache(_load_restrictions)
process_cache.invalidate_on(PageViewRestriction, CollectionViewRestriction, Collection)
process_cache.invalidate_on_m2m(
    PageViewRestriction.groups.through, CollectionViewRestriction.groups.through
)
post_page_move.connect(process_cache.changed, dispatch_uid="cms.visibility.page_moved", weak=False)


def _signed_in(user):
    return user is not None and user.is_authenticated and user.is_active


class Visibility:
    """What one user may see; built with a few queries and reused for a whole request."""

    _previews = ()

    def __init__(self, user):
        self.user = user
        self._group_ids = None
        rules = _restrictions.get()
        failed_pages = [r for r in rules.pages if not self.passes(r)]
        self.hidden_page_paths = tuple(r.path for r in failed_pages)
        failed_collections = [r for r in rules.collections if not self.passes(r)]
        self._restricted_collection_ids = rules.restricted_collection_ids
        # The same verdicts by restriction, for the delivery search index, whose
        # documents carry the restrictions they sit behind (search.index).
        self.failed_restrictions = frozenset(
            [f"page:{r.pk}" for r in failed_pages]
            + [f"collection:{r.pk}" for r in failed_collections]
        )
        self.hidden_collection_ids = frozenset().union(*(r.covers for r in failed_collections))

    def passes(self, restriction):
        """Whether the user gets through one page or collection view restriction."""
        if not _signed_in(self.user):
            return False
        if restriction.restriction_type == BaseViewRestriction.LOGIN:
            return True
        if restriction.restriction_type == BaseViewRestriction.GROUPS:
            if self.user.is_superuser:
                return True
            if self._group_ids is None:
                self._group_ids = set(self.user.groups.values_list("pk", flat=True))
            return not self._group_ids.isdisjoint(restriction.group_ids)
        return False  # PASSWORD

    def page_filter(self):
        """A Q for the visible pages: live, not the tree root, outside hidden subtrees."""
        q = Q(live=True, depth__gt=1)
        for path in self.hidden_page_paths:
            q &= ~Q(path__startswith=path)
        return q

    def pages(self):
        return Page.objects.filter(self.page_filter())

    def admit_preview(self, page):
        """Let one previewed draft through for this request (cms.preview).

        The preview token is the credential, so the draft object the token
        resolved to is admitted by identity, not by id: the live page with the
        same id and whatever the draft leads to still follow the rule.
        """
        self._previews = (*self._previews, page)

    def can_view_page(self, page):
        if any(page is preview for preview in self._previews):
            return True
        return (
            page.live
            and page.depth > 1
            and not any(page.path.startswith(path) for path in self.hidden_page_paths)
        )

    def collection_filter(self):
        """A Q for documents and images outside the restricted collections."""
        return ~Q(collection_id__in=self.hidden_collection_ids)

    def documents(self):
        return get_document_model().objects.filter(self.collection_filter())

    def images(self):
        return get_image_model().objects.filter(self.collection_filter())

    def can_view_document(self, document):
        return document.collection_id not in self.hidden_collection_ids

    def is_public_document(self, document):
        """Whether anyone may download the document, signed in or not: no restriction on
        its collection or an ancestor (the ones this user passes included)."""
        return document.collection_id not in self._restricted_collection_ids

    # The rule for any object a GraphQL field returns (cms.delivery_schema).

    @staticmethod
    def governs(model):
        """Pages, documents and images, and snippets with drafts, are subject to the rule."""
        return issubclass(model, (Page, CollectionMember, DraftStateMixin))

    def filter_for(self, model):
        """A Q selecting the instances of ``model`` the user may see."""
        if issubclass(model, Page):
            return self.page_filter()
        if issubclass(model, CollectionMember):
            return self.collection_filter()
        return Q(live=True)  # a DraftStateMixin snippet: its published state only

    def allows(self, obj):
        """Whether one object may be delivered to the user."""
        if isinstance(obj, Page):
            return self.can_view_page(obj)
        if isinstance(obj, CollectionMember):
            return obj.collection_id not in self.hidden_collection_ids
        if isinstance(obj, DraftStateMixin):
            return obj.live
        return True


def for_request(request):
    """The request user's visibility, computed once per request."""
    visibility = getattr(request, "_delivery_visibility", None)
    if visibility is None:
        visibility = Visibility(getattr(request, "user", None))
        if request is not None:
            request._delivery_visibility = visibility
    return visibility


def visible_pages(user):
    """Pages the user may see through delivery, as a PageQuerySet."""
    return Visibility(user).pages()


def can_view_page(user, page):
    return Visibility(user).can_view_page(page)


def visible_documents(user):
    """Documents the user may see through delivery."""
    return Visibility(user).documents()


def can_view_document(user, document):
    return Visibility(user).can_view_document(document)


ANONYMOUS = "anonymous"


def visibility_class(request):
    """A stable key shared by exactly the callers who see what this request's caller sees.

    Cached answers (cms.response_cache) are shared within a class, never
    across. Anonymous callers form one class, known without a query. A
    signed-in caller's class is "signed-in" and the restrictions they do not
    pass: two experts in the same groups share one; a signed-in user in no
    group never shares the anonymous class, since being signed in shows more
    than restrictions do (LOGIN restrictions, expired services, ``explain``).
    """
    if not _signed_in(getattr(request, "user", None)):
        return ANONYMOUS
    return "signed-in:" + ",".join(sorted(for_request(request).failed_restrictions))

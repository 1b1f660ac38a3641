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
clauses, both in SQL (querysets) and in Python (single objects).
"""

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


def _signed_in(user):
    return user is not None and user.is_authenticated and user.is_active


class Visibility:
    """What one user may see; built with a few queries and reused for a whole request."""

    _previews = ()

    def __init__(self, user):
        self.user = user
        self._group_ids = None
        page_restrictions = PageViewRestriction.objects.select_related("page")
        failed_pages = [
            restriction
            for restriction in page_restrictions.prefetch_related("groups")
            if not self.passes(restriction)
        ]
        self.hidden_page_paths = tuple(restriction.page.path for restriction in failed_pages)
        collection_restrictions = list(
            CollectionViewRestriction.objects.select_related("collection").prefetch_related(
                "groups"
            )
        )
        self._restricted_collection_paths = [r.collection.path for r in collection_restrictions]
        self._restricted_collection_ids = None
        failed_collections = [
            restriction for restriction in collection_restrictions if not self.passes(restriction)
        ]
        hidden_collection_paths = [
            restriction.collection.path for restriction in failed_collections
        ]
        # The same verdicts by restriction, for the delivery search index, whose
        # documents carry the restrictions they sit behind (search.index).
        self.failed_restrictions = frozenset(
            [f"page:{restriction.pk}" for restriction in failed_pages]
            + [f"collection:{restriction.pk}" for restriction in failed_collections]
        )
        self.hidden_collection_ids = frozenset(
            Collection.objects.filter(
                Q.create([("path__startswith", path) for path in hidden_collection_paths], "OR")
            ).values_list("pk", flat=True)
            if hidden_collection_paths
            else ()
        )

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
            return any(group.pk in self._group_ids for group in restriction.groups.all())
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
        if self._restricted_collection_ids is None:
            paths = self._restricted_collection_paths
            self._restricted_collection_ids = frozenset(
                Collection.objects.filter(
                    Q.create([("path__startswith", path) for path in paths], "OR")
                ).values_list("pk", flat=True)
                if paths
                else ()
            )
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

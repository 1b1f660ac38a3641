"""Which changes reach the delivery search index, connected in ``SearchConfig.ready()``.

Each handler names the pages and documents a change touches and leaves the
rest to search.freshness, which updates the index after the commit:

- publishing or unpublishing a page (including a translation, a scheduled
  publication and an expiry) touches the page and its translations, because
  the Finnish page's ``served_in`` lists the locales without a live
  translation; deleting a live page unpublishes it first (Wagtail's own
  ``pre_delete`` handler), so its translations follow the same way;
- a deleted page leaves the index;
- a moved page takes its subtree along: restrictions and, for services, the
  organisation come from the ancestors;
- a page or collection view restriction added, changed or removed touches
  what sits under it;
- a document saved (uploaded, edited, moved to another collection) or deleted.

Saving a draft touches nothing: the index holds published content only.
Without ``ELASTICSEARCH_URL`` there is no delivery index and every handler
returns at once.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from search import freshness, synonyms
from search.models import Synonym


def _translation_group(page):
    """The page and its live translations."""
    return [
        page.pk,
        *Page.objects.filter(translation_key=page.translation_key, live=True)
        .exclude(pk=page.pk)
        .values_list("pk", flat=True),
    ]


def page_publication_changed(sender, instance, **kwargs):
    if freshness.enabled():
        freshness.schedule(pages=_translation_group(instance))


def page_deleted(sender, instance, **kwargs):
    if freshness.enabled():
        freshness.schedule(pages=[instance.pk])


def page_moved(sender, instance, **kwargs):
    if freshness.enabled():
        freshness.schedule(pages=freshness.indexed_pages_under(instance))


def page_restriction_changed(sender, instance, **kwargs):
    if not freshness.enabled():
        return
    # Gone already when the restriction is deleted along with its page.
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        freshness.schedule(pages=freshness.indexed_pages_under(page))


def collection_restriction_changed(sender, instance, **kwargs):
    if not freshness.enabled():
        return
    collection = Collection.objects.filter(pk=instance.collection_id).first()
    if collection is not None:
        freshness.schedule(documents=freshness.documents_under(collection))


def document_changed(sender, instance, **kwargs):
    if freshness.enabled():
        freshness.schedule(documents=[instance.pk])


def synonyms_changed(sender, instance, **kwargs):
    # Now for this request, and again at commit in case a search refilled the
    # cache from the database before the change was visible.
    synonyms.forget()
    transaction.on_commit(synonyms.forget)


def connect():
    # Wagtail sends page signals with the specific class as sender, so these
    # listen to every sender; a page deletion sends post_delete for Page as
    # well as for the specific class, so that one listens to Page alone.
    page_published.connect(page_publication_changed, dispatch_uid="search.page_published")
    page_unpublished.connect(page_publication_changed, dispatch_uid="search.page_unpublished")
    post_page_move.connect(page_moved, dispatch_uid="search.page_moved")
    post_delete.connect(page_deleted, sender=Page, dispatch_uid="search.page_deleted")
    for signal, change in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            page_restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"search.page_restriction_{change}",
        )
        signal.connect(
            collection_restriction_changed,
            sender=CollectionViewRestriction,
            dispatch_uid=f"search.collection_restriction_{change}",
        )
        signal.connect(
            document_changed,
            sender=get_document_model(),
            dispatch_uid=f"search.document_{change}",
        )
        signal.connect(synonyms_changed, sender=Synonym, dispatch_uid=f"search.synonym_{change}")

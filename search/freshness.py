"""Keeping the delivery search index in line with the database (hakuindeksin tuoreus).

The signal handlers (search.signals) only say which pages and documents a
change touched. After the transaction commits, ``sync`` reads those objects
afresh and writes, or removes, their index documents; so whatever happened to
an object in between (published, then deleted; a rolled-back savepoint) the
index ends up agreeing with what was committed, and a draft never reaches it
because ``search.index.page_document`` looks only at live pages.

Elasticsearch being down must not cost an editor their save, nor lose the
update: every failure is logged and recorded as a ``PendingIndexUpdate``, and
``manage.py search_reconcile`` (hourly) retries them. ``--full`` also compares
the whole index with the database, for what no row recorded (a process that
died between the commit and the index call).

Updates run in the request, synchronously: the stack has no task queue, and a
batch per transaction keeps a multi-page import to a few bulk requests.
"""

import logging
import threading
from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.db import transaction
from elasticsearch import ApiError, NotFoundError, TransportError, helpers
from modelcluster.models import get_all_child_relations
from wagtail.documents import get_document_model
from wagtail.models import Page, ReferenceIndex
from wagtail.search.backends import get_search_backends

from catalogue.models import ServicePage
from guides.models import GuidePage, ProcessInstructionPage
from search import index
from search.models import PendingIndexUpdate

logger = logging.getLogger(__name__)

# One bulk request's worth when catching up: small enough that a poisoned
# batch is cheap to retry object by object.
CHUNK_SIZE = 200


def enabled():
    return bool(settings.ELASTICSEARCH_URL)


def indexed_page_models():
    """The page types with delivery index documents (as ``search.index.page_document``)."""
    return (ServicePage, ProcessInstructionPage, GuidePage)


def indexed_pages_under(page):
    """Ids of the live indexed pages in a subtree, the page itself included."""
    return (
        Page.objects.descendant_of(page, inclusive=True)
        .type(*indexed_page_models())
        .live()
        .values_list("pk", flat=True)
    )


def documents_under(collection):
    """Ids of the documents in a collection and its descendants."""
    return (
        get_document_model()
        .objects.filter(collection__path__startswith=collection.path)
        .values_list("pk", flat=True)
    )


# --- After commit ---------------------------------------------------------------


class _Batch(threading.local):
    """The ids touched in this thread's current transaction."""

    def __init__(self):
        self.pages = set()
        self.documents = set()

    def take(self):
        taken = self.pages, self.documents
        self.pages, self.documents = set(), set()
        return taken


_batch = _Batch()


def schedule(pages=(), documents=()):
    """Bring these pages and documents (ids) up to date in the index once the transaction commits.

    Each call registers its own callback, and the first one to run takes the
    whole batch: a callback registered in a savepoint that is rolled back is
    dropped by Django, and the others still flush what it had added. Ids left
    by a transaction rolled back entirely go with the next batch, which is
    harmless since a sync reads the database.
    """
    if not enabled():
        return
    _batch.pages.update(pages)
    _batch.documents.update(documents)
    transaction.on_commit(_flush, robust=True)


def _flush():
    pages, documents = _batch.take()
    if not pages and not documents:
        return
    try:
        sync(pages, documents)
    except Exception:  # the editor's change is committed; the index can catch up later
        logger.exception(
            "Delivery index update failed and could not be recorded (pages %s, documents %s)",
            sorted(pages),
            sorted(documents),
        )


# --- Sync -----------------------------------------------------------------------


def _describe(exc):
    return f"{exc.__class__.__name__}: {exc}"[:2000]


def _bulk_failures(errors):
    """Failed items of a bulk response by doc id, ignoring deletes of absent documents."""
    failures = {}
    for error in errors:
        ((op_type, item),) = error.items()
        if op_type == "delete" and item.get("status") == 404:
            continue
        failures[item.get("_id")] = str(item.get("error") or item.get("result") or item)[:2000]
    return failures


def _attempt(page_ids, document_ids):
    """Write the current state of these objects to the index.

    Returns ``(targets, failures)``: doc id → (kind, object id, action) for
    every object, and doc id → error text for those that did not make it.
    """
    Document = get_document_model()
    pages = {page.pk: page for page in Page.objects.filter(pk__in=page_ids).specific()}
    documents = {
        document.pk: document
        for document in Document.objects.filter(pk__in=document_ids).select_related("collection")
    }
    targets = {}
    gone = []
    for pk in page_ids:
        page = pages.get(pk)
        action = (
            PendingIndexUpdate.Action.INDEX
            if page is not None and page.live
            else PendingIndexUpdate.Action.DELETE
        )
        doc_id = index.doc_id(page or Page(pk=pk))
        targets[doc_id] = (PendingIndexUpdate.Kind.PAGE, pk, action)
        if page is None:
            gone.append(doc_id)
    for pk in document_ids:
        document = documents.get(pk)
        action = PendingIndexUpdate.Action.INDEX if document else PendingIndexUpdate.Action.DELETE
        doc_id = index.doc_id(document or Document(pk=pk))
        targets[doc_id] = (PendingIndexUpdate.Kind.DOCUMENT, pk, action)
        if document is None:
            gone.append(doc_id)

    try:
        _, errors = index.index_objects([*pages.values(), *documents.values()])
        failures = _bulk_failures(errors)
        if gone:
            _, errors = index.delete_ids(gone)
            failures.update(_bulk_failures(errors))
    except Exception as exc:  # connection refused, timeout, or a document that cannot be built
        failures = dict.fromkeys(targets, _describe(exc))
        logger.warning(
            "Delivery index update failed for %d object(s): %s",
            len(targets),
            _describe(exc),
            # A traceback helps with our own bugs, not with an unreachable server.
            exc_info=not isinstance(exc, ApiError | TransportError),
        )
    else:
        if failures:
            logger.warning("Delivery index rejected %d document(s): %s", len(failures), failures)
    return targets, failures


def _settle(targets, failures):
    """Record what failed, and forget the earlier failures of what succeeded."""
    for doc_id, error in failures.items():
        if doc_id in targets:
            kind, object_id, action = targets[doc_id]
            PendingIndexUpdate.record(kind, object_id, doc_id, action, error)
    done = set(targets) - set(failures)
    if done:
        PendingIndexUpdate.objects.filter(doc_id__in=done).delete()


def sync(page_ids=(), document_ids=()):
    """Make the index agree with the database for these ids; returns the doc ids that failed."""
    targets, failures = _attempt(list(page_ids), list(document_ids))
    _settle(targets, failures)
    return set(failures)


def _sync_in_chunks(pages, documents):
    """``sync`` a large set, retrying a wholly failed chunk object by object.

    An object whose document cannot be built fails its whole bulk request;
    one at a time, the others still get through.
    """
    items = [("page", pk) for pk in sorted(pages)] + [("document", pk) for pk in sorted(documents)]
    failed = set()
    for start in range(0, len(items), CHUNK_SIZE):
        chunk = items[start : start + CHUNK_SIZE]
        page_ids = [pk for kind, pk in chunk if kind == "page"]
        document_ids = [pk for kind, pk in chunk if kind == "document"]
        targets, failures = _attempt(page_ids, document_ids)
        if len(targets) > 1 and len(failures) == len(targets):
            for kind, pk in chunk:
                failed |= sync(**{f"{kind}_ids": [pk]})
        else:
            _settle(targets, failures)
            failed |= set(failures)
    return failed


# --- Wagtail's own index ----------------------------------------------------------


def _wagtail_prefetch(model):
    """Many-to-many fields to prefetch for indexing (Wagtail leaves out parental ones)."""
    return [
        field.name
        for field in model._meta.get_fields()
        if field.many_to_many and not field.auto_created
    ]


def update_wagtail_index(touched, references=False):
    """Write pages ({page model: ids}) into Wagtail's index (the admin's search, grapple's
    ``search``); with ``references``, also into the reference index.

    When Elasticsearch cannot take them the pages are recorded for
    ``search_reconcile``, and the caller's write goes on. Returns whether
    every page got in.
    """
    backends = list(get_search_backends(with_auto_update=True))
    complete = True
    for model, pks in touched.items():
        prefetch = _wagtail_prefetch(model)
        if references:  # the reference index reads every child relation of every page
            prefetch += [rel.get_accessor_name() for rel in get_all_child_relations(model)]
        objects = list(model.get_indexed_objects().filter(pk__in=pks).prefetch_related(*prefetch))
        if references:
            for instance in objects:
                ReferenceIndex.create_or_update_for_object(instance)
        for backend in backends:
            try:
                backend.add_bulk(model, objects)
            except Exception as exc:
                if not backend.catch_indexing_errors:  # a database backend: the write fails
                    raise
                complete = False
                logger.warning(
                    "Search index update failed for %d page(s): %s", len(objects), _describe(exc)
                )
                for page in objects:
                    PendingIndexUpdate.record(
                        PendingIndexUpdate.Kind.PAGE,
                        page.pk,
                        index.doc_id(page),
                        PendingIndexUpdate.Action.INDEX,
                        _describe(exc),
                    )
    return complete


def _pages_by_model(page_ids):
    touched = defaultdict(set)
    for page in Page.objects.filter(pk__in=page_ids).specific():
        touched[type(page)].add(page.pk)
    return touched


# --- Catching up ----------------------------------------------------------------


def retry_pending():
    """Retry every recorded failure, in both indexes; returns (retried, still failing)."""
    rows = list(PendingIndexUpdate.objects.values_list("kind", "object_id"))
    pages = {pk for kind, pk in rows if kind == PendingIndexUpdate.Kind.PAGE}
    documents = {pk for kind, pk in rows if kind == PendingIndexUpdate.Kind.DOCUMENT}
    if not update_wagtail_index(_pages_by_model(pages)):
        return len(rows), PendingIndexUpdate.objects.count()  # still unreachable
    failed = _sync_in_chunks(pages, documents)
    return len(rows), len(failed)


def _indexed():
    """What the index holds: page id → ``updated``, and the set of document ids."""
    pages, documents = {}, set()
    hits = helpers.scan(
        index.client(),
        index=index.alias(),
        query={"_source": ["kind", "object_id", "updated"], "query": {"match_all": {}}},
    )
    try:
        for hit in hits:
            source = hit["_source"]
            if source["kind"] == "ATTACHMENT":
                documents.add(source["object_id"])
            else:
                updated = source.get("updated")
                pages[source["object_id"]] = updated and datetime.fromisoformat(updated)
    except NotFoundError:  # no index yet: everything is missing
        pass
    return pages, documents


def reconcile_full():
    """Compare the whole index with the database and fix the difference.

    Pages count as stale when the index holds an older publication than the
    database (``updated`` is ``last_published_at``); documents carry no such
    stamp, so only their presence is compared.
    """
    live = dict(
        Page.objects.type(*indexed_page_models()).live().values_list("pk", "last_published_at")
    )
    document_ids = set(get_document_model().objects.values_list("pk", flat=True))
    indexed_pages, indexed_documents = _indexed()
    stale = {pk for pk in live.keys() & indexed_pages.keys() if live[pk] != indexed_pages[pk]}
    failed = _sync_in_chunks(
        (live.keys() ^ indexed_pages.keys()) | stale, document_ids ^ indexed_documents
    )
    return {
        "missing": len(live.keys() - indexed_pages.keys()) + len(document_ids - indexed_documents),
        "stale": len(stale),
        "extra": len(indexed_pages.keys() - live.keys()) + len(indexed_documents - document_ids),
        "failed": len(failed),
    }

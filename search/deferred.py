"""Bulk writes index once, at the end: both indexes, one mechanism (``deferred_indexing``).

Wagtail updates its search index and the reference index on every save of a
page, and writing a page the way the admin does saves it three or four times
(the row, the revision, the publication; a translation also its copy). For a
bulk import that is most of the work, so while an import runs those updates
are collected instead, and each touched page is indexed once afterwards:

- Wagtail's own index (the admin's search, grapple's ``search``) in bulk per
  page type, still inside the import's transaction;
- the delivery index through search.freshness, after the commit.

Writes never depend on Elasticsearch: when it cannot be reached, the pages
are recorded as ``PendingIndexUpdate`` rows and ``search_reconcile`` brings
both indexes up to date later (freshness.retry_pending).

Pages are collected from their ``post_save`` signals; a bulk write that
changes page rows without saving them (a queryset update) names them with
``touch``.

Switching off the search signal handler affects the whole process while the
import runs; that suits the management commands, which do nothing else.
"""

import threading
from collections import defaultdict
from contextlib import contextmanager

from django.db.models.signals import post_save
from modelsearch.index import get_indexed_models
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.models import Page
from wagtail.signal_handlers import disable_reference_index_auto_update

from search import freshness

# The pages collected by the innermost deferral of this thread, {model: ids}.
_active = threading.local()


def _indexed_page_models():
    return [model for model in get_indexed_models() if issubclass(model, Page)]


def touch(pages):
    """Index these pages with the deferral in progress, or now when there is none."""
    touched = defaultdict(set)
    for page in pages:
        touched[type(page)].add(page.pk)
    if not touched:
        return
    collecting = getattr(_active, "touched", None)
    if collecting is None:
        freshness.update_wagtail_index(touched, references=True)
        freshness.schedule(pages={pk for pks in touched.values() for pk in pks})
        return
    for model, pks in touched.items():
        collecting[model] |= pks


@contextmanager
def deferred_indexing():
    """Within this block, pages are indexed once when it ends rather than on every save."""
    touched = defaultdict(set)

    def collect(sender, instance, raw=False, **kwargs):
        if not raw:
            touched[sender].add(instance.pk)

    models = _indexed_page_models()
    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
        post_save.connect(collect, sender=model, weak=False)
    outer, _active.touched = getattr(_active, "touched", None), touched
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        _active.touched = outer
        for model in models:
            post_save.disconnect(collect, sender=model)
            post_save.connect(post_save_signal_handler, sender=model)
    freshness.update_wagtail_index(touched, references=True)
    freshness.schedule(pages={pk for pks in touched.values() for pk in pks})

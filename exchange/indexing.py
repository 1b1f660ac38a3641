"""Index imported pages once, at the end of an import.

Wagtail updates the search index and the reference index on every save of a
page, and writing a page the way the admin does saves it three or four times
(the row, the revision, the publication; a translation also its copy). For a
bulk import that is most of the work, so while an import runs those updates
are collected instead, and each touched page is indexed once afterwards, in
bulk per page type, still inside the import's transaction.

Switching off the search signal handler affects the whole process while the
import runs; that suits the management commands, which do nothing else.
"""

from collections import defaultdict
from contextlib import contextmanager

from django.db.models.signals import post_save
from modelsearch.index import get_indexed_models
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.models import Page, ReferenceIndex
from wagtail.search.backends import get_search_backends
from wagtail.signal_handlers import disable_reference_index_auto_update


def _indexed_page_models():
    return [model for model in get_indexed_models() if issubclass(model, Page)]


def _prefetch(model):
    """Many-to-many fields to prefetch for indexing (Wagtail leaves out parental ones)."""
    return [
        field.name
        for field in model._meta.get_fields()
        if field.many_to_many and not field.auto_created
    ]


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
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in models:
            post_save.disconnect(collect, sender=model)
            post_save.connect(post_save_signal_handler, sender=model)
    backends = list(get_search_backends(with_auto_update=True))
    for model, pks in touched.items():
        objects = list(
            model.get_indexed_objects().filter(pk__in=pks).prefetch_related(*_prefetch(model))
        )
        for backend in backends:
            backend.add_bulk(model, objects)
        for instance in objects:
            ReferenceIndex.create_or_update_for_object(instance)

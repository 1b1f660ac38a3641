"""The import's write path: pages written as the admin writes them, the bookkeeping in bulk.

Publishing one page through Wagtail (``save_revision().publish()``, a new page
through treebeard's ``add_child``) costs about a hundred queries: the revision
is written, read back and deserialised, the page row is full-cleaned (a query
per foreign key) and saved two or three times, each log entry is its own
insert. For an import of a thousand pages that is most of the time. The
writer leaves the rows Wagtail would leave, with fewer round trips:

- the page row (and its child relations and parental many-to-many fields) is
  saved once, through the model, with its final content and publication
  fields (``live``, ``has_unpublished_changes``, ``first_published_at``,
  ``last_published_at``, ``expired``);
- a new page gets its tree position here: treebeard's path after the
  parent's last child, a free slug among the siblings (both read once per
  parent), ``url_path`` from the parent; the parents' ``numchild`` is
  brought up to date in one update per parent (``settle_tree``);
- ``flush`` then writes, for every page saved since the last flush, in bulk:
  the revisions, the pages' ``latest_revision`` and ``live_revision``, and
  the log entries a publish writes (``wagtail.create``, a translation's
  ``wagtail.copy_for_translation``, ``wagtail.rename`` when the title
  changed, ``wagtail.publish``) with the same content; then it sends
  Wagtail's ``published`` and ``page_published`` signals once per published
  page, as ``publish()`` does, so search freshness, the content generation
  and the publish webhooks hear of them, and lets the index deferral
  (search.deferred) know of the pages whose row it did not see saved;
- whatever a publish does beyond that for an unusual page is still done the
  Wagtail way: a workflow in progress is cancelled, aliases are updated, and
  a page scheduled to go live later (``go_live_at``) is written by
  ``save_revision().publish()`` itself.

A translation created here is a copy of its source in memory (Wagtail's own
copy helper, as ``copy_for_translation`` uses) given its record's content,
saved once with one revision; ``copy_for_translation`` would also have saved
an intermediate revision holding the source's text and logged its
replacement as a rename, which says nothing to an editor.
"""

from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, prefetch_related_objects
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import get_all_child_relations
from wagtail.log_actions import get_active_log_context
from wagtail.models import (
    Locale,
    Page,
    PageLogEntry,
    Revision,
    TranslatableMixin,
    WorkflowState,
)
from wagtail.models.copying import _copy, _copy_m2m_relations
from wagtail.signals import page_published, published

from search import deferred


@dataclass
class _Written:
    page: Page
    published: bool
    created: bool
    row_saved: bool
    title_before: str = ""
    source: tuple | None = None  # a new translation's (source page, source's parent)


class PageWriter:
    """Collects written pages and completes them in bulk (``flush``); see the module docstring."""

    def __init__(self):
        self._locales = {locale.pk: locale for locale in Locale.objects.all()}
        self._slots = {}  # parent pk → [last child's step, the children's slugs]
        self._added = Counter()  # parent pk → children added since settle_tree
        self._written = []
        self._scheduled = []  # new pages to publish the Wagtail way: they go live later

    # --- The tree ---------------------------------------------------------------

    def _slot(self, parent):
        if parent.pk not in self._slots:
            children = Page.objects.child_of(parent)
            last = children.order_by("-path").values_list("path", flat=True).first()
            self._slots[parent.pk] = [
                Page._str2int(last[-Page.steplen :]) if last else 0,
                set(children.values_list("slug", flat=True)),
            ]
        return self._slots[parent.pk]

    def _place(self, page, parent, slug):
        """Give a new page the next position under ``parent`` and a slug free there."""
        slot = self._slot(parent)
        # As wagtail.coreutils.find_available_slug: "slug", "slug-1", "slug-2", …
        page.slug, number = slug, 1
        while page.slug in slot[1]:
            page.slug, number = f"{slug}-{number}", number + 1
        slot[0] += 1
        slot[1].add(page.slug)
        page.path = Page._get_path(parent.path, parent.depth + 1, slot[0])
        page.depth = parent.depth + 1
        page.numchild = 0
        page._cached_parent_obj = parent  # treebeard's get_parent(), used by Page.save()
        self._added[parent.pk] += 1

    def settle_tree(self):
        """Write the parents' ``numchild`` and forget the positions read.

        Call before anything else changes the tree in the same transaction
        (treebeard reads ``numchild`` and the last child from the database).
        """
        for parent_pk, added in self._added.items():
            Page.objects.filter(pk=parent_pk).update(numchild=F("numchild") + added)
        self._added.clear()
        self._slots.clear()

    # --- Rows -------------------------------------------------------------------

    def create(self, page, parent, published, slug, translation_of=None):
        """Save a new page under ``parent``.

        ``translation_of``: (source page, its parent) when the page is a new
        translation made by ``translation``.
        """
        self._place(page, parent, slug)
        if page.locale_id is None:
            page.locale_id = parent.locale_id
        later = published and self._goes_live_later(page)
        self._save_row(page, published and not later)
        self._written.append(
            _Written(page, published and not later, True, True, source=translation_of)
        )
        if later:
            self._scheduled.append(page)
        return page

    def update(self, page, parent, published, title_before):
        """Write an existing page: published, or a draft (a live page keeps its live row)."""
        page._cached_parent_obj = parent
        if published and self._goes_live_later(page):
            page.save_revision(clean=False).publish()  # Wagtail schedules it
            return page
        row_saved = published or not page.live
        if row_saved:
            self._save_row(page, published)
        self._written.append(_Written(page, published, False, row_saved, title_before))
        return page

    @staticmethod
    def _save_row(page, published):
        now = timezone.now()
        if published:
            page.live, page.has_unpublished_changes, page.expired = True, False, False
            page.last_published_at = now
            if page.first_published_at is None:
                page.first_published_at = now
            # The rules of the model (ServicePage: a responsible person) hold for every publish;
            # the field values were validated with the document.
            page.clean()
        else:
            if page.pk is None:
                page.live = False  # the model's default is live
            page.has_unpublished_changes = True
        page.draft_title = page.title
        # Imported pages sit under the catalogue and guide indexes, never at a site's root:
        # spares Page.save() its look at the sites (one query per page).
        page._is_site_root = False
        if page.pk is not None:
            page.save(clean=False, log_action=None)
            return
        # A new page has no child rows yet, yet modelcluster reads each child relation
        # before writing it: tell it so, as a prefetch would, for the time of the save.
        model = type(page)
        page._prefetched_objects_cache = {
            **{rel.cache_name: rel.related_model.objects.none() for rel in _child_relations(model)},
            **{f.name: f.related_model.objects.none() for f in _parental_many_to_many(model)},
        }
        try:
            page.save(clean=False, log_action=None)
        finally:
            del page._prefetched_objects_cache

    def translation(self, source, locale):
        """A new translation of ``source`` into ``locale``, copied in memory; ``create`` saves it.

        What ``copy_for_translation`` copies (fields, child objects, the parental
        many-to-many values), reset as it resets them.
        """
        copy, child_objects = _copy(
            source,
            exclude_fields=_excluded_from_copy(source),
            update_attrs={
                "locale": locale,
                "live": False,
                "has_unpublished_changes": True,
                "live_revision": None,
                "first_published_at": None,
                "last_published_at": None,
                "alias_of": None,
            },
        )
        for child in child_objects.values():
            for item in child if isinstance(child, list) else [child]:
                if isinstance(item, TranslatableMixin):
                    item.locale = locale
        return copy

    # --- The bookkeeping --------------------------------------------------------

    def flush(self):
        """Write the revisions, pointers and log entries of the pages written, then signal."""
        self.settle_tree()
        written, self._written = self._written, []
        if not written:
            return
        for w in written:
            if w.source is not None:
                # Wagtail's copy sets non-parental many-to-many fields once the copy is saved.
                source = w.source[0]
                _copy_m2m_relations(source, w.page, exclude_fields=_excluded_from_copy(source))

        _prefetch_related([w.page for w in written])
        now = timezone.now()
        revisions = Revision.objects.bulk_create(
            Revision(
                content_object=w.page,
                base_content_type=w.page.get_base_content_type(),
                created_at=now,
                content=w.page.serializable_data(),
                object_str=str(w.page),
            )
            for w in written
        )
        for w, revision in zip(written, revisions, strict=True):
            page = w.page
            page.latest_revision, page.latest_revision_created_at = revision, now
            page.draft_title = page.title
            page.has_unpublished_changes = not w.published
            if w.published:
                page.live_revision = revision
        Page.objects.bulk_update(
            [w.page for w in written],
            ["latest_revision", "latest_revision_created_at", "draft_title"],
        )
        Page.objects.bulk_update(
            [w.page for w in written if not w.row_saved], ["has_unpublished_changes"]
        )
        Page.objects.bulk_update([w.page for w in written if w.published], ["live_revision"])
        publishing = [w.page for w in written if w.published and not w.created]
        if publishing:
            # A publish clears what was scheduled, as Wagtail's publish does.
            Revision.page_revisions.filter(
                object_id__in=[str(page.pk) for page in publishing],
                approved_go_live_at__isnull=False,
            ).update(approved_go_live_at=None)

        PageLogEntry.objects.bulk_create(self._log_entries(written))
        # Rows saved were seen by the index deferral; a draft of a live page only changed
        # its revision fields, which Wagtail's index holds too.
        deferred.touch([w.page for w in written if not w.row_saved])
        self._after_publish([w for w in written if w.published])
        scheduled, self._scheduled = self._scheduled, []
        for page in scheduled:
            page.save_revision(clean=False).publish()

    @staticmethod
    def _goes_live_later(page):
        return page.go_live_at is not None and page.go_live_at > timezone.now()

    def _log_entries(self, written):
        """The entries Wagtail's ``log()`` writes for these saves, in the order it writes them."""
        context = get_active_log_context()
        entries = []

        def log(page, action, revision=None, data=None, content_changed=False):
            entries.append(
                PageLogEntry(
                    content_type=ContentType.objects.get_for_model(page, for_concrete_model=False),
                    label=page.get_admin_display_title(),
                    action=action,
                    timestamp=timezone.now(),
                    data=data or {},
                    user=context.user,
                    uuid=context.uuid,
                    page=page,
                    revision=revision,
                    content_changed=content_changed,
                )
            )

        for w in written:
            page, revision = w.page, w.page.latest_revision
            if w.created:
                log(page, "wagtail.create", content_changed=True)
            if w.source is not None:
                log(page, "wagtail.copy_for_translation", data=self._copy_log_data(page, *w.source))
            if not w.published:
                continue
            data = None
            if not w.created and w.title_before != str(page):
                data = {"title": {"old": w.title_before, "new": str(page)}}
                log(page, "wagtail.rename", revision, data)
            log(page, "wagtail.publish", revision, data, content_changed=True)
        return entries

    @staticmethod
    def _after_publish(written):
        """What ``publish()`` does once the page is live: signals, workflows, aliases."""
        pages = [w.page for w in written]
        for page in pages:
            page_published.send(sender=type(page), instance=page, revision=page.live_revision)
            published.send(sender=type(page), instance=page, revision=page.live_revision)
        if not pages:
            return
        by_pk = {page.pk: page for page in pages}
        ids = [str(pk) for pk in by_pk]
        if getattr(settings, "WAGTAIL_WORKFLOW_CANCEL_ON_PUBLISH", True):
            for state in WorkflowState.objects.active().filter(
                base_content_type=ContentType.objects.get_for_model(Page), object_id__in=ids
            ):
                state.cancel(user=None)
        for pk in (
            Page.objects.filter(alias_of__in=list(by_pk))
            .values_list("alias_of", flat=True)
            .distinct()
        ):
            page = by_pk[pk]
            page.update_aliases(revision=page.live_revision)

    def _copy_log_data(self, page, source, source_parent):
        """What ``copy_for_translation`` logs as ``wagtail.copy_for_translation``."""
        destination = page.get_parent()
        source_locale = self._locales[source.locale_id]
        return {
            "page": {
                "id": page.id,
                "title": page.get_admin_display_title(),
                "locale": {"id": page.locale_id, "language_code": page.locale.language_code},
            },
            "source": {"id": source_parent.id, "title": source_parent.get_admin_display_title()},
            "destination": {"id": destination.id, "title": destination.get_admin_display_title()},
            "keep_live": False,
            "source_locale": {"id": source_locale.pk, "language_code": source_locale.language_code},
        }


def _child_relations(model):
    return get_all_child_relations(model)


def _parental_many_to_many(model):
    return [
        field for field in model._meta.get_fields() if isinstance(field, ParentalManyToManyField)
    ]


def _excluded_from_copy(page):
    return page.default_exclude_fields_in_copy + page.exclude_fields_in_copy


def _prefetch_related(pages):
    """Load the pages' child objects and parental many-to-many values in a few queries.

    Saving a page hands its relations back to the database, so serialising it
    for its revision would read each relation of each page again.
    """
    by_model = {}
    for page in pages:
        by_model.setdefault(type(page), []).append(page)
    for model, instances in by_model.items():
        names = [relation.get_accessor_name() for relation in _child_relations(model)]
        names += [field.name for field in _parental_many_to_many(model)]
        prefetch_related_objects(instances, *names)

"""The content generation (sisältösukupolvi): a number that changes whenever delivered content may.

Cached GraphQL answers (cms.response_cache) carry the generation in their
key, so advancing it retires every cached answer at once; nothing has to know
which answers a change touched. The number lives in the shared cache, so all
processes see the same one.

It advances after the transaction commits, once per transaction however many
changes it holds (an import publishes hundreds of pages in one): advanced
earlier, another process could cache the old content again under the new
number before the change is visible to it. Outside a transaction it advances
at once.

What advances it:

- Wagtail's page signals (publish, also of a translation; unpublish; move) and
  any save of a live page other than draft bookkeeping (a new revision, a
  workflow lock), any page deletion;
- saving or deleting a tracked model: Wagtail's view restrictions (and their
  groups), collections, documents, images, sites, locales and redirects; the
  apps add theirs with ``track()`` in ``AppConfig.ready()`` (taxonomy terms,
  synonyms), since this module imports no app;
- ``bump()`` called directly, e.g. by an integration that has synchronised
  content by other means than the ORM's signals.
"""

import logging
import secrets

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Locale,
    Page,
    PageViewRestriction,
    Site,
)
from wagtail.models.pages import COMMENTS_RELATION_NAME
from wagtail.signals import page_published, page_unpublished, post_page_move

logger = logging.getLogger(__name__)

CACHE_KEY = "content-generation"
# Page fields a draft, a revision or a workflow lock writes; the live content stays as it was.
DRAFT_FIELDS = frozenset(
    {
        COMMENTS_RELATION_NAME,
        "latest_revision",
        "latest_revision_created_at",
        "draft_title",
        "has_unpublished_changes",
        "locked",
        "locked_by",
        "locked_at",
    }
)

_tracked = ()


def current():
    """The generation now. A missing number (first start, evicted) starts at random, so it
    never repeats one that older cached answers may still carry."""
    value = cache.get(CACHE_KEY)
    if value is None:
        cache.add(CACHE_KEY, secrets.randbits(48), timeout=None)
        value = cache.get(CACHE_KEY)
    return value


def advance():
    """Advance the generation now (``bump()`` is what changes of content call)."""
    try:
        cache.incr(CACHE_KEY)
    except ValueError:  # missing: a random start retires whatever was cached as well
        cache.set(CACHE_KEY, secrets.randbits(48), timeout=None)


def _advance_or_log():
    # The editor's change stands whatever the cache does; cached answers expire on their own.
    try:
        advance()
    except Exception:
        logger.exception("Could not advance the content generation: the cache does not answer")


class _AfterCommit:
    """The one advance a transaction has asked for; knows whether it has run."""

    done = False

    def __call__(self):
        self.done = True
        _advance_or_log()


def _waiting(connection):
    """The advance registered in the connection's transaction that has not run yet, or None.

    A rolled-back savepoint or transaction drops its callbacks, so the one
    remembered counts only while it is still among the connection's.
    """
    callback = getattr(connection, "_content_generation_advance", None)
    if callback is None or callback.done:
        return None
    if not any(registered is callback for _, registered, _ in connection.run_on_commit):
        return None
    return callback


def bump(*args, **kwargs):
    """Delivered content has changed: retire the cached answers after the commit.

    Takes (and ignores) any signal's arguments, so it can be connected to a signal as is.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _advance_or_log()
        return
    if _waiting(connection) is not None:
        return
    callback = _AfterCommit()
    connection._content_generation_advance = callback
    transaction.on_commit(callback)


def pending():
    """Whether this connection's transaction holds content changes not committed yet.

    Its requests see content that other processes do not, and that may still
    be rolled back, so they neither read nor fill the shared answer cache.
    """
    connection = transaction.get_connection()
    return connection.in_atomic_block and _waiting(connection) is not None


def track(*models):
    """Saving or deleting an instance of these models (subclasses included) bumps.

    The apps call it from ``AppConfig.ready()``; the first call also connects
    the signals and tracks Wagtail's own models.
    """
    global _tracked
    if not _tracked:
        _connect()
    _tracked = tuple(dict.fromkeys((*_tracked, *models)))


def _draft_only(page, update_fields):
    """Whether a page save leaves delivery as it was: drafts are not delivered, while a
    live page's row is its live content."""
    return not page.live or bool(update_fields and set(update_fields) <= DRAFT_FIELDS)


def _saved(sender, instance, update_fields=None, **kwargs):
    if not isinstance(instance, _tracked):
        return
    if isinstance(instance, Page) and _draft_only(instance, update_fields):
        return
    bump()


def _deleted(sender, instance, **kwargs):
    if isinstance(instance, _tracked):
        bump()


def _members_changed(sender, instance, action, **kwargs):
    # A restriction's groups are set after the restriction itself is saved.
    if action.startswith("post_") and isinstance(instance, _tracked):
        bump()


def _connect():
    from wagtail.contrib.redirects.models import Redirect

    global _tracked
    _tracked = (
        Page,
        PageViewRestriction,
        CollectionViewRestriction,
        Collection,
        get_document_model(),
        get_image_model(),
        Site,
        Locale,
        Redirect,
    )
    # Wagtail sends the page signals with the specific class as sender: listen to all.
    page_published.connect(bump, dispatch_uid="cms.content_generation.published")
    page_unpublished.connect(bump, dispatch_uid="cms.content_generation.unpublished")
    post_page_move.connect(bump, dispatch_uid="cms.content_generation.moved")
    post_save.connect(_saved, dispatch_uid="cms.content_generation.saved")
    post_delete.connect(_deleted, dispatch_uid="cms.content_generation.deleted")
    # Only the restrictions' groups: a listener on every many-to-many relation would
    # switch off Django's fast bulk insert for all of them (a SELECT per relation saved).
    for restriction in (PageViewRestriction, CollectionViewRestriction):
        m2m_changed.connect(
            _members_changed,
            sender=restriction.groups.through,
            dispatch_uid=f"cms.content_generation.members.{restriction.__name__}",
        )

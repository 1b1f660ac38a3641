"""Per-process caches of rows that change only when an editor changes the site's set-up.

Locales and view restrictions (with the collections and page paths they
cover) are read by every delivery request, yet change a few times a year.
Each ``ProcessCache`` computes its value once and keeps it until one of its
models changes:

- in this process, the models' signals clear it at once; while the
  transaction that made the change is open, this thread reads the database
  instead (the change is not committed, and a rollback, as at the end of
  every test, would leave a cache describing rows that no longer exist);
- other processes learn of a committed change from a generation number in the
  shared cache (``CACHE_URL``), bumped after commit and read at most once a
  second per process.
"""

import contextlib
import threading
import time
import uuid

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

GENERATION_KEY = "cms:process-cache-generation"
# How long a process trusts its caches before reading the shared generation again.
CHECK_SECONDS = 1.0

_caches = []
_state = threading.local()  # .changing: the atomic block of this thread's uncommitted change
_lock = threading.Lock()
_generation = {"value": None, "checked": 0.0}


class ProcessCache:
    """A value ``compute()`` builds from rows of a few models, kept in this process."""

    def __init__(self, compute):
        self.compute = compute
        self._value = None
        self._filled = False
        _caches.append(self)

    def get(self):
        if _changing_in_this_transaction():
            # This thread's uncommitted view: computed once per change, never shared.
            values = _state.__dict__.setdefault("values", {})
            if self not in values:
                values[self] = self.compute()
            return values[self]
        _check_generation()
        if not self._filled:
            value = self.compute()
            with _lock:
                self._value, self._filled = value, True
        return self._value

    def clear(self):
        with _lock:
            self._value, self._filled = None, False


def clear_all():
    for process_cache in _caches:
        process_cache.clear()


def _changing_in_this_transaction():
    block = getattr(_state, "changing", None)
    if block is None:
        return False
    if any(open_block is block for open_block in connection.atomic_blocks):
        return True
    _state.changing = None  # committed or rolled back: the database is the truth again
    _state.values = {}
    clear_all()
    return False


def _shared_generation():
    try:
        return cache.get(GENERATION_KEY)
    except Exception:  # the shared cache is down: signals still keep this process right
        return _generation["value"]


def _check_generation():
    now = time.monotonic()
    if now - _generation["checked"] < CHECK_SECONDS:
        return
    current = _shared_generation()
    if current != _generation["value"]:
        clear_all()
        _generation["value"] = current
    _generation["checked"] = now


def _bump_shared_generation():
    with contextlib.suppress(Exception):  # down: other processes notice within their check
        cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def changed(**kwargs):
    """Signal receiver: one of the cached models changed."""
    clear_all()
    _state.values = {}
    if connection.in_atomic_block:
        _state.changing = connection.atomic_blocks[0]
        transaction.on_commit(clear_all)
    transaction.on_commit(_bump_shared_generation)


def invalidate_on(*models):
    """Clear every process cache whenever one of these models is saved or deleted."""
    for model in models:
        uid = f"cms.process_cache.{model._meta.label}"
        post_save.connect(changed, sender=model, dispatch_uid=f"{uid}.save", weak=False)
        post_delete.connect(changed, sender=model, dispatch_uid=f"{uid}.delete", weak=False)


def invalidate_on_m2m(*through_models):
    for through in through_models:
        m2m_changed.connect(
            changed,
            sender=through,
            dispatch_uid=f"cms.process_cache.{through._meta.label}.m2m",
            weak=False,
        )


# A flush (TransactionTestCase, ``manage.py flush``) deletes rows without signals.
post_migrate.connect(changed, dispatch_uid="cms.process_cache.post_migrate", weak=False)

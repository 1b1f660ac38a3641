"""Which changes become events, connected in ``WebhooksConfig.ready()``.

The handlers only write to the outbox (webhooks.events), in the transaction
of the change; webhooks.sender delivers after the commit. Saving a draft
writes nothing. Like search.signals, these listen to every sender: Wagtail
sends page signals with the specific class.

- publishing (a scheduled publication too) and unpublishing (an expiry too);
- moving: every live delivered page in the moved subtree gets a new address;
  a move that changes no address (reordering siblings) is no event;
- deleting: a page that was ever published. Deleting a live page unpublishes
  it first (Wagtail's own ``pre_delete`` handler), so receivers hear
  ``page.unpublished`` and then ``page.deleted``. What the event says is read
  before the rows go (``pre_delete``), including whether the page is internal:
  deleting a restricted section deletes its restriction along with it, and
  the pages under it must not read as public. The event is written once the
  rows are gone (``post_delete``), after the unpublication's.
"""

from django.db.models.signals import post_delete, pre_delete
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from webhooks import events
from webhooks.models import WebhookEvent


def page_published_handler(sender, instance, **kwargs):
    if events.is_delivered(instance):
        events.record(WebhookEvent.Type.PUBLISHED, instance)


def page_unpublished_handler(sender, instance, **kwargs):
    if events.is_delivered(instance):
        events.record(WebhookEvent.Type.UNPUBLISHED, instance)


def page_moved(sender, instance, url_path_before, url_path_after, **kwargs):
    if url_path_before == url_path_after:
        return
    moved = (
        Page.objects.descendant_of(instance, inclusive=True)
        .live()
        .type(*events.DELIVERED_TYPES)
        .specific()
    )
    for page in moved:
        previous = url_path_before + page.url_path[len(url_path_after) :]
        events.record(WebhookEvent.Type.MOVED, page, previous_url_path=previous)


def page_deleting(sender, instance, **kwargs):
    if not issubclass(instance.specific_class or Page, events.DELIVERED_TYPES):
        return
    page = instance.specific
    if page.first_published_at is not None:
        instance._webhook_event = (events.page_facts(page), events.is_internal(page))


def page_deleted(sender, instance, **kwargs):
    facts = getattr(instance, "_webhook_event", None)
    if facts is not None:
        events.write(WebhookEvent.Type.DELETED, *facts)


def connect():
    page_published.connect(page_published_handler, dispatch_uid="webhooks.page_published")
    page_unpublished.connect(page_unpublished_handler, dispatch_uid="webhooks.page_unpublished")
    post_page_move.connect(page_moved, dispatch_uid="webhooks.page_moved")
    # A deletion sends these for Page as well as for the specific class; Page alone suffices.
    pre_delete.connect(page_deleting, sender=Page, dispatch_uid="webhooks.page_deleting")
    post_delete.connect(page_deleted, sender=Page, dispatch_uid="webhooks.page_deleted")

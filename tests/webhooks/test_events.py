"""Publishing, unpublishing, moving and deleting a delivered page writes one event to the outbox.

The event carries what a frontend needs to regenerate or purge: the page's
exchange key, locale, kind and delivered addresses. A draft writes nothing;
an event is written in the transaction of the change, so a change that is
rolled back leaves none; an import of many pages costs one INSERT per event.
"""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page
from wagtail.signals import page_published

from catalogue.models import OrganisationPage, ServicePage
from webhooks import signals
from webhooks.models import WebhookEvent

pytestmark = pytest.mark.django_db


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def add_service(parent, key, title="Työkokeilu"):
    service = parent.add_child(
        instance=ServicePage(
            title=title, slug=key, key=key, responsible_email="owner@example.org", live=False
        )
    )
    return publish(service)


def new_events(since=0):
    return list(WebhookEvent.objects.filter(pk__gt=since).order_by("pk"))


def last_event_id():
    return WebhookEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_publishing_a_service_writes_its_key_locale_kind_and_addresses(organisation):
    service = add_service(organisation, "work-trial")

    [event] = new_events()

    assert event.type == "page.published"
    assert event.internal is False
    assert event.page == {
        "id": service.pk,
        "key": "work-trial",
        "locale": "fi",
        "kind": "SERVICE",
        "translationKey": str(service.translation_key),
        "url": "/palvelut/helsinki/work-trial/",
        "urlPath": "/home/palvelut/helsinki/work-trial/",
    }


def test_saving_a_draft_writes_nothing(organisation):
    service = add_service(organisation, "work-trial")
    before = last_event_id()

    service.title = "Työkokeilu (uusi)"
    service.save_revision()

    assert new_events(before) == []


def test_unpublishing_a_service_writes_an_unpublished_event(organisation):
    service = add_service(organisation, "work-trial")
    before = last_event_id()

    service.unpublish()

    [event] = new_events(before)
    assert event.type == "page.unpublished"
    assert (event.page["key"], event.page["locale"], event.page["kind"]) == (
        "work-trial",
        "fi",
        "SERVICE",
    )
    assert event.page["url"] == "/palvelut/helsinki/work-trial/"


def test_moving_a_service_writes_its_new_and_previous_addresses(organisation, site_tree):
    service = add_service(organisation, "work-trial")
    espoo = publish(
        site_tree.catalogue.add_child(
            instance=OrganisationPage(title="Espoo", slug="espoo", key="espoo", live=False)
        )
    )
    before = last_event_id()

    service.move(espoo, pos="last-child")

    [event] = new_events(before)
    assert event.type == "page.moved"
    assert event.page["key"] == "work-trial"
    assert event.page["kind"] == "SERVICE"
    assert event.page["locale"] == "fi"
    assert event.page["url"] == "/palvelut/espoo/work-trial/"
    assert event.page["previousUrl"] == "/palvelut/helsinki/work-trial/"
    assert event.page["previousUrlPath"] == "/home/palvelut/helsinki/work-trial/"


def test_reordering_siblings_changes_no_address_and_writes_nothing(organisation, site_tree):
    add_service(organisation, "work-trial")
    before = last_event_id()

    Page.objects.get(pk=organisation.pk).move(site_tree.catalogue, pos="first-child")

    assert new_events(before) == []


def test_deleting_a_live_service_writes_unpublished_then_deleted(organisation):
    service = add_service(organisation, "work-trial")
    before = last_event_id()

    Page.objects.get(pk=service.pk).delete()

    events_written = new_events(before)
    assert [event.type for event in events_written] == ["page.unpublished", "page.deleted"]
    deleted = events_written[-1]
    assert deleted.page["id"] == service.pk
    assert (deleted.page["key"], deleted.page["locale"], deleted.page["kind"]) == (
        "work-trial",
        "fi",
        "SERVICE",
    )
    assert deleted.page["url"] == "/palvelut/helsinki/work-trial/"
    assert deleted.internal is False


def test_deleting_a_draft_that_was_never_published_writes_nothing(organisation):
    draft = organisation.add_child(
        instance=ServicePage(title="Luonnos", slug="luonnos", key="luonnos", live=False)
    )
    draft.save_revision()
    before = last_event_id()

    Page.objects.get(pk=draft.pk).delete()

    assert new_events(before) == []


def test_an_instruction_is_internal_and_stays_internal_when_its_section_is_deleted(
    site_tree, organisation
):
    from guides.models import ProcessInstructionPage

    service = add_service(organisation, "work-trial")
    area = next(iter(site_tree.area_pages.values()))
    instruction = publish(
        area.add_child(
            instance=ProcessInstructionPage(
                title="Ohje", slug="ohje", key="work-trial-ohje", service=service, live=False
            )
        )
    )
    [published] = [e for e in new_events() if e.page["key"] == "work-trial-ohje"]
    assert published.internal is True
    assert published.page["kind"] == "INSTRUCTION"
    before = last_event_id()

    # The restriction sits on the internal section and goes with it.
    Page.objects.get(pk=site_tree.internal.pk).delete()

    deleted = [e for e in new_events(before) if e.type == "page.deleted"]
    assert [e.page["key"] for e in deleted] == [instruction.key]
    assert deleted[0].internal is True


def test_a_rolled_back_publication_leaves_no_event(organisation):
    service = organisation.add_child(
        instance=ServicePage(
            title="Työkokeilu",
            slug="work-trial",
            key="work-trial",
            responsible_email="owner@example.org",
            live=False,
        )
    )

    with transaction.atomic():
        publish(service)
        transaction.set_rollback(True)

    assert new_events() == []


def _import_queries(document):
    """The queries of importing ``document``, rolled back afterwards."""
    from exchange.importer import import_document

    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        import_document(document)
        written = WebhookEvent.objects.count()
        transaction.set_rollback(True)
    return len(queries) - 1, written  # less the count itself


def test_an_import_costs_one_insert_per_event_and_sends_nothing(site_tree, receiver, endpoint):
    from catalogue_data import CATALOGUE

    _import_queries(CATALOGUE)  # what a process looks up once (content types, sites, locales)
    with_events, written = _import_queries(CATALOGUE)
    page_published.disconnect(dispatch_uid="webhooks.page_published")
    try:
        without_events, _ = _import_queries(CATALOGUE)
    finally:
        signals.connect()

    # Four organisation pages (one a translation), five services (one a translation) and an
    # instruction; the draft service has none.
    assert written == 10
    assert with_events - without_events == written
    assert receiver.requests == []

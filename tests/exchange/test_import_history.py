"""An imported page looks in the admin like one an editor created and published there.

The import writes its pages in bulk (exchange.writer); what an editor sees
must not show it: the page history, the revisions, the page's place in the
tree, the reference index and the search index are compared with a page made
the way the admin makes one (``add_child``, ``save_revision``, ``publish``).
"""

import pytest
from django.db.models.signals import post_save
from wagtail.models import Page, PageLogEntry, ReferenceIndex
from wagtail.search.backends import get_search_backend
from wagtail.signals import page_published

from catalogue.models import OrganisationPage, ServicePage
from exchange.importer import import_document
from guides.models import ProcessInstructionPage

pytestmark = pytest.mark.django_db


def make_document(services=3):
    return {
        "version": 1,
        "organisations": [
            {
                "key": "vantaa",
                "kind": "municipality",
                "locales": {"fi": {"name": "Vantaa"}, "sv": {"name": "Vanda"}},
            }
        ],
        "services": [
            {
                "key": f"work-trial-{number}",
                "organisation": "vantaa",
                "status": "published",
                "audience": "person",
                "municipalities": ["092"],
                "responsible": "owner@example.org",
                "contacts": [{"name": "Neuvonta", "email": "desk@example.org"}],
                "locales": {
                    "fi": {"title": f"Työkokeilu {number}", "summary": "Kokeile."},
                    "sv": {"title": f"Arbetsprövning {number}", "summary": "Pröva."},
                },
            }
            for number in range(1, services + 1)
        ],
        "instructions": [
            {
                "key": "work-trial-vantaa",
                "service": "work-trial-1",
                "status": "published",
                "municipalities": ["092"],
                "locales": {"fi": {"title": "Työkokeilu: ohjausprosessi"}},
            }
        ],
        "guides": [],
    }


def publish_in_admin(parent, page):
    """What the admin's create view and its publish button do."""
    page.live = False
    parent.add_child(instance=page)
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def history(page):
    """What the admin shows of a page: its history, its revisions and its state."""
    revisions = list(page.revisions.order_by("created_at", "pk"))
    return {
        "actions": list(
            PageLogEntry.objects.filter(page=page)
            .order_by("timestamp", "pk")
            .values_list("action", flat=True)
        ),
        "revisions": len(revisions),
        "latest is live": page.latest_revision_id == page.live_revision_id == revisions[-1].pk,
        "revision shows": revisions[-1].as_object().title == page.title == page.draft_title,
        "live": page.live,
        "unpublished changes": page.has_unpublished_changes,
        "published at": page.first_published_at is not None and page.last_published_at is not None,
        "edited at": page.latest_revision_created_at is not None,
        "workflows": page.workflow_states.count(),
    }


def references(page):
    return sorted(
        (ref.to_content_type_id, ref.to_object_id, ref.model_path, ref.content_path)
        for ref in ReferenceIndex.get_references_for_object(page)
    )


def test_an_imported_service_has_the_history_of_one_published_in_the_admin():
    import_document(make_document())
    organisation = OrganisationPage.objects.get(key="vantaa", locale__language_code="fi")
    imported = ServicePage.objects.get(key="work-trial-1", locale__language_code="fi")

    made = publish_in_admin(
        organisation,
        ServicePage(
            title="Palkkatuki",
            key="wage-subsidy",
            audience="person",
            responsible_email="owner@example.org",
        ),
    )

    assert history(imported) == history(made)
    assert history(imported)["actions"] == ["wagtail.create", "wagtail.publish"]
    assert imported.url_path == f"{organisation.url_path}{imported.slug}/"


def test_an_imported_translation_is_a_published_translation_of_its_source():
    import_document(make_document())
    source = ServicePage.objects.get(key="work-trial-1", locale__language_code="fi")

    translation = ServicePage.objects.get(key="work-trial-1", locale__language_code="sv")

    assert translation.translation_key == source.translation_key
    assert translation.title == "Arbetsprövning 1"
    assert translation.get_parent().specific.title == "Vanda"
    assert translation.get_parent().translation_key == source.get_parent().translation_key
    assert history(translation) | {"actions": None} == history(source) | {"actions": None}
    assert history(translation)["actions"] == [
        "wagtail.create",
        "wagtail.copy_for_translation",
        "wagtail.publish",
    ]
    assert [c.email for c in translation.contacts.all()] == ["desk@example.org"]


def test_the_tree_stays_whole_around_pages_added_in_the_admin():
    import_document(make_document(services=2))
    organisation = OrganisationPage.objects.get(key="vantaa", locale__language_code="fi")
    publish_in_admin(
        organisation,
        ServicePage(title="Palkkatuki", key="wage-subsidy", responsible_email="a@example.org"),
    )

    import_document(make_document(services=6))

    assert all(not problems for problems in Page.find_problems())
    organisation.refresh_from_db()
    assert organisation.numchild == organisation.get_children().count() == 7
    # A page added in the admin after the import finds its place too.
    publish_in_admin(
        organisation,
        ServicePage(title="Starttiraha", key="start-up", responsible_email="a@example.org"),
    )
    assert all(not problems for problems in Page.find_problems())


def test_an_imported_instruction_is_in_the_reference_index_like_one_made_in_the_admin():
    import_document(make_document())
    imported = ProcessInstructionPage.objects.get(key="work-trial-vantaa")

    made = publish_in_admin(
        imported.get_parent(),
        ProcessInstructionPage(title="Toinen ohje", key="other", service=imported.service),
    )

    assert references(imported) == references(made)
    assert any(ref[1] == str(imported.service_id) for ref in references(imported))


def test_imported_pages_are_in_wagtails_search_index():
    import_document(make_document())
    # Elasticsearch makes new documents searchable at its next refresh.
    get_search_backend().refresh_indexes()

    found = ServicePage.objects.live().search("Arbetsprövning")

    assert {page.key for page in found} >= {"work-trial-1", "work-trial-2", "work-trial-3"}


def test_every_published_page_is_announced_once_as_a_publish_in_the_admin_is():
    announced = []

    def listen(sender, instance, **kwargs):
        announced.append(instance.pk)

    page_published.connect(listen)
    try:
        import_document(make_document())
    finally:
        page_published.disconnect(listen)

    live = set(
        Page.objects.type(OrganisationPage, ServicePage, ProcessInstructionPage)
        .live()
        .values_list("pk", flat=True)
    )
    assert sorted(announced) == sorted(live)
    assert len(live) == 2 + 6 + 1


def test_a_changed_record_is_a_new_revision_and_a_rename_in_the_history():
    import_document(make_document())
    document = make_document()
    document["services"][0]["locales"]["fi"]["title"] = "Työkokeilu, uusi"

    import_document(document)

    service = ServicePage.objects.get(key="work-trial-1", locale__language_code="fi")
    assert history(service)["revisions"] == 2 and history(service)["latest is live"]
    assert history(service)["actions"] == [
        "wagtail.create",
        "wagtail.publish",
        "wagtail.rename",
        "wagtail.publish",
    ]
    rename = PageLogEntry.objects.get(page=service, action="wagtail.rename")
    assert rename.data["title"] == {"old": "Työkokeilu 1", "new": "Työkokeilu, uusi"}


def test_a_draft_of_a_live_page_leaves_the_live_version_as_it_is():
    import_document(make_document())
    document = make_document()
    document["services"][0]["status"] = "draft"
    document["services"][0]["locales"]["fi"]["title"] = "Työkokeilu, luonnos"
    saved = []

    def listen(sender, instance, **kwargs):
        saved.append(instance.pk)

    post_save.connect(listen, sender=ServicePage)
    try:
        import_document(document)
    finally:
        post_save.disconnect(listen, sender=ServicePage)

    service = ServicePage.objects.get(key="work-trial-1", locale__language_code="fi")
    assert service.live and service.title == "Työkokeilu 1"
    assert service.has_unpublished_changes and service.draft_title == "Työkokeilu, luonnos"
    assert service.latest_revision.as_object().title == "Työkokeilu, luonnos"
    assert service.live_revision_id != service.latest_revision_id
    assert service.pk not in saved  # the live row is not written
    assert history(service)["actions"] == ["wagtail.create", "wagtail.publish"]


def test_publishing_by_import_cancels_a_review_in_progress_as_publishing_in_the_admin_does(
    django_user_model,
):
    import_document(make_document())
    service = ServicePage.objects.get(key="work-trial-1", locale__language_code="fi")
    editor = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    review = service.get_workflow().start(service, editor)
    document = make_document()
    document["services"][0]["locales"]["fi"]["summary"] = "Kokeile uudelleen."

    import_document(document)

    review.refresh_from_db()
    assert review.status == review.STATUS_CANCELLED

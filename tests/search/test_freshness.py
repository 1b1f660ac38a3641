"""The delivery search index follows what editors do, and catches up after an outage.

Publishing, unpublishing, deleting and moving pages, publishing a translation,
changing a view restriction and uploading a document reach the index as soon
as the transaction commits; a draft never does. With Elasticsearch down the
editor's work still goes through, the update is recorded, and
``search_reconcile`` brings the index back in line. ``search_rebuild`` builds
a new index and swaps the alias to it.

Tests run inside a transaction, so each change is made under
``django_capture_on_commit_callbacks(execute=True)``, which runs the
after-commit index update as a real commit would.
"""

from contextlib import contextmanager
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import CollectionViewRestriction, Locale, PageViewRestriction
from wagtail.test.utils.form_data import querydict_from_html

from catalogue.models import OrganisationPage, ServicePage
from guides.models import GuidePage
from search import freshness, index
from search.models import PendingIndexUpdate

pytestmark = pytest.mark.django_db

UNREACHABLE = "http://127.0.0.1:9"  # nothing listens on the discard port: connection refused


@pytest.fixture(autouse=True)
def delivery_index(settings):
    """An empty delivery index (under the run's unique prefix, cms.test_settings), dropped after."""
    if not settings.ELASTICSEARCH_URL:
        yield
        return
    index.drop()
    index.ensure_index()
    yield
    index.drop()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs the after-commit callbacks of the block on leaving it.

    What the fixtures did before counts as committed and indexed already (they
    rebuild the index), so their pending ids are set aside.
    """

    @contextmanager
    def block():
        freshness._batch.take()
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return block


@pytest.fixture
def producer(client, small_catalogue, role_user):
    client.force_login(role_user("producer", area_code="091"))
    return client


def indexed(obj):
    """The delivery index's document of a page or document, or None."""
    es = index.client()
    es.indices.refresh(index=index.alias())
    hits = es.search(index=index.alias(), query={"term": {"object_id": obj.pk}})["hits"]["hits"]
    sources = [hit["_source"] for hit in hits if hit["_id"] == index.doc_id(obj)]
    return sources[0] if sources else None


def service(key, language="fi"):
    return ServicePage.objects.get(key=key, locale__language_code=language)


def post_editor(client, page, buttons=(), **fields):
    """Fill in the page editor as a browser would and press ``buttons`` (none: save a draft)."""
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    for name, value in fields.items():
        data[name] = value
    for button in buttons:
        data[button] = "1"
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    return response


def publish(page):
    page.save_revision().publish()


# --- Editing reaches the index at once ----------------------------------------------


@pytest.mark.elasticsearch
def test_a_service_a_producer_publishes_is_found_in_the_index_at_once(producer, committed):
    helsinki = OrganisationPage.objects.get(key="helsinki", locale=Locale.get_default())
    add_url = reverse("wagtailadmin_pages:add", args=["catalogue", "servicepage", helsinki.pk])
    data = querydict_from_html(producer.get(add_url).content.decode(), form_id="page-edit-form")
    data.update(
        title="Palkkatuki",
        slug="palkkatuki",
        key="wage-subsidy",
        responsible_email="vastuu@example.org",
    )
    data["action-publish"] = "1"
    with committed():
        assert producer.post(add_url, data).status_code == 302

    document = indexed(service("wage-subsidy"))
    assert document["title"] == "Palkkatuki"
    assert document["kind"] == "SERVICE"
    assert document["organisation"] == "helsinki"


@pytest.mark.elasticsearch
def test_a_saved_draft_leaves_the_published_version_in_the_index(producer, committed):
    page = service("career-coaching")
    with committed():
        post_editor(producer, page, title="Uravalmennus (luonnos)")

    assert indexed(page)["title"] == "Uravalmennus"

    with committed():
        post_editor(producer, page, buttons=["action-publish"])

    assert indexed(page)["title"] == "Uravalmennus (luonnos)"


@pytest.mark.elasticsearch
def test_an_unpublished_service_leaves_the_index(producer, committed):
    page = service("career-coaching")
    assert indexed(page) is not None

    with committed():
        response = producer.post(reverse("wagtailadmin_pages:unpublish", args=[page.pk]))
    assert response.status_code == 302

    assert indexed(page) is None


@pytest.mark.elasticsearch
def test_a_deleted_service_and_an_organisation_deleted_with_its_services_leave_the_index(
    small_catalogue, committed
):
    startup_money, career_coaching = service("startup-money"), service("career-coaching")

    with committed():
        startup_money.delete()
        OrganisationPage.objects.get(key="espoo", locale=Locale.get_default()).delete()

    assert indexed(startup_money) is None
    assert indexed(career_coaching) is None
    assert indexed(service("youth-workshop")) is not None


@pytest.mark.elasticsearch
def test_publishing_a_translation_takes_its_locale_from_the_finnish_page(
    small_catalogue, committed
):
    finnish, swedish = service("work-trial"), service("work-trial", "sv")
    assert indexed(finnish)["served_in"] == ["fi", "en"]

    with committed():
        swedish.unpublish()

    assert indexed(finnish)["served_in"] == ["fi", "en", "sv"]
    assert indexed(swedish) is None

    with committed():
        swedish.title = "Arbetsprövning på arbetsplatsen"
        publish(swedish)

    assert indexed(finnish)["served_in"] == ["fi", "en"]
    assert indexed(swedish)["served_in"] == ["sv"]
    assert indexed(swedish)["title"] == "Arbetsprövning på arbetsplatsen"


@pytest.mark.elasticsearch
def test_a_guide_moved_into_the_internal_section_takes_its_restriction_along(site_tree, committed):
    with committed():
        guide = site_tree.guides.add_child(
            instance=GuidePage(title="Haastatteluopas", slug="haastatteluopas", key="interview")
        )
        publish(guide)
    assert indexed(guide)["restrictions"] == []

    with committed():
        guide.move(site_tree.internal_guides, pos="last-child")

    internal = PageViewRestriction.objects.get(page=site_tree.internal)
    assert indexed(guide)["restrictions"] == [f"page:{internal.pk}"]


@pytest.mark.elasticsearch
def test_a_restriction_on_a_section_reaches_the_guides_under_it(site_tree, committed):
    with committed():
        guide = site_tree.guides.add_child(
            instance=GuidePage(title="Haastatteluopas", slug="haastatteluopas", key="interview")
        )
        publish(guide)
        restriction = PageViewRestriction.objects.create(
            page=site_tree.guides, restriction_type=PageViewRestriction.LOGIN
        )
    assert indexed(guide)["restrictions"] == [f"page:{restriction.pk}"]

    with committed():
        restriction.delete()

    assert indexed(guide)["restrictions"] == []


@pytest.mark.elasticsearch
def test_a_document_uploaded_to_the_internal_collection_is_indexed_behind_its_restriction(
    producer, site_tree, committed
):
    with committed():
        response = producer.post(
            reverse("wagtaildocs:add"),
            {
                "title": "Palkkatukilomake",
                "file": SimpleUploadedFile("lomake.txt", b"Palkkatuen hakulomake"),
                "collection": site_tree.internal_attachments.pk,
            },
        )
    assert response.status_code == 302

    document = get_document_model().objects.get(title="Palkkatukilomake")
    document_id = document.pk
    restriction = CollectionViewRestriction.objects.get(collection=site_tree.internal_attachments)
    source = indexed(document)
    assert source["kind"] == "ATTACHMENT"
    assert source["restrictions"] == [f"collection:{restriction.pk}"]

    with committed():
        restriction.delete()
    assert indexed(document)["restrictions"] == []

    with committed():
        document.delete()
    document.pk = document_id  # Django clears it on delete
    assert indexed(document) is None


# --- Elasticsearch down --------------------------------------------------------------


def edit_while_elasticsearch_is_down(producer, committed):
    """A producer publishes a change and deletes a service while nothing answers on the URL."""
    page, doomed = service("career-coaching"), service("youth-workshop")
    with override_settings(ELASTICSEARCH_URL=UNREACHABLE), committed():
        post_editor(producer, page, buttons=["action-publish"], title="Uravalmennus 2.0")
        doomed.delete()
    return page, doomed


def test_with_elasticsearch_down_editors_still_publish_and_the_updates_are_recorded(
    producer, committed
):
    page, doomed = edit_while_elasticsearch_is_down(producer, committed)

    page.refresh_from_db()
    assert page.live and page.title == "Uravalmennus 2.0"
    assert not ServicePage.objects.filter(pk=doomed.pk).exists()
    pending = {row.doc_id: row for row in PendingIndexUpdate.objects.all()}
    assert pending[f"page-{page.pk}"].action == "index"
    assert pending[f"page-{doomed.pk}"].action == "delete"
    assert "ConnectionError" in pending[f"page-{page.pk}"].error
    assert pending[f"page-{page.pk}"].attempts == 1


def test_a_repeated_failure_updates_the_one_row_of_its_document():
    for error in ("ConnectionError: first", "ConnectionTimeout: second"):
        PendingIndexUpdate.record("page", 7, "page-7", "index", error)

    row = PendingIndexUpdate.objects.get()
    assert (row.attempts, row.error) == (2, "ConnectionTimeout: second")
    assert row.last_failed_at >= row.first_failed_at


@pytest.mark.elasticsearch
def test_reconcile_applies_what_was_recorded_while_elasticsearch_was_down(producer, committed):
    page, doomed = edit_while_elasticsearch_is_down(producer, committed)
    assert indexed(page)["title"] == "Uravalmennus"
    assert indexed(doomed) is not None

    out = StringIO()
    call_command("search_reconcile", stdout=out)

    assert "2 retried, 2 done, 0 still failing" in out.getvalue()
    assert indexed(page)["title"] == "Uravalmennus 2.0"
    assert indexed(doomed) is None
    assert not PendingIndexUpdate.objects.exists()


def test_reconcile_keeps_the_rows_while_elasticsearch_is_still_down(producer, committed):
    edit_while_elasticsearch_is_down(producer, committed)

    with override_settings(ELASTICSEARCH_URL=UNREACHABLE), pytest.raises(Exception) as failure:
        call_command("search_reconcile", stdout=StringIO())

    assert "does not answer; 2 pending update(s) kept" in str(failure.value)
    assert PendingIndexUpdate.objects.count() == 2


@pytest.mark.elasticsearch
def test_a_full_reconcile_finds_what_no_row_recorded(small_catalogue, committed):
    missing, stale, extra = (
        service("work-trial"),
        service("career-coaching"),
        service("youth-workshop"),
    )
    index.client().delete(index=index.alias(), id=index.doc_id(missing), refresh=True)
    with override_settings(ELASTICSEARCH_URL=None), committed():  # as if the process died
        stale.title = "Uravalmennus 2.0"
        publish(stale)
        extra.delete()

    out = StringIO()
    call_command("search_reconcile", "--full", stdout=out)

    assert "1 missing, 1 stale and 1 extra document(s)" in out.getvalue()
    assert indexed(missing) is not None
    assert indexed(stale)["title"] == "Uravalmennus 2.0"
    assert indexed(extra) is None

    out = StringIO()
    call_command("search_reconcile", "--full", stdout=out)
    assert "0 missing, 0 stale and 0 extra document(s)" in out.getvalue()


# --- Rebuild ------------------------------------------------------------------------


@pytest.mark.elasticsearch
def test_a_rebuild_fills_a_new_index_and_swaps_the_alias_to_it(small_catalogue):
    get_document_model().objects.create(
        title="Lomake", file=ContentFile(b"x", name="lomake.txt"), collection_id=1
    )
    es = index.client()
    (before,) = es.indices.get_alias(name=index.alias())

    out = StringIO()
    call_command("search_rebuild", stdout=out)

    (after,) = es.indices.get_alias(name=index.alias())
    assert after != before
    assert not es.indices.exists(index=before)
    live_pages = sum(model.objects.live().count() for model in freshness.indexed_page_models())
    total = live_pages + get_document_model().objects.count()
    assert es.count(index=index.alias())["count"] == total
    assert f"Built {after} with {total} document(s)" in out.getvalue()


# --- Without Elasticsearch -----------------------------------------------------------


@override_settings(ELASTICSEARCH_URL=None)
def test_without_elasticsearch_publishing_schedules_no_index_update(
    small_catalogue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        publish(service("career-coaching"))
        get_document_model().objects.create(
            title="Lomake", file=ContentFile(b"x", name="lomake.txt"), collection_id=1
        )

    assert freshness._flush not in callbacks
    assert not PendingIndexUpdate.objects.exists()

"""The publication pipeline of a service, as its people use the admin.

A provider's editor drafts a service and submits it; a municipal producer
approves it (it goes live) or requests changes (the editor sees why). A
service never goes live without a named responsible person: the editor gets a
form error, the producer a message, and code that publishes directly a
ValidationError.
"""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState
from wagtail.test.utils.form_data import querydict_from_html, rich_text

from catalogue.models import ServicePage
from catalogue.models.service_page import RESPONSIBLE_REQUIRED
from people.organisations import create_organisation
from people.site_tree import PRODUCER_REVIEW_TASK


@pytest.fixture
def organisation(site_tree):
    return create_organisation("org-a", "Organisaatio A")[0]


@pytest.fixture
def editor(organisation, role_user):
    return role_user("provider-editor", organisation_key="org-a")


@pytest.fixture
def producer(organisation, role_user):
    return role_user("producer", area_code="091")


def add_url(organisation):
    return f"/admin/pages/add/catalogue/servicepage/{organisation.pk}/"


def edit_url(page):
    return f"/admin/pages/{page.pk}/edit/"


def post_editor(client, url, buttons=(), **fields):
    """Fill in the page editor at ``url`` as a browser would and press ``buttons``."""
    form = client.get(url)
    assert form.status_code == 200
    data = querydict_from_html(form.content.decode(), form_id="page-edit-form")
    for name, value in fields.items():
        data[name] = value
    for button in buttons:
        data[button] = "1"
    return client.post(url, data)


def service_fields(title="Työkokeilu", **fields):
    return {"title": title, "slug": "tyokokeilu", "key": "tyokokeilu", **fields}


def form_errors(response):
    assert response.status_code == 200, "the editor should be shown again with errors"
    return response.context["form"].errors


def messages_of(response):
    return [str(message).strip() for message in get_messages(response.wsgi_request)]


@pytest.fixture
def submitted(client, organisation, editor):
    """A service the provider editor has drafted and submitted for review."""
    client.force_login(editor)
    response = post_editor(
        client,
        add_url(organisation),
        buttons=["action-submit"],
        **service_fields(responsible_email="vastuu@example.org"),
    )
    assert response.status_code == 302
    return ServicePage.objects.get(key="tyokokeilu")


def workflow_action_url(page, action):
    """The URL behind the approve / request changes buttons of the dashboard."""
    task_state = page.current_workflow_task_state
    return reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])


def test_a_provider_editor_submits_a_new_service_for_the_producers_review(submitted, editor):
    assert not submitted.live
    assert submitted.owner == editor
    assert submitted.workflow_in_progress
    assert submitted.current_workflow_task.name == PRODUCER_REVIEW_TASK
    assert submitted.current_workflow_state.requested_by == editor


def test_a_service_in_review_is_locked_for_the_provider_editor(submitted, editor):
    assert submitted.permissions_for_user(editor).page_locked()


def test_a_producer_approves_a_submitted_service_and_it_goes_live(submitted, producer, client):
    client.force_login(producer)
    response = client.post(workflow_action_url(submitted, "approve"), {"comment": ""})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.live
    assert submitted.responsible_email == "vastuu@example.org"
    workflow_state = WorkflowState.objects.get(object_id=str(submitted.pk))
    assert workflow_state.status == WorkflowState.STATUS_APPROVED


def test_a_provider_editor_cannot_approve_their_own_submission(submitted, editor, client):
    client.force_login(editor)
    response = client.post(workflow_action_url(submitted, "approve"), {"comment": ""})
    assert (response.status_code, response.url) == (302, "/admin/")  # refused
    submitted.refresh_from_db()
    assert not submitted.live
    assert submitted.workflow_in_progress


def test_a_producer_requests_changes_and_the_editor_sees_why(submitted, producer, editor, client):
    client.force_login(producer)
    task_state = submitted.current_workflow_task_state
    response = client.post(
        workflow_action_url(submitted, "reject"), {"comment": "Lisää kohderyhmän kuvaus."}
    )
    assert response.status_code == 302

    submitted.refresh_from_db()
    assert not submitted.live
    workflow_state = WorkflowState.objects.get(object_id=str(submitted.pk))
    assert workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    task_state = TaskState.objects.get(pk=task_state.pk)
    assert task_state.status == TaskState.STATUS_REJECTED
    assert task_state.comment == "Lisää kohderyhmän kuvaus."
    assert task_state.finished_by == producer

    client.force_login(editor)
    editor_view = client.get(edit_url(submitted))
    assert "Lisää kohderyhmän kuvaus." in editor_view.content.decode()
    history = client.get(
        f"/admin/pages/{submitted.pk}/workflow_history/detail/{workflow_state.pk}/"
    )
    assert history.status_code == 200
    assert "Lisää kohderyhmän kuvaus." in history.content.decode()


def test_after_changes_the_editor_resubmits_and_the_review_starts_again(
    submitted, producer, editor, client
):
    client.force_login(producer)
    client.post(workflow_action_url(submitted, "reject"), {"comment": "Lisää kohderyhmän kuvaus."})

    client.force_login(editor)
    response = post_editor(
        client,
        edit_url(submitted),
        buttons=["action-restart-workflow"],
        target_group=rich_text("<p>Nuoret alle 30-vuotiaat.</p>"),
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.workflow_in_progress
    assert submitted.current_workflow_task_state.status == TaskState.STATUS_IN_PROGRESS


# --- The responsible person (vastuuhenkilö) ----------------------------------


def test_a_provider_editor_can_save_a_first_draft_without_a_responsible_person(
    organisation, editor, client
):
    client.force_login(editor)
    response = post_editor(client, add_url(organisation), **service_fields())
    assert response.status_code == 302
    page = ServicePage.objects.get(key="tyokokeilu")
    assert not page.live
    assert page.responsible_email == ""


def test_submitting_without_a_responsible_person_is_a_form_error(organisation, editor, client):
    client.force_login(editor)
    response = post_editor(
        client, add_url(organisation), buttons=["action-submit"], **service_fields()
    )
    assert form_errors(response)["responsible_email"] == [RESPONSIBLE_REQUIRED]
    assert not ServicePage.objects.filter(key="tyokokeilu").exists()


def test_publishing_a_draft_without_a_responsible_person_is_a_form_error(
    organisation, editor, producer, client
):
    client.force_login(editor)
    post_editor(client, add_url(organisation), **service_fields())
    draft = ServicePage.objects.get(key="tyokokeilu")

    client.force_login(producer)
    response = post_editor(client, edit_url(draft), buttons=["action-publish"])
    assert form_errors(response)["responsible_email"] == [RESPONSIBLE_REQUIRED]
    draft.refresh_from_db()
    assert not draft.live

    response = post_editor(
        client,
        edit_url(draft),
        buttons=["action-publish"],
        responsible_email="vastuu@example.org",
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.live


def test_a_producer_creating_and_publishing_at_once_must_name_a_responsible_person(
    organisation, producer, client
):
    client.force_login(producer)
    response = post_editor(
        client, add_url(organisation), buttons=["action-publish"], **service_fields()
    )
    assert form_errors(response)["responsible_email"] == [RESPONSIBLE_REQUIRED]
    assert not ServicePage.objects.filter(key="tyokokeilu").exists()


def test_approving_in_the_editor_without_a_responsible_person_is_a_form_error(
    submitted, producer, client
):
    client.force_login(producer)
    response = client.get(edit_url(submitted))
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    data.update(
        {
            "responsible_email": "",
            "action-workflow-action": "1",
            "workflow-action-name": "approve",
        }
    )
    response = client.post(edit_url(submitted), data)
    assert form_errors(response)["responsible_email"] == [RESPONSIBLE_REQUIRED]
    submitted.refresh_from_db()
    assert not submitted.live
    assert submitted.workflow_in_progress


def test_approving_a_service_without_a_responsible_person_shows_a_message_not_an_error(
    submitted, producer, client
):
    """The dashboard's approve button publishes straight away; the model refuses."""
    client.force_login(producer)
    post_editor(client, edit_url(submitted), responsible_email="")
    task_state = submitted.current_workflow_task_state

    response = client.post(workflow_action_url(submitted, "approve"), {"comment": ""})

    assert response.status_code == 302
    assert response.url == edit_url(submitted)
    assert f"”Työkokeilu”: {RESPONSIBLE_REQUIRED}" in messages_of(response)
    submitted.refresh_from_db()
    assert not submitted.live
    assert TaskState.objects.get(pk=task_state.pk).status == TaskState.STATUS_IN_PROGRESS


def test_approving_with_a_comment_in_the_modal_gets_the_message_after_the_modal(
    submitted, producer, client
):
    client.force_login(producer)
    post_editor(client, edit_url(submitted), responsible_email="")

    response = client.post(
        workflow_action_url(submitted, "approve"),
        {"comment": "Hyvä."},
        headers={"x-requested-with": "XMLHttpRequest"},
    )

    assert response.json() == {"step": "success", "redirect": edit_url(submitted)}
    assert f"”Työkokeilu”: {RESPONSIBLE_REQUIRED}" in messages_of(response)
    submitted.refresh_from_db()
    assert not submitted.live


def test_bulk_publishing_a_draft_without_a_responsible_person_shows_a_message(
    organisation, editor, producer, client
):
    client.force_login(editor)
    post_editor(client, add_url(organisation), **service_fields())
    draft = ServicePage.objects.get(key="tyokokeilu")
    listing = f"/admin/pages/{organisation.pk}/"

    client.force_login(producer)
    response = client.post(
        f"/admin/bulk/wagtailcore/page/publish/?id={draft.pk}&next={listing}",
        {"include_descendants": ""},
    )

    assert (response.status_code, response.url) == (302, listing)
    assert RESPONSIBLE_REQUIRED in messages_of(response)
    draft.refresh_from_db()
    assert not draft.live


def test_publishing_in_code_without_a_responsible_person_raises(organisation):
    page = organisation.add_child(
        instance=ServicePage(title="Työkokeilu", slug="tyokokeilu", key="tyokokeilu", live=False)
    )
    with pytest.raises(ValidationError) as refused:
        page.save_revision().publish()
    assert refused.value.message_dict["responsible_email"] == [RESPONSIBLE_REQUIRED]
    page.refresh_from_db()
    assert not page.live

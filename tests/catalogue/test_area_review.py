"""A submitted service is reviewed by the producers of the areas it serves.

Producers belong to an employment area. A service for Kauniainen (which the
Espoo area serves) goes to the Espoo area's producers; a Helsinki producer
neither sees it among the reviews awaiting them nor can approve it, and the
page stays locked for them while it is in review.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.text import slugify
from wagtail.models import Locale, TaskState

from catalogue.models import Municipality, ServicePage
from people.organisations import create_organisation


@pytest.fixture
def organisation(site_tree):
    return create_organisation("org-a", "Organisaatio A")[0]


def municipality(code):
    return Municipality.objects.get(code=code, locale=Locale.get_default())


def submit(organisation, editor, *codes, title="Työkokeilu"):
    """A draft with these municipalities, submitted for review as the editor would."""
    page = organisation.add_child(
        instance=ServicePage(
            title=title,
            key=slugify(title),
            responsible_email="vastuu@example.org",
            live=False,
        )
    )
    page.municipalities = [municipality(code) for code in codes]
    page.save_revision(user=editor)
    page.get_workflow().start(page, editor)
    return ServicePage.objects.get(pk=page.pk)


def browser(user):
    client = Client()
    client.force_login(user)
    return client


def approve(user, page):
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    return browser(user).post(url, {"comment": ""})


@pytest.fixture
def people(organisation, role_user):
    return {
        "editor": role_user("provider-editor", organisation_key="org-a"),
        "espoo": role_user("producer", area_code="049"),
        "helsinki": role_user("producer", area_code="091"),
        "admin": role_user("administrator"),
    }


def test_the_producer_of_the_area_a_service_serves_approves_it(organisation, people):
    service = submit(organisation, people["editor"], "235")  # Kauniainen: the Espoo area

    response = approve(people["espoo"], service)

    assert response.status_code == 302
    service.refresh_from_db()
    assert service.live


def test_a_producer_of_another_area_cannot_approve_and_finds_the_page_locked(organisation, people):
    service = submit(organisation, people["editor"], "235")
    helsinki = people["helsinki"]

    response = approve(helsinki, service)

    assert (response.status_code, response.url) == (302, "/admin/")  # refused
    service.refresh_from_db()
    assert not service.live and service.workflow_in_progress
    assert service.permissions_for_user(helsinki).page_locked()
    assert service.current_workflow_task.get_actions(service, helsinki) == []
    assert not service.permissions_for_user(people["espoo"]).page_locked()


def test_reviews_awaiting_a_producer_are_those_of_their_area(organisation, people):
    espoo_service = submit(organisation, people["editor"], "049", title="Espoon palvelu")
    helsinki_service = submit(organisation, people["editor"], "091", title="Helsingin palvelu")

    def awaiting(user):
        return {state.workflow_state.object_id for state in TaskState.objects.reviewable_by(user)}

    assert awaiting(people["espoo"]) == {str(espoo_service.pk)}
    assert awaiting(people["helsinki"]) == {str(helsinki_service.pk)}
    assert awaiting(people["admin"]) >= {str(espoo_service.pk), str(helsinki_service.pk)}

    dashboard = browser(people["helsinki"]).get(reverse("wagtailadmin_home")).content.decode()
    awaiting_panel = re.search(r'id="awaiting-review-section"(.*?)</section>', dashboard, re.S)
    assert "Helsingin palvelu" in awaiting_panel.group(1)
    assert "Espoon palvelu" not in awaiting_panel.group(1)


def test_a_service_serving_two_areas_may_be_approved_by_either(organisation, people):
    service = submit(organisation, people["editor"], "049", "091")
    assert approve(people["helsinki"], service).url != "/admin/"
    service.refresh_from_db()
    assert service.live


def test_the_municipalities_under_review_decide_not_the_live_ones(organisation, people):
    service = submit(organisation, people["editor"], "091")
    approve(people["helsinki"], service)
    # The editor moves the service to Kauniainen and submits the change.
    service.refresh_from_db()
    draft = service.get_latest_revision_as_object()
    draft.municipalities = [municipality("235")]
    draft.save_revision(user=people["editor"])
    service.get_workflow().start(service, people["editor"])
    service = ServicePage.objects.get(pk=service.pk)

    assert approve(people["helsinki"], service).url == "/admin/"
    assert approve(people["espoo"], service).url != "/admin/"


def test_an_administrator_approves_any_service(organisation, people):
    service = submit(organisation, people["editor"], "235")
    approve(people["admin"], service)
    service.refresh_from_db()
    assert service.live

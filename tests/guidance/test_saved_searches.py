"""Saved searches (tallennetut haut) and their alerts (hakuvahti).

A signed-in expert saves a services request under a name. When a service
first published after that matches it, the expert gets one e-mail naming
it: publishing the service again or updating it sends nothing more, and a
service the expert may not see is never named. Alerts go after the commit:
a publication that is rolled back sends nothing.
"""

import json
import smtplib

import pytest
from catalogue_data import CATALOGUE
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from wagtail.models import PageViewRestriction

from catalogue.models import Municipality, OrganisationPage, ServicePage
from exchange.importer import import_document
from guidance.models import SavedSearch, SavedSearchAlert, ServicePublication

pytestmark = pytest.mark.django_db

SAVE = """
mutation ($name: String!, $query: String, $filter: ServiceFilter, $alerts: Boolean) {
  saveSearch(name: $name, query: $query, filter: $filter, alerts: $alerts) {
    id name locale query alerts filter { municipalities audience categories }
  }
}
"""
SAVED = (
    "{ me { savedSearches { id name query filter { municipalities } exclude { categories } } } }"
)
UPDATE = """
mutation ($id: ID!, $name: String, $alerts: Boolean) {
  updateSavedSearch(id: $id, name: $name, alerts: $alerts) { id name alerts }
}
"""
DELETE = "mutation ($id: ID!) { deleteSavedSearch(id: $id) }"


def post(client, query, variables=None):
    response = client.post(
        "/graphql/",
        data=json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
    )
    return response.json()


@pytest.fixture
def expert(role_user):
    user = role_user("expert", email="asiantuntija@example.org")
    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs the block's after-commit callbacks when it ends, as a
    real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def organisation(site_tree, committed):
    """The small catalogue, imported and committed (its publications are no news to
    searches saved later), and one of its organisations."""
    with committed():
        import_document(CATALOGUE)
    return OrganisationPage.objects.get(key="helsinki", locale__language_code="fi")


def new_service(organisation, key, title, municipality="091", **fields):
    """A service written as a draft: published later by the test."""
    service = organisation.add_child(
        instance=ServicePage(
            title=title,
            key=key,
            slug=key,
            live=False,
            summary=fields.pop("summary", f"{title}: uusi palvelu."),
            responsible_email="vastuu@example.org",
            **fields,
        )
    )
    service.municipalities.set(
        [Municipality.objects.get(code=municipality, locale__language_code="fi")]
    )
    service.save_revision()
    return service


def publish(page):
    page.refresh_from_db()
    page.get_latest_revision().publish()


def save_helsinki_search(expert, **variables):
    answer = post(
        expert,
        SAVE,
        {"name": "Helsingin palvelut", "filter": {"municipalities": ["091"]}, **variables},
    )
    assert "errors" not in answer, answer
    return answer["data"]["saveSearch"]


# --- Keeping saved searches -----------------------------------------------------------


def test_an_expert_saves_renames_and_deletes_a_search(expert, organisation):
    saved = save_helsinki_search(expert, query="  työ  kokeilu ")

    assert saved["filter"] == {"municipalities": ["091"], "audience": None, "categories": None}
    assert saved["query"] == "työ kokeilu"
    assert (saved["locale"], saved["alerts"]) == ("fi", True)
    listed = post(expert, SAVED)["data"]["me"]["savedSearches"]
    assert [item["name"] for item in listed] == ["Helsingin palvelut"]
    renamed = post(expert, UPDATE, {"id": saved["id"], "name": "Stadi", "alerts": False})
    assert renamed["data"]["updateSavedSearch"] == {
        "id": saved["id"],
        "name": "Stadi",
        "alerts": False,
    }
    assert post(expert, DELETE, {"id": saved["id"]})["data"]["deleteSavedSearch"] == saved["id"]
    assert post(expert, SAVED)["data"]["me"]["savedSearches"] == []


def test_a_saved_search_is_checked_as_services_checks_it(expert, organisation):
    unknown = post(expert, SAVE, {"name": "Typo", "filter": {"categories": ["no-such"]}})
    nameless = post(expert, SAVE, {"name": "   "})

    assert unknown["errors"][0]["message"] == "Unknown category 'no-such' in categories."
    assert nameless["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert SavedSearch.objects.count() == 0


def test_saved_searches_are_their_owners_alone(expert, organisation, role_user, graphql):
    saved = save_helsinki_search(expert)
    other = Client()
    other.force_login(role_user("expert"))

    assert post(other, SAVED)["data"]["me"]["savedSearches"] == []
    assert post(other, DELETE, {"id": saved["id"]})["errors"][0]["extensions"]["code"] == (
        "NOT_FOUND"
    )
    assert graphql(SAVE, {"name": "x"})["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


# --- Alerts ------------------------------------------------------------------------------


def test_a_new_matching_service_is_alerted_once(expert, organisation, committed):
    save_helsinki_search(expert)
    service = new_service(organisation, "recruitment-fair", "Rekrytointimessut")

    with committed():
        publish(service)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["asiantuntija@example.org"]
    assert "Helsingin palvelut" in message.subject
    assert "Rekrytointimessut" in message.body
    service.refresh_from_db()
    assert service.get_url() in message.body  # where to read it

    # Published again, and updated and published: no second e-mail.
    with committed():
        publish(service)
    service.summary = "Päivitetty kuvaus."
    with committed():
        service.save_revision().publish()
    assert len(mail.outbox) == 1
    assert SavedSearchAlert.objects.count() == 1
    assert ServicePublication.objects.count() == 0


def test_a_service_the_expert_may_not_see_is_never_alerted(expert, organisation, committed):
    from django.contrib.auth.models import Group

    from cms import roles

    save_helsinki_search(expert)
    service = new_service(organisation, "admin-pilot", "Pääkäyttäjien pilotti")
    restriction = PageViewRestriction.objects.create(
        page=service, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name=roles.ADMINISTRATORS)])

    with committed():
        publish(service)

    assert mail.outbox == []


def test_services_that_do_not_match_or_are_not_new_are_not_alerted(expert, organisation, committed):
    save_helsinki_search(expert, query="messut")
    elsewhere = new_service(organisation, "espoo-fair", "Espoon messut", municipality="049")
    other_topic = new_service(organisation, "digital-help", "Digineuvonta")
    existing = ServicePage.objects.get(key="youth-workshop", locale__language_code="fi")
    existing.title = "Nuorten työpaja ja messut"

    with committed():
        publish(elsewhere)
        publish(other_topic)
        existing.save_revision().publish()

    assert mail.outbox == []


def test_alerts_can_be_turned_off(expert, organisation, committed):
    saved = save_helsinki_search(expert)
    post(expert, UPDATE, {"id": saved["id"], "alerts": False})

    with committed():
        publish(new_service(organisation, "recruitment-fair", "Rekrytointimessut"))

    assert mail.outbox == []


def test_a_publication_that_is_rolled_back_sends_nothing(expert, organisation, committed):
    save_helsinki_search(expert)
    service = new_service(organisation, "recruitment-fair", "Rekrytointimessut")

    with committed():
        try:
            with transaction.atomic():
                publish(service)
                raise RuntimeError("the editor's request failed")
        except RuntimeError:
            pass

    assert mail.outbox == []
    assert ServicePublication.objects.count() == 0


def test_one_e_mail_names_every_new_service_of_an_import(expert, organisation, committed):
    save_helsinki_search(expert)
    first = new_service(organisation, "recruitment-fair", "Rekrytointimessut")
    second = new_service(organisation, "summer-jobs", "Kesätyöseteli")

    with committed():
        publish(first)
        publish(second)

    assert len(mail.outbox) == 1
    assert "Rekrytointimessut" in mail.outbox[0].body
    assert "Kesätyöseteli" in mail.outbox[0].body


def test_alerts_left_over_go_out_with_the_command(expert, organisation, settings):
    save_helsinki_search(expert)
    service = new_service(organisation, "recruitment-fair", "Rekrytointimessut")
    publish(service)  # the commit never comes in a test: the outbox keeps it

    assert mail.outbox == []
    call_command("send_saved_search_alerts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("send_saved_search_alerts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1


class RefusingBackend(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_an_alert_that_could_not_be_sent_goes_out_later_once(
    expert, organisation, committed, settings
):
    save_helsinki_search(expert)
    service = new_service(organisation, "recruitment-fair", "Rekrytointimessut")
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"

    with committed():
        publish(service)

    assert SavedSearchAlert.objects.count() == 0
    assert ServicePublication.objects.count() == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_saved_search_alerts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("send_saved_search_alerts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1
    assert ServicePublication.objects.count() == 0

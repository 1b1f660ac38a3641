"""The audit log records sign-ins, API tokens and role changes, never a secret (people.audit),
and administrators read and export it under Reports → Tietoturvaloki (people.audit_report)."""

import csv
import io
import json
from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.test import Client
from wagtail.log_actions import LogContext
from wagtail.models import APIToken, GroupPagePermission

from cms.roles import EXPERTS
from people.models import AuditEvent
from people.organisations import create_organisation

PASSWORD = "oikea-salasana-123"
REPORT = "/admin/reports/audit-log/"


@pytest.fixture(autouse=True)
def _no_earlier_events(db):
    # The shared site tree is built once per test database and its set-up is
    # audited too; each test here asserts only what it did itself.
    AuditEvent.objects.all().delete()


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def only(action):
    (event,) = events(action)
    return event


@pytest.fixture
def person(role_user):
    user = role_user("expert", email="eeva@example.org")
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def administrator(role_user):
    return role_user("administrator", email="paakayttaja@example.org")


def admin_browser(user):
    browser = Client()
    browser.force_login(user)
    return browser


def test_no_event_holds_a_password_or_a_token(person, administrator):
    browser = Client()
    browser.post("/admin/login/", {"username": person.username, "password": "väärä-salasana"})
    browser.post("/admin/login/", {"username": person.username, "password": PASSWORD})
    _, token = APIToken.create_token(user=person, name="frontend")
    api_token = APIToken.objects.get(user=person)
    api_token.revoke()

    written = json.dumps(list(AuditEvent.objects.values()), default=str, ensure_ascii=False)
    for secret in ["väärä-salasana", PASSWORD, token, api_token.key_hash]:
        assert secret not in written


# --- signing in ------------------------------------------------------------------------


def test_a_sign_in_and_a_sign_out_are_recorded_with_the_address(administrator):
    person = administrator  # experts have no admin, so no admin sign-out either
    person.set_password(PASSWORD)
    person.save()
    browser = Client(REMOTE_ADDR="198.51.100.7")
    browser.post("/admin/login/", {"username": person.username, "password": PASSWORD})
    browser.post("/admin/logout/")

    signed_in = only("signed_in")
    assert (signed_in.actor, signed_in.target_user) == (person, person)
    assert signed_in.ip_address == "198.51.100.7"
    signed_out = only("signed_out")
    assert (signed_out.actor_username, signed_out.ip_address) == (person.username, "198.51.100.7")


def test_a_failed_sign_in_names_the_user_name_tried(person, db):
    browser = Client(REMOTE_ADDR="198.51.100.8")
    browser.post("/admin/login/", {"username": person.username, "password": "väärä"})
    browser.post("/admin/login/", {"username": "ei-ole@example.org", "password": "väärä"})

    known, unknown = events("sign_in_failed")
    assert (known.target_user, known.target_username) == (person, person.username)
    assert (unknown.target_user, unknown.target_username) == (None, "ei-ole@example.org")
    assert known.actor is None and known.ip_address == "198.51.100.8"
    assert known.details == {}


# --- API tokens --------------------------------------------------------------------------


def test_a_token_created_and_revoked_in_the_admin_names_the_administrator(person, administrator):
    browser = admin_browser(administrator)
    browser.post("/admin/api-tokens/new/", {"name": "asiantuntijanäkymä", "user": person.pk})
    api_token = APIToken.objects.get(user=person)
    browser.post(f"/admin/api-tokens/delete/{api_token.pk}/")

    created, revoked = only("api_token_created"), only("api_token_revoked")
    for event in (created, revoked):
        assert (event.actor, event.target_user) == (administrator, person)
        assert event.details == {"token": f"{api_token.prefix}…", "name": "asiantuntijanäkymä"}


def test_a_token_created_by_the_command_has_no_actor(person):
    call_command("create_api_token", person.email, stdout=StringIO(), stderr=StringIO())
    event = only("api_token_created")
    assert (event.actor, event.target_user, event.ip_address) == (None, person, None)


def test_renaming_a_revoked_token_is_not_another_revocation(person):
    api_token, _ = APIToken.create_token(user=person, name="vanha")
    api_token.revoke()
    api_token.name = "vanha (peruttu)"
    api_token.save()
    assert len(events("api_token_revoked")) == 1


# --- groups and rights ---------------------------------------------------------------


def test_onboarding_into_a_role_is_a_group_membership_added(role_user):
    user = role_user("expert", email="uusi@example.org")
    event = only("group_member_added")
    assert (event.target_user, event.details) == (user, {"group": EXPERTS})


def test_memberships_changed_from_either_side_are_recorded_once_each(role_user, administrator):
    experts = Group.objects.get(name=EXPERTS)
    user = role_user("translator", email="kaantaja@example.org")
    AuditEvent.objects.all().delete()

    with LogContext(user=administrator):
        experts.user_set.add(user)
        experts.user_set.add(user)  # already a member: nothing changes
        user.groups.remove(experts)
        experts.user_set.remove(user)  # no longer a member: nothing changes

    added, removed = only("group_member_added"), only("group_member_removed")
    for event in (added, removed):
        assert (event.actor, event.target_user, event.details) == (
            administrator,
            user,
            {"group": EXPERTS},
        )


def test_clearing_a_users_groups_records_each_removal(role_user):
    user = role_user("expert", email="monta@example.org")
    role_user("translator", email="monta@example.org")
    user.groups.clear()
    assert sorted(event.details["group"] for event in events("group_member_removed")) == [
        EXPERTS,
        "Kääntäjät",
    ]


def test_a_provider_admin_removing_an_editor_is_recorded_with_the_admin(site_tree, role_user):
    organisation = create_organisation("org-a", "Organisaatio A")[0]
    provider_admin = role_user("provider-admin", organisation_key="org-a")
    editor = role_user("provider-editor", organisation_key="org-a")
    browser = admin_browser(provider_admin)

    browser.post(f"/admin/organisation-users/{organisation.pk}/remove/{editor.pk}/")

    event = only("group_member_removed")
    assert (event.actor, event.target_user) == (provider_admin, editor)
    assert event.details == {"group": organisation.editor_group.name}
    assert event.ip_address == "127.0.0.1"


def test_a_groups_django_permissions_changed_are_recorded(db):
    experts = Group.objects.get(name=EXPERTS)
    permission = Permission.objects.get(codename="add_document")
    experts.permissions.add(permission)
    experts.permissions.remove(permission)
    added, removed = events("group_permissions_changed")
    assert added.details == {"group": EXPERTS, "added": ["wagtaildocs.add_document"]}
    assert removed.details == {"group": EXPERTS, "removed": ["wagtaildocs.add_document"]}


def test_a_groups_page_permissions_granted_and_withdrawn_are_recorded(site_tree):
    experts = Group.objects.get(name=EXPERTS)
    AuditEvent.objects.all().delete()
    grant = GroupPagePermission.objects.create(
        group=experts,
        page=site_tree.catalogue,
        permission=Permission.objects.get(codename="publish_page"),
    )
    grant.delete()
    added, removed = events("group_permissions_changed")
    assert added.details == {
        "group": EXPERTS,
        "added": ["wagtailcore.publish_page"],
        "page": site_tree.catalogue.title,
    }
    assert removed.details["removed"] == ["wagtailcore.publish_page"]


def test_becoming_a_superuser_is_recorded_and_signing_in_is_not_a_change(role_user, person):
    administrator = role_user("administrator", email="uusi-paakayttaja@example.org")
    event = only("superuser_changed")
    assert (event.target_user, event.details) == (administrator, {"is_superuser": True})

    Client().post("/admin/login/", {"username": person.username, "password": PASSWORD})
    assert len(events("superuser_changed")) == 1


# --- the report ----------------------------------------------------------------------


def test_administrators_find_the_report_under_reports(administrator):
    dashboard = admin_browser(administrator).get("/admin/").content.decode()
    assert f'"url": "{REPORT}"' in dashboard


def test_others_neither_see_nor_open_the_report(role_user, site_tree):
    producer = role_user("producer", area_code="091")
    browser = admin_browser(producer)
    assert f'"url": "{REPORT}"' not in browser.get("/admin/").content.decode()
    response = browser.get(REPORT)
    assert (response.status_code, response.url) == (302, "/admin/")


def test_the_report_lists_and_filters_events(administrator, person):
    Client(REMOTE_ADDR="203.0.113.5").post(
        "/admin/login/", {"username": person.username, "password": "väärä"}
    )
    browser = admin_browser(administrator)

    page = browser.get(REPORT)
    assert page.status_code == 200
    assert "Epäonnistunut kirjautuminen" in page.content.decode()

    failed = browser.get(REPORT, {"action": "sign_in_failed"}).context["object_list"]
    assert [event.ip_address for event in failed] == ["203.0.113.5"]
    by_address = browser.get(REPORT, {"ip_address": "203.0.113."}).context["object_list"]
    assert [event.action for event in by_address] == ["sign_in_failed"]
    by_user = browser.get(REPORT, {"username": "eeva@"}).context["object_list"]
    assert {event.action for event in by_user} >= {"sign_in_failed", "group_member_added"}


def test_the_report_exports_csv_without_formulas(administrator, db):
    Client().post("/admin/login/", {"username": "=HYPERLINK(1)", "password": "väärä"})
    response = admin_browser(administrator).get(
        REPORT, {"export": "csv", "action": "sign_in_failed"}
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["Aika", "Tapahtuma", "Tekijä", "Kohde", "IP-osoite", "Tiedot"]
    assert rows[1][1:] == ["sign_in_failed", "", "'=HYPERLINK(1)", "127.0.0.1", "{}"]


def test_a_new_organisations_rights_are_recorded_once_per_grant_set(site_tree):
    AuditEvent.objects.all().delete()
    organisation = create_organisation("org-b", "Organisaatio B")[0]
    granted = [
        event.details
        for event in events("group_permissions_changed")
        if event.details["group"] == organisation.editor_group.name and "page" in event.details
    ]
    assert granted == [
        {
            "group": organisation.editor_group.name,
            "added": ["wagtailcore.add_page", "wagtailcore.change_page"],
            "page": "Organisaatio B",
        }
    ]

"""Provider admins manage their own organisation's editors ("Organisaation käyttäjät")."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from people.organisations import create_organisation

User = get_user_model()
# The admin sidebar is drawn from JSON, so the menu item is found by its link.
MENU_LINK = '"url": "/admin/organisation-users/"'


@pytest.fixture
def organisations(site_tree):
    return {
        key: create_organisation(key, name)[0]
        for key, name in [("org-a", "Organisaatio A"), ("org-b", "Organisaatio B")]
    }


@pytest.fixture
def admin_a(organisations, role_user, client):
    user = role_user("provider-admin", email="admin-a@example.org", organisation_key="org-a")
    client.force_login(user)
    return user


def organisation_url(organisation):
    return reverse("organisation_users:organisation", args=[organisation.pk])


def remove_url(organisation, user):
    return reverse("organisation_users:remove", args=[organisation.pk, user.pk])


def assert_refused(response):
    """Wagtail's admin answers a refused request by sending the user to the dashboard."""
    assert (response.status_code, response.url) == (302, "/admin/")


def test_a_provider_admin_finds_the_view_in_the_menu(admin_a, client):
    assert MENU_LINK in client.get("/admin/").content.decode()


def test_a_provider_editor_does_not_see_the_menu_item(organisations, role_user, client):
    client.force_login(role_user("provider-editor", organisation_key="org-a"))
    dashboard = client.get("/admin/").content.decode()
    assert '"url": "/admin/pages/' in dashboard
    assert MENU_LINK not in dashboard


def test_a_provider_admin_goes_straight_to_their_only_organisation(admin_a, organisations, client):
    response = client.get(reverse("organisation_users:index"))
    assert response.status_code == 302
    assert response.url == organisation_url(organisations["org-a"])


def test_an_admin_of_two_organisations_chooses_between_them(
    admin_a, organisations, role_user, client
):
    role_user("provider-admin", email="admin-a@example.org", organisation_key="org-b")
    page = client.get(reverse("organisation_users:index")).content.decode()
    assert organisation_url(organisations["org-a"]) in page
    assert organisation_url(organisations["org-b"]) in page


def test_a_provider_admin_sees_their_own_editors_only(admin_a, organisations, role_user, client):
    role_user("provider-editor", email="editor-a@example.org", organisation_key="org-a")
    role_user("provider-editor", email="editor-b@example.org", organisation_key="org-b")
    page = client.get(organisation_url(organisations["org-a"])).content.decode()
    assert "editor-a@example.org" in page
    assert "editor-b@example.org" not in page


def test_a_provider_admin_adds_a_new_person_as_an_editor(admin_a, organisations, client):
    organisation = organisations["org-a"]
    response = client.post(organisation_url(organisation), {"email": "Uusi@Example.org"})
    assert response.status_code == 302
    user = User.objects.get(username="uusi@example.org")
    assert not user.has_usable_password()
    assert list(user.groups.all()) == [organisation.editor_group]
    assert "uusi@example.org" in client.get(response.url).content.decode()


def test_a_new_editor_gets_an_invitation_with_a_set_password_link(admin_a, organisations, client):
    client.post(organisation_url(organisations["org-a"]), {"email": "kutsuttu@example.org"})

    (invitation,) = mail.outbox
    assert invitation.to == ["kutsuttu@example.org"]
    link = re.search(r"http\S+/admin/password_reset/confirm/\S+", invitation.body).group(0)
    form = Client().get(link, follow=True)
    assert form.status_code == 200
    assert b"new_password1" in form.content


def test_a_provider_admin_adds_an_existing_person_as_an_editor(
    admin_a, organisations, role_user, client
):
    expert = role_user("expert", email="expert@example.org")
    client.post(organisation_url(organisations["org-a"]), {"email": "expert@example.org"})
    assert organisations["org-a"].editor_group in expert.groups.all()
    assert User.objects.filter(email="expert@example.org").count() == 1


def test_an_invalid_address_is_shown_as_a_form_error(admin_a, organisations, client):
    response = client.post(organisation_url(organisations["org-a"]), {"email": "ei osoite"})
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not organisations["org-a"].editor_group.user_set.exists()


def test_a_provider_admin_removes_an_editor_from_the_organisation(
    admin_a, organisations, role_user, client
):
    editor = role_user("provider-editor", organisation_key="org-a")
    organisation = organisations["org-a"]
    response = client.post(remove_url(organisation, editor))
    assert response.status_code == 302
    assert not editor.groups.filter(pk=organisation.editor_group_id).exists()
    assert User.objects.filter(pk=editor.pk).exists()


def test_a_provider_admin_cannot_manage_another_organisation(
    admin_a, organisations, role_user, client
):
    other = organisations["org-b"]
    editor_b = role_user("provider-editor", organisation_key="org-b")
    assert_refused(client.get(organisation_url(other)))
    assert_refused(client.post(organisation_url(other), {"email": "x@example.org"}))
    assert_refused(client.post(remove_url(other, editor_b)))
    assert not User.objects.filter(username="x@example.org").exists()
    assert editor_b.groups.filter(pk=other.editor_group_id).exists()


def test_only_editors_of_the_organisation_can_be_removed_through_it(
    admin_a, organisations, role_user, client
):
    editor_b = role_user("provider-editor", organisation_key="org-b")
    assert client.post(remove_url(organisations["org-a"], editor_b)).status_code == 404
    assert editor_b.groups.filter(pk=organisations["org-b"].editor_group_id).exists()


def test_a_provider_editor_cannot_manage_editors(organisations, role_user, client):
    client.force_login(role_user("provider-editor", organisation_key="org-a"))
    assert_refused(client.get(reverse("organisation_users:index")))
    assert_refused(client.get(organisation_url(organisations["org-a"])))


def test_removing_needs_a_post(admin_a, organisations, role_user, client):
    editor = role_user("provider-editor", organisation_key="org-a")
    assert client.get(remove_url(organisations["org-a"], editor)).status_code == 405


def test_a_superuser_may_manage_any_organisation(organisations, admin_client):
    response = admin_client.post(
        organisation_url(organisations["org-b"]), {"email": "b@example.org"}
    )
    assert response.status_code == 302
    assert organisations["org-b"].editor_group.user_set.filter(username="b@example.org").exists()

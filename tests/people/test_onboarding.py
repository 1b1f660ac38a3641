"""How a new person gets in: the invitation, their password, their language."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

User = get_user_model()

BASE_URL = "http://localhost:8123"
NEW_PASSWORD = "Kahvi-ja-pulla-2027"


def add_user(email, *options):
    out = StringIO()
    # A producer works in the admin (an expert only reads through the API).
    call_command("add_user", email, "--role", "producer", "--area", "091", *options, stdout=out)
    return out.getvalue()


def link_in(message):
    return re.search(r"https?://\S+", message.body).group(0)


def choose_password(client, link):
    """Follow a set-password link as a browser does and choose a password."""
    path = link.removeprefix(BASE_URL)
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    assert "new_password1" in form_page.content.decode()
    return client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )


def sign_in(client, email):
    response = client.post("/admin/login/", {"username": email, "password": NEW_PASSWORD})
    return response.status_code == 302 and client.get("/admin/").status_code == 200


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.WAGTAILADMIN_BASE_URL = BASE_URL


def test_a_new_user_is_mailed_an_invitation_with_a_link_on_the_base_url(db):
    output = add_user("uusi.kayttaja@example.org")

    [message] = mail.outbox
    assert message.to == ["uusi.kayttaja@example.org"]
    link = link_in(message)
    assert link.startswith(f"{BASE_URL}/admin/password_reset/confirm/")
    assert f"set-password link: {link}" in output


def test_following_the_invitation_lets_the_user_choose_a_password_and_sign_in(db, client):
    add_user("uusi.kayttaja@example.org")
    assert not sign_in(client, "uusi.kayttaja@example.org")

    choose_password(client, link_in(mail.outbox[0]))

    assert sign_in(client, "uusi.kayttaja@example.org")


def test_running_add_user_again_sends_no_second_invitation_unless_asked(db):
    add_user("uusi.kayttaja@example.org")
    add_user("uusi.kayttaja@example.org")
    assert len(mail.outbox) == 1
    add_user("uusi.kayttaja@example.org", "--invite")
    assert len(mail.outbox) == 2


def test_forgotten_password_reaches_an_invited_user_who_never_chose_one(db, client):
    add_user("uusi.kayttaja@example.org")
    mail.outbox.clear()

    response = client.post("/admin/password_reset/", {"email": "Uusi.Kayttaja@example.org"})

    assert response.status_code == 302
    [message] = mail.outbox
    choose_password(client, link_in(message))
    assert sign_in(client, "uusi.kayttaja@example.org")


@pytest.fixture
def administrator(db, client):
    admin = User.objects.create_superuser("paakayttaja", "paakayttaja@example.org", "x")
    client.force_login(admin)
    return admin


def test_an_administrator_creates_a_user_without_a_password_and_they_are_invited(
    administrator, client
):
    response = client.post(
        reverse("wagtailusers_users:add"),
        {"username": "uusi", "email": "uusi@example.org", "first_name": "", "last_name": ""},
    )

    assert response.status_code == 302, response.context["form"].errors
    user = User.objects.get(username="uusi")
    assert not user.has_usable_password()
    [message] = mail.outbox
    assert message.to == ["uusi@example.org"]


def test_an_administrator_sets_a_password_for_a_user_without_names(administrator, client):
    add_user("nimeton@example.org")
    user = User.objects.get(username="nimeton@example.org")

    response = client.post(
        reverse("wagtailusers_users:edit", args=[user.pk]),
        {
            "username": user.username,
            "email": user.email,
            "first_name": "",
            "last_name": "",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "is_active": "on",
        },
    )

    assert response.status_code == 302, response.context["form"].errors
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def dashboard_language(client):
    # The browser's language does not decide: the person's choice, else Finnish.
    return client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_admin_is_in_finnish_until_a_person_chooses_swedish(db, client):
    add_user("uusi.kayttaja@example.org")
    choose_password(client, link_in(mail.outbox[0]))
    assert sign_in(client, "uusi.kayttaja@example.org")
    assert '<html lang="fi"' in dashboard_language(client)

    response = client.post(
        "/admin/account/",
        {
            "name_email-first_name": "",
            "name_email-last_name": "",
            "name_email-email": "uusi.kayttaja@example.org",
            "locale-preferred_language": "sv",
            "locale-current_time_zone": "",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
            "theme-keyboard_shortcuts": "on",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    assert '<html lang="sv"' in dashboard_language(client)

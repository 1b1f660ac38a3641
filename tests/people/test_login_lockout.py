"""Repeated failed sign-ins lock a user name out from one address (people.lockout)."""

from collections import Counter
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.test import Client

from people.models import AuditEvent

PASSWORD = "oikea-salasana-123"
LOCKED_PAGE = "Kirjautuminen estetty"


@pytest.fixture
def person(role_user):
    user = role_user("expert", email="eeva@example.org")
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def failure_limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    return 3


def sign_in(browser, password, username="eeva@example.org"):
    return browser.post("/admin/login/", {"username": username, "password": password})


def signed_in(browser):
    return "_auth_user_id" in browser.session


def test_the_right_password_signs_in(person):
    browser = Client()
    response = sign_in(browser, PASSWORD)
    assert response.status_code == 302
    assert signed_in(browser)


def test_after_the_failure_limit_even_the_right_password_is_refused(person, failure_limit):
    browser = Client()
    answers = [sign_in(browser, "väärä").status_code for _ in range(failure_limit)]
    assert answers == [200, 200, 429]

    response = sign_in(browser, PASSWORD)
    assert response.status_code == 429
    assert not signed_in(browser)
    assert browser.get("/admin/").status_code == 302


def test_the_locked_out_person_gets_a_page_that_says_why_and_when_to_retry(person, failure_limit):
    browser = Client()
    for _ in range(failure_limit):
        response = sign_in(browser, "väärä")
    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/html")
    assert response["Retry-After"] == "900"
    page = response.content.decode()
    assert LOCKED_PAGE in page
    assert "Yritä uudelleen 15 minuutin kuluttua" in page


def test_the_lockout_is_for_that_user_name_from_that_address_only(person, failure_limit, role_user):
    browser = Client(REMOTE_ADDR="192.0.2.10")
    for _ in range(failure_limit):
        sign_in(browser, "väärä")

    elsewhere = Client(REMOTE_ADDR="192.0.2.20")
    assert sign_in(elsewhere, PASSWORD).status_code == 302

    colleague = role_user("expert", email="kollega@example.org")
    colleague.set_password(PASSWORD)
    colleague.save()
    assert sign_in(browser, PASSWORD, username="kollega@example.org").status_code == 302


def test_the_lockout_ends_after_the_cool_off_time(person, failure_limit, settings):
    browser = Client()
    for _ in range(failure_limit):
        sign_in(browser, "väärä")
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    assert sign_in(browser, PASSWORD).status_code == 302
    assert signed_in(browser)


def test_the_failures_and_the_lockout_are_in_the_audit_log(person, failure_limit):
    browser = Client(REMOTE_ADDR="192.0.2.30")
    for _ in range(failure_limit):
        sign_in(browser, "väärä")
    sign_in(browser, PASSWORD)

    actions = Counter(
        AuditEvent.objects.filter(target_username="eeva@example.org").values_list(
            "action", flat=True
        )
    )
    # Three failures lock the person out; the right password then is one more failure.
    assert actions["sign_in_failed"] == failure_limit + 1
    assert actions["locked_out"] == 1
    assert actions["signed_in"] == 0
    lockout = AuditEvent.objects.get(action="locked_out")
    assert lockout.target_user == person
    assert lockout.ip_address == "192.0.2.30"
    assert lockout.details == {"failures": failure_limit}


def test_the_defaults_come_from_the_settings():
    from django.conf import settings

    assert settings.AXES_FAILURE_LIMIT == settings.LOGIN_FAILURE_LIMIT == 5
    assert timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]

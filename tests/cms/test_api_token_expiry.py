"""API tokens may expire, and the admin shows when each was last used (cms.api_tokens)."""

import json
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from wagtail.models import APIToken

from cms import api_tokens


def _post(token):
    return Client().post(
        "/graphql/",
        data=json.dumps({"query": "{ me { email } }"}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


@pytest.fixture
def expert(site_tree, role_user):
    return role_user("expert")


def _token(user, expires_at=None):
    api_token, plaintext = APIToken.create_token(user=user, name="frontend")
    api_tokens.set_expiry(api_token, expires_at)
    return api_token, plaintext


def test_a_token_works_until_it_expires(expert):
    api_token, token = _token(expert, timezone.now() + timedelta(days=1))
    response = _post(token)
    assert response.json() == {"data": {"me": {"email": expert.email}}}
    api_token.refresh_from_db()
    assert api_token.last_used_at is not None


def test_an_expired_token_is_refused_with_the_reason_and_is_not_marked_used(expert):
    api_token, token = _token(expert, datetime(2026, 1, 31, 10, 0, tzinfo=UTC))
    response = _post(token)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json() == {
        "errors": [{"message": "This API token expired at 2026-01-31T10:00:00+00:00."}]
    }
    api_token.refresh_from_db()
    assert api_token.last_used_at is None


def test_a_revoked_token_is_refused_as_revoked_even_when_it_has_expired_too(expert):
    api_token, token = _token(expert, timezone.now() - timedelta(days=1))
    api_token.revoke()
    assert _post(token).json()["errors"][0]["message"] == "This API token has been revoked."


def test_a_token_without_an_expiry_does_not_expire(expert):
    api_token, token = _token(expert)
    assert api_tokens.expires_at(api_token) is None
    assert _post(token).status_code == 200


def test_the_last_use_is_written_at_most_once_a_minute(expert):
    api_token, token = _token(expert)
    recently = timezone.now() - timedelta(seconds=10)
    APIToken.objects.filter(pk=api_token.pk).update(last_used_at=recently)
    _post(token)
    api_token.refresh_from_db()
    assert api_token.last_used_at == recently

    a_while_ago = timezone.now() - timedelta(minutes=2)
    APIToken.objects.filter(pk=api_token.pk).update(last_used_at=a_while_ago)
    _post(token)
    api_token.refresh_from_db()
    assert api_token.last_used_at > a_while_ago


# --- manage.py create_api_token --expires-in-days --------------------------------------


def test_the_command_creates_a_token_that_expires_after_the_days_given(expert):
    out, err = StringIO(), StringIO()
    call_command(
        "create_api_token", expert.email, "--expires-in-days", "30", stdout=out, stderr=err
    )
    api_token = APIToken.objects.get(user=expert)
    expiry = api_tokens.expires_at(api_token)
    assert abs(expiry - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    assert f"It expires at {api_tokens.format_expiry(expiry)}." in err.getvalue()
    assert _post(out.getvalue().strip()).status_code == 200


def test_without_the_option_the_command_says_the_token_does_not_expire(expert):
    err = StringIO()
    call_command("create_api_token", expert.email, stdout=StringIO(), stderr=err)
    assert "It does not expire." in err.getvalue()
    assert api_tokens.expires_at(APIToken.objects.get(user=expert)) is None


def test_the_command_refuses_a_validity_of_no_days(expert):
    with pytest.raises(CommandError, match="--expires-in-days must be at least 1"):
        call_command("create_api_token", expert.email, "--expires-in-days", "0", stdout=StringIO())
    assert not APIToken.objects.exists()


# --- the admin: Settings → API tokens ----------------------------------------------------


@pytest.fixture
def administrator_browser(role_user, site_tree):
    browser = Client()
    browser.force_login(role_user("administrator"))
    return browser


def test_the_token_listing_shows_the_last_use_and_the_expiry(administrator_browser, expert):
    used, _ = _token(expert, datetime(2031, 5, 17, 9, 30, tzinfo=UTC))
    APIToken.objects.filter(pk=used.pk).update(last_used_at=datetime(2030, 3, 2, 8, 15, tzinfo=UTC))
    page = administrator_browser.get("/admin/api-tokens/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Last used" in html and "Voimassa asti" in html
    row = next(row for row in page.context["object_list"] if row.pk == used.pk)
    assert row.expires_at == datetime(2031, 5, 17, 9, 30, tzinfo=UTC)
    assert row.last_used_at == datetime(2030, 3, 2, 8, 15, tzinfo=UTC)


def test_an_administrator_may_give_a_new_token_an_expiry(administrator_browser, expert):
    response = administrator_browser.post(
        "/admin/api-tokens/new/",
        {"name": "kampanjasivu", "user": expert.pk, "expires_at": "2099-01-01 12:00"},
    )
    assert response.status_code == 200
    api_token = APIToken.objects.get(user=expert)
    expected = timezone.make_aware(datetime(2099, 1, 1, 12, 0))
    assert api_tokens.expires_at(api_token) == expected
    assert _post(response.context["token"]).status_code == 200


def test_an_expiry_in_the_past_is_a_form_error(administrator_browser, expert):
    response = administrator_browser.post(
        "/admin/api-tokens/new/",
        {"name": "vanha", "user": expert.pk, "expires_at": "2001-01-01 12:00"},
    )
    assert response.context["form"].errors["expires_at"] == ["Valitse tuleva ajankohta."]
    assert not APIToken.objects.exists()

"""A client signs in with strong identification (guidance.client_login).

The real mozilla-django-oidc views run, driven by Django's test client,
against a stand-in OpenID provider on 127.0.0.1 (tests/openid_provider_standin.py)
that signs its ID tokens with a key made for the test.
"""

import io
import json

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model
from django.test import Client
from openid_provider_standin import (
    PERSONAL_IDENTITY_CODE,
    USERINFO_NAME,
    OpenIDProviderStandIn,
    sign_in,
)
from stored_values import places_holding
from wagtail.models import PageViewRestriction

from cms import roles
from guidance.client_login import CLIENTS, client_username

FAILED = "/?client_login=failed"


@pytest.fixture
def provider(settings):
    standin = OpenIDProviderStandIn()
    for name, value in standin.settings().items():
        setattr(settings, name, value)
    yield standin
    standin.close()


@pytest.fixture
def browser():
    """A browser as a frontend's page is: CSRF checks enforced."""
    return Client(enforce_csrf_checks=True)


def graphql(browser, query, **variables):
    """POST a query as a frontend on the site does: session cookie and CSRF token."""
    if "csrftoken" not in browser.cookies:
        browser.get("/graphql/", HTTP_ACCEPT="text/html")  # GraphiQL sets the cookie
    response = browser.post(
        "/graphql/",
        data=json.dumps({"query": query, "variables": variables}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value,
    )
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def the_client_account(provider):
    User = get_user_model()
    return User.objects.get(username=client_username(provider.subject, provider.issuer))


# --- Signing in ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_client_signs_in_and_is_kept_as_nothing_but_a_hashed_subject(browser, provider):
    provider.subject = "pairwise-3f9e-ainutlaatuinen"

    response = sign_in(browser, provider, next_url="/palvelut/")

    assert (response.status_code, response["Location"]) == (302, "/palvelut/")
    account = the_client_account(provider)
    assert not account.is_staff and not account.is_superuser
    assert not account.has_usable_password()
    assert (account.email, account.first_name, account.last_name) == ("", "", "")
    assert [group.name for group in account.groups.all()] == [CLIENTS]
    # Only the ID token was needed: the provider was never asked who the person is.
    assert "/userinfo" not in provider.paths()
    assert ("POST", "/token") in provider.requests and ("GET", "/jwks") in provider.requests
    # Neither the personal identity code, the name nor the provider's identifier as such.
    for value in (PERSONAL_IDENTITY_CODE, *USERINFO_NAME, provider.subject):
        assert places_holding(value) == [], value


@pytest.mark.django_db
def test_the_same_person_signing_in_again_is_the_same_client(browser, provider):
    sign_in(browser, provider)
    first = the_client_account(provider)

    sign_in(Client(), provider)

    assert the_client_account(provider).pk == first.pk
    assert get_user_model().objects.filter(groups__name=CLIENTS).count() == 1


@pytest.mark.django_db
def test_the_client_session_works_on_graphql_with_the_csrf_token(browser, provider):
    sign_in(browser, provider)

    answer = graphql(browser, "{ myBackgroundData { age } }")

    # Signed in as a client: the field gets as far as Työmarkkinatori (not configured here).
    assert answer["errors"][0]["extensions"]["code"] == "BACKGROUND_DATA_OFF"
    without_token = browser.post(
        "/graphql/", data=json.dumps({"query": "{ me { email } }"}), content_type="application/json"
    )
    assert without_token.status_code == 403  # the session cookie alone is not enough


@pytest.mark.django_db
def test_the_sign_in_asks_for_openid_only_with_pkce_and_the_clients_language(browser, provider):
    start = browser.get("/client/oidc/authenticate/", HTTP_ACCEPT_LANGUAGE="sv")

    location = start["Location"]
    assert "scope=openid&" in location
    assert "code_challenge_method=S256" in location
    assert "ui_locales=sv" in location


# --- What a signed-in client may do -------------------------------------------------

INTERNAL_QUERIES = {
    "instructions": '{ service(key: "work-trial") { title instructions { key } } }',
    "site search": '{ siteSearch(query: "työkokeilu") { totalCount items { kind key } } }',
    "login-restricted": "{ services(limit: 50) { totalCount items { key } } }",
    "ended services": "{ services(validity: [EXPIRED]) { totalCount } }",
    "me": "{ me { email roles { kind } } }",
}


@pytest.mark.django_db
def test_a_signed_in_client_sees_exactly_what_an_anonymous_caller_sees(
    browser, provider, small_catalogue, role_user
):
    from catalogue.models import ServicePage

    restricted = ServicePage.objects.get(key="career-coaching", locale__language_code="fi")
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    sign_in(browser, provider)
    expert = Client()
    expert.force_login(role_user("expert"))

    for name, query in INTERNAL_QUERIES.items():
        as_client = graphql(browser, query)
        as_anonymous = graphql(Client(), query)
        as_expert = graphql(expert, query)

        assert as_client == as_anonymous, name
        assert as_expert != as_anonymous, f"{name}: shows nothing internal to anyone"


@pytest.mark.django_db
def test_a_signed_in_client_gets_no_admin_access(browser, provider):
    sign_in(browser, provider)

    response = browser.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


# --- Staff accounts stay out of reach -----------------------------------------------


@pytest.mark.django_db
def test_a_staff_account_cannot_be_taken_over_through_the_client_sign_in(
    browser, provider, role_user
):
    # A staff account renamed, by mistake or on purpose, to the name a subject would get.
    staff = role_user("administrator")
    staff.username = client_username(provider.subject, provider.issuer)
    staff.set_password("Oikea-salasana-1")
    staff.save()

    response = sign_in(browser, provider)

    assert (response.status_code, response["Location"]) == (302, FAILED)
    staff.refresh_from_db()
    assert staff.is_superuser and staff.check_password("Oikea-salasana-1")
    assert CLIENTS not in {group.name for group in staff.groups.all()}
    assert graphql(browser, "{ me { email } }")["data"]["me"] is None
    assert graphql(browser, "{ myBackgroundData { age } }")["errors"][0]["extensions"] == {
        "code": "CLIENT_NOT_SIGNED_IN"
    }


@pytest.mark.django_db
def test_an_e_mail_address_from_the_provider_never_leads_to_a_staff_account(
    browser, provider, role_user
):
    expert = role_user("expert", email="asiantuntija@example.org")
    provider.id_token_changes = {"email": "asiantuntija@example.org", "email_verified": True}

    sign_in(browser, provider)

    assert the_client_account(provider).pk != expert.pk
    assert graphql(browser, "{ me { email } }")["data"]["me"] is None
    expert.refresh_from_db()
    assert CLIENTS not in {group.name for group in expert.groups.all()}


@pytest.mark.django_db
def test_a_client_account_given_a_role_can_no_longer_sign_in_as_a_client(browser, provider):
    from django.contrib.auth.models import Group

    sign_in(Client(), provider)
    account = the_client_account(provider)
    account.groups.add(Group.objects.get(name=roles.EXPERTS))

    response = sign_in(browser, provider)

    assert response["Location"] == FAILED
    assert graphql(browser, "{ myBackgroundData { age } }")["errors"][0]["extensions"] == {
        "code": "CLIENT_NOT_SIGNED_IN"
    }


@pytest.mark.django_db
def test_a_staff_member_signed_in_in_the_same_browser_is_signed_out_first(
    browser, provider, role_user
):
    browser.force_login(role_user("expert"))
    assert graphql(browser, "{ me { roles { kind } } }")["data"]["me"] is not None

    sign_in(browser, provider)

    assert graphql(browser, "{ me { roles { kind } } }")["data"]["me"] is None
    assert browser.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_a_password_sign_in_never_reaches_the_client_backend(provider):
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    sign_in(Client(), provider)
    name = the_client_account(provider).username
    request = RequestFactory().post("/admin/login/?code=x&state=y")

    assert authenticate(request, username=name, password="") is None
    assert provider.paths().count("/token") == 1  # the one real sign-in's


# --- Refused sign-ins ---------------------------------------------------------------


def _forge(provider):
    provider.forging_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(_forge, id="signed with a key the provider's JWKS does not hold"),
        pytest.param(
            lambda p: p.id_token_changes.update(aud="toinen-palvelu"), id="issued to another client"
        ),
        pytest.param(
            lambda p: p.id_token_changes.update(iss="https://idp.example"), id="another issuer"
        ),
        pytest.param(lambda p: p.id_token_changes.update(exp=1_000_000), id="expired"),
        pytest.param(lambda p: p.id_token_changes.update(nonce="vanha"), id="a replayed nonce"),
        pytest.param(lambda p: setattr(p, "token_status", 500), id="the provider fails"),
        pytest.param(lambda p: setattr(p, "jwks_answer", {}), id="a key set without keys"),
        pytest.param(lambda p: setattr(p, "jwks_answer", []), id="a key set that is a list"),
    ],
)
def test_an_untrustworthy_answer_from_the_provider_is_a_failed_sign_in(
    browser, provider, tamper, caplog
):
    tamper(provider)

    response = sign_in(browser, provider)

    assert (response.status_code, response["Location"]) == (302, FAILED)
    assert not get_user_model().objects.filter(groups__name=CLIENTS).exists()
    assert "client sign-in refused" in caplog.text.lower() or "failed to get" in caplog.text


@pytest.mark.django_db
def test_a_callback_that_belongs_to_no_sign_in_of_this_browser_is_refused(browser, provider):
    # No sign-in started here: back to the frontend.
    unasked = browser.get("/client/oidc/callback/", {"code": "x", "state": "arvattu"})
    # One started, but the state is not its own (a forged or crossed callback): 400.
    browser.get("/client/oidc/authenticate/")
    crossed = browser.get("/client/oidc/callback/", {"code": "x", "state": "arvattu"})

    assert (unasked.status_code, unasked["Location"]) == (302, FAILED)
    assert crossed.status_code == 400
    assert provider.paths().count("/token") == 0


@pytest.mark.django_db
def test_a_person_cancelling_at_the_provider_returns_to_the_frontend(browser, provider):
    response = browser.get("/client/oidc/callback/", {"error": "access_denied", "state": "s"})

    assert (response.status_code, response["Location"]) == (302, FAILED)


# --- Signing out, and the feature switched off --------------------------------------


@pytest.mark.django_db
def test_signing_out_ends_the_client_session(browser, provider):
    sign_in(browser, provider)
    token = browser.cookies["csrftoken"].value

    response = browser.post("/client/oidc/logout/", HTTP_X_CSRFTOKEN=token)

    assert (response.status_code, response["Location"]) == (302, "/")
    assert graphql(browser, "{ myBackgroundData { age } }")["errors"][0]["extensions"] == {
        "code": "CLIENT_NOT_SIGNED_IN"
    }


@pytest.mark.django_db
def test_without_oidc_settings_the_client_sign_in_is_not_there(browser, settings):
    settings.OIDC_RP_CLIENT_ID = ""

    for path in ("/client/oidc/authenticate/", "/client/oidc/callback/?code=x&state=y"):
        assert browser.get(path).status_code == 404, path
    assert browser.post("/client/oidc/logout/").status_code in (403, 404)


# --- Retention ----------------------------------------------------------------------


@pytest.mark.django_db
def test_client_accounts_idle_for_a_year_are_pruned_and_staff_accounts_never(provider, role_user):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    sign_in(Client(), provider)
    idle = the_client_account(provider)
    idle.last_login = timezone.now() - timedelta(days=400)
    idle.save()
    provider.subject = "pairwise-subject-0002"
    sign_in(Client(), provider)
    recent = the_client_account(provider)
    staff = role_user("administrator")
    staff.username = client_username("pairwise-subject-0003", provider.issuer)
    staff.last_login = timezone.now() - timedelta(days=800)
    staff.save()

    call_command("prune_client_accounts", "--dry-run", stdout=io.StringIO())
    assert get_user_model().objects.filter(pk=idle.pk).exists()
    output = io.StringIO()
    call_command("prune_client_accounts", stdout=output)

    remaining = set(get_user_model().objects.values_list("pk", flat=True))
    assert idle.pk not in remaining
    assert {recent.pk, staff.pk} <= remaining
    assert output.getvalue() == "deleted 1 client accounts not signed in for 365 days\n"


@pytest.mark.django_db
def test_refused_sign_ins_are_audited_but_never_lock_an_address_out(settings, provider):
    from people.models import AuditEvent

    provider.token_status = 500
    for _ in range(settings.LOGIN_FAILURE_LIMIT + 1):
        assert sign_in(Client(), provider)["Location"] == FAILED
    provider.token_status = None

    response = sign_in(Client(), provider)

    assert (response.status_code, response["Location"]) == (302, "/palvelut/")
    failures = AuditEvent.objects.filter(action="sign_in_failed", target_username="")
    assert failures.count() == settings.LOGIN_FAILURE_LIMIT + 1


# --- Settings -----------------------------------------------------------------------

OIDC_ENVIRONMENT = [
    "OIDC_RP_CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET",
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT",
    "TYOMARKKINATORI_PROFILE_API_URL",
]


def _settings_under(monkeypatch, **env):
    import runpy
    from pathlib import Path

    for name in OIDC_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", "x")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(Path(__file__).resolve().parents[2] / "cms" / "settings.py"))


def test_client_sign_in_and_background_data_are_off_by_default(monkeypatch):
    loaded = _settings_under(monkeypatch)

    assert (loaded["OIDC_RP_CLIENT_ID"], loaded["TYOMARKKINATORI_PROFILE_API_URL"]) == ("", "")


def test_a_client_id_without_the_rest_stops_start_up_naming_what_is_missing(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="OIDC_RP_CLIENT_SECRET"):
        _settings_under(monkeypatch, OIDC_RP_CLIENT_ID="palvelumanuaali")
    with pytest.raises(ImproperlyConfigured, match="OIDC_OP_JWKS_ENDPOINT"):
        _settings_under(
            monkeypatch,
            OIDC_RP_CLIENT_ID="palvelumanuaali",
            OIDC_RP_CLIENT_SECRET="s",
            OIDC_OP_AUTHORIZATION_ENDPOINT="https://idp.example/authorize",
            OIDC_OP_TOKEN_ENDPOINT="https://idp.example/token",
        )

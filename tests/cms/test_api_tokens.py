"""Server-side frontends authenticate with Wagtail's API tokens; ``me`` says who is asking.

A request with ``Authorization: Bearer <token>`` runs as the token's user
(cms.api); any token that cannot be used is refused with 401 and the reason.
"""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from wagtail.models import APIToken

ME = "{ me { email name roles { kind organisation area } } }"
ME_DOCUMENT = Path(__file__).resolve().parents[2] / "graphql" / "queries" / "me.graphql"


def _post(query, *, token=None, authorization=None, client=None):
    headers = {}
    if token is not None:
        authorization = f"Bearer {token}"
    if authorization is not None:
        headers["Authorization"] = authorization
    return (client or Client()).post(
        "/graphql/",
        data=json.dumps({"query": query}),
        content_type="application/json",
        headers=headers,
    )


def _token_for(user, name="expert frontend"):
    return APIToken.create_token(user=user, name=name)


@pytest.fixture
def internal_guide(site_tree):
    from guides.models import GuidePage

    return site_tree.internal_guides.add_child(
        instance=GuidePage(title="Sisäinen opas", key="internal-guide", slug="sisainen-opas")
    )


@pytest.fixture
def expert(role_user):
    return role_user("expert", first_name="Eeva", last_name="Asiantuntija")


def _guide_query(guide):
    return f'{{ page(id: "{guide.pk}") {{ title }} }}'


def test_an_experts_token_sees_an_internal_guide_that_anonymous_callers_do_not(
    internal_guide, expert
):
    _, token = _token_for(expert)
    query = _guide_query(internal_guide)

    response = _post(query, token=token)
    assert response.status_code == 200
    assert response.json() == {"data": {"page": {"title": "Sisäinen opas"}}}

    assert _post(query).json() == {"data": {"page": None}}


def test_using_a_token_records_when_it_was_last_used(site_tree, expert):
    api_token, token = _token_for(expert)
    assert api_token.last_used_at is None
    assert _post("{ __typename }", token=token).status_code == 200
    api_token.refresh_from_db()
    assert api_token.last_used_at is not None


def _refusal(response):
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert set(body) == {"errors"}
    return body["errors"][0]["message"]


def test_a_revoked_token_is_refused(internal_guide, expert):
    api_token, token = _token_for(expert)
    api_token.revoke()
    assert _refusal(_post(_guide_query(internal_guide), token=token)) == (
        "This API token has been revoked."
    )


def test_an_unknown_token_is_refused(site_tree):
    well_formed_but_never_issued = APIToken.generate_token()
    message = _refusal(_post("{ __typename }", token=well_formed_but_never_issued))
    assert message == "Unknown API token."


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer",
        "Bearer not-a-token",
        "Bearer wagtail_tooShort",
        # A real token with its last (checksum) character changed.
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
    ],
)
def test_a_malformed_token_is_refused(site_tree, expert, authorization):
    if callable(authorization):
        _, token = _token_for(expert)
        authorization = f"Bearer {authorization(token)}"
    message = _refusal(_post("{ __typename }", authorization=authorization))
    assert message.startswith("Malformed API token")


def test_another_authorization_scheme_is_refused_rather_than_ignored(site_tree):
    message = _refusal(_post("{ __typename }", authorization="Basic dXNlcjpwdw=="))
    assert message.startswith('Unsupported authorization scheme "Basic"')
    assert "dXNlcjpwdw" not in message


def test_the_token_of_an_inactive_user_is_refused(internal_guide, expert):
    _, token = _token_for(expert)
    expert.is_active = False
    expert.save()
    message = _refusal(_post(_guide_query(internal_guide), token=token))
    assert message == "The API token's user account is inactive."


def test_a_token_request_needs_no_csrf_token_even_with_a_session_cookie(site_tree, expert):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(expert)
    assert _post("{ __typename }", client=browser).status_code == 403

    _, token = _token_for(expert)
    response = _post(ME, token=token, client=browser)
    assert response.status_code == 200
    assert response.json()["data"]["me"]["email"] == expert.email


def test_the_token_not_the_session_decides_who_is_asking(site_tree, expert, role_user):
    translator = role_user("translator")
    browser = Client()
    browser.force_login(expert)
    _, token = _token_for(translator)
    roles = _post(ME, token=token, client=browser).json()["data"]["me"]["roles"]
    assert [role["kind"] for role in roles] == ["TRANSLATOR"]


# --- manage.py create_api_token ---------------------------------------------------


def test_the_command_prints_a_token_that_works(internal_guide, expert):
    out, err = StringIO(), StringIO()
    call_command(
        "create_api_token",
        expert.email.upper(),
        "--name",
        "asiantuntijanäkymä",
        stdout=out,
        stderr=err,
    )
    token = out.getvalue().strip()
    assert APIToken.validate_token_format(token)
    api_token = APIToken.objects.get(user=expert)
    assert api_token.name == "asiantuntijanäkymä"
    assert token not in err.getvalue()
    assert f"--prefix {api_token.prefix}" in err.getvalue()

    response = _post(_guide_query(internal_guide), token=token)
    assert response.json() == {"data": {"page": {"title": "Sisäinen opas"}}}


def test_the_command_refuses_an_unknown_email(db):
    with pytest.raises(CommandError, match="no user with e-mail 'nobody@example.org'"):
        call_command("create_api_token", "nobody@example.org", stdout=StringIO())
    assert not APIToken.objects.exists()


def test_wagtails_command_revokes_a_token_by_prefix(site_tree, expert):
    api_token, token = _token_for(expert)
    call_command(
        "api_tokens",
        "revoke",
        "--user",
        expert.username,
        "--prefix",
        api_token.prefix,
        stdout=StringIO(),
    )
    assert _refusal(_post("{ __typename }", token=token)) == "This API token has been revoked."


def test_administrators_create_tokens_for_frontends_in_the_admin(internal_guide, role_user, expert):
    administrator = role_user("administrator")
    browser = Client()
    browser.force_login(administrator)
    assert '"url": "/admin/api-tokens/"' in browser.get("/admin/").content.decode()
    assert browser.get("/admin/api-tokens/").status_code == 200

    response = browser.post(
        "/admin/api-tokens/new/", {"name": "asiantuntijanäkymä", "user": expert.pk}
    )
    assert response.status_code == 200
    token = response.context["token"]
    assert APIToken.objects.get(user=expert).name == "asiantuntijanäkymä"
    answer = _post(_guide_query(internal_guide), token=token).json()
    assert answer == {"data": {"page": {"title": "Sisäinen opas"}}}


# --- me ----------------------------------------------------------------------------


def _me(user=None):
    if user is None:
        response = _post(ME)
    else:
        _, token = _token_for(user)
        response = _post(ME, token=token)
    body = response.json()
    assert "errors" not in body, body
    return body["data"]["me"]


def test_every_role_of_the_service_manual_has_a_kind():
    from cms.roles import ROLES
    from people.me import RoleKind

    assert [kind.value for kind in RoleKind] == list(ROLES)


def test_me_is_null_for_anonymous_callers(db):
    assert _me() is None


def test_me_names_an_expert_and_their_role(site_tree, expert):
    assert _me(expert) == {
        "email": expert.email,
        "name": "Eeva Asiantuntija",
        "roles": [{"kind": "EXPERT", "organisation": None, "area": None}],
    }


def test_me_gives_a_provider_editor_their_organisations_key(site_tree, role_user):
    from people.organisations import create_organisation

    create_organisation("kela", "Kela", kind="kela")
    editor = role_user("provider-editor", organisation_key="kela")
    assert _me(editor)["roles"] == [
        {"kind": "PROVIDER_EDITOR", "organisation": "kela", "area": None}
    ]
    assert _me(editor)["name"] is None


def test_me_gives_a_producer_their_employment_area(site_tree, role_user):
    producer = role_user("producer", area_code="091")
    assert _me(producer)["roles"] == [{"kind": "PRODUCER", "organisation": None, "area": "091"}]


def test_me_lists_every_role_of_a_person_with_several(site_tree, role_user):
    from people.organisations import create_organisation

    create_organisation("kela", "Kela", kind="kela")
    person = role_user("administrator", email="many@example.org")
    role_user("provider-admin", email="many@example.org", organisation_key="kela")
    role_user("expert", email="many@example.org")
    assert [(role["kind"], role["organisation"]) for role in _me(person)["roles"]] == [
        ("ADMINISTRATOR", None),
        ("EXPERT", None),
        ("PROVIDER_ADMIN", "kela"),
    ]


def test_me_answers_for_a_session_too(site_tree, expert):
    browser = Client()
    browser.force_login(expert)
    response = _post(ME, client=browser)
    assert response.json()["data"]["me"]["roles"] == [
        {"kind": "EXPERT", "organisation": None, "area": None}
    ]


def test_the_contract_query_for_me_runs(site_tree, expert):
    _, token = _token_for(expert)
    response = _post(ME_DOCUMENT.read_text(), token=token)
    assert response.json() == {
        "data": {
            "me": {
                "email": expert.email,
                "name": "Eeva Asiantuntija",
                "roles": [{"kind": "EXPERT", "organisation": None, "area": None}],
            }
        }
    }

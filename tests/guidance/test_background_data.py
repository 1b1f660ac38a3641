"""A client's background data from Työmarkkinatori (guidance.background, ``myBackgroundData``).

The adapter is a real HTTP client; it talks to a stand-in Työmarkkinatori on
127.0.0.1 (tests/tyomarkkinatori_standin.py), and the client signs in through
the stand-in OpenID provider, as in test_client_login.
"""

import json
import logging

import pytest
from django.test import Client
from django.utils import timezone
from openid_provider_standin import OpenIDProviderStandIn, sign_in
from stored_values import places_holding
from tyomarkkinatori_standin import Client as Jobseeker
from tyomarkkinatori_standin import TyomarkkinatoriStandIn

from guidance import background
from guidance.background import BackgroundProfile

# Distinctive values: found anywhere after a request, they were stored.
COMPETENCE = "vedenalainen-hitsaus-Q7Z"
OTHER_COMPETENCE = "kaivosturvallisuus-K3W"
NATIONAL_CLASS = "http://uri.suomi.fi/codelist/ptv/ptvserclass2/code/P10.1"
PROFILE = {
    "age": 34,
    "homeMunicipality": "091",
    "languageSkills": [
        {"language": "fi", "level": "native"},
        {"language": "EN", "level": "B2"},
        {"language": "de", "level": "C1"},  # no service is given in German: left out
    ],
    "educationLevel": "3",
    "competences": [COMPETENCE, OTHER_COMPETENCE],
    "serviceNeeds": ["low-threshold-guidance", "tuntematon-tarve"],
    # Not part of the profile: never read, never returned.
    "personalIdentityCode": "010190-999X",
}
QUERY = """
query MyBackgroundData($share: [BackgroundField!]) {
  myBackgroundData(share: $share) {
    age municipality languages { code level } educationLevel competences serviceNeeds audience
  }
}
"""


@pytest.fixture
def tyomarkkinatori(settings):
    standin = TyomarkkinatoriStandIn()
    settings.TYOMARKKINATORI_PROFILE_API_URL = standin.url
    settings.TYOMARKKINATORI_PROFILE_TIMEOUT_SECONDS = 2
    yield standin
    standin.close()


@pytest.fixture
def provider(settings):
    standin = OpenIDProviderStandIn()
    for name, value in standin.settings().items():
        setattr(settings, name, value)
    yield standin
    standin.close()


@pytest.fixture
def client_browser(provider, tyomarkkinatori):
    """A browser in which a client has signed in; Työmarkkinatori knows their token."""
    browser = Client(enforce_csrf_checks=True)
    sign_in(browser, provider)
    token = browser.session["guidance_client"]["access_token"]
    tyomarkkinatori.clients[token] = Jobseeker(dict(PROFILE))
    browser.jobseeker = tyomarkkinatori.clients[token]
    return browser


def ask(browser, query=QUERY, **variables):
    if "csrftoken" not in browser.cookies:
        browser.get("/graphql/", HTTP_ACCEPT="text/html")
    response = browser.post(
        "/graphql/",
        data=json.dumps({"query": query, "variables": variables}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value,
    )
    assert response.status_code == 200, response.content
    return response.json()


def error_code(answer):
    (error,) = answer["errors"]
    assert "Internal error" not in error["message"]
    return error["extensions"]["code"]


# --- The adapter --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_good_answer_is_mapped_into_the_client_profile(tyomarkkinatori):
    tyomarkkinatori.clients["token-1"] = Jobseeker(dict(PROFILE))

    profile = background.fetch_profile("token-1")

    assert profile == BackgroundProfile(
        age=34,
        municipality="091",
        languages=(("fi", "NATIVE"), ("en", "FLUENT")),
        education_level="UPPER_SECONDARY",
        competences=(COMPETENCE, OTHER_COMPETENCE),
        service_needs=("low-threshold-guidance",),
    )
    # What a ClientProfile input arrives as, ready for recommendations.
    assert profile.as_profile() == {
        "age": 34,
        "municipality": "091",
        "languages": [{"code": "fi", "level": "NATIVE"}, {"code": "en", "level": "FLUENT"}],
        "education_level": "UPPER_SECONDARY",
        "competences": [COMPETENCE, OTHER_COMPETENCE],
        "service_needs": ["low-threshold-guidance"],
        "audience": "person",
    }
    (request,) = tyomarkkinatori.requests
    assert request.authorization == "Bearer token-1"
    assert request.fields == [
        "age",
        "homeMunicipality",
        "languageSkills",
        "educationLevel",
        "competences",
        "serviceNeeds",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ({"birthYear": 1990}, {"age": timezone.localdate().year - 1990}),
        ({"homeMunicipality": "837"}, {}),  # Tampere: the catalogue has no term for it
        (
            {"languageSkills": [{"language": "fi", "level": "A2"}, {"language": "fi"}]},
            {"languages": [{"code": "fi", "level": "BASIC"}]},
        ),
        (
            {"languageSkills": [{"language": "sv", "level": "hyvä"}]},
            {"languages": [{"code": "sv", "level": None}]},
        ),
        ({"educationLevel": 6}, {"education_level": "HIGHER"}),
        ({"educationLevel": "2"}, {"education_level": "BASIC"}),
        ({"educationLevel": "9"}, {}),  # unknown
        (
            {"serviceNeeds": [NATIONAL_CLASS, "job-search-support"]},
            {"service_needs": ["job-search-start", "job-search-support", "networking"]},
        ),
        ({"competences": ["x" * 101, *(f"taito-{n}" for n in range(30))]}, None),
    ],
    ids=[
        "birth year",
        "municipality outside the catalogue",
        "a language twice",
        "an unknown level",
        "education as a number",
        "basic education",
        "education unknown",
        "a national class of service",
        "too many competences",
    ],
)
def test_each_part_takes_the_client_profiles_vocabulary(tyomarkkinatori, answer, expected):
    tyomarkkinatori.clients["token-1"] = Jobseeker(answer)

    profile = background.fetch_profile("token-1").as_profile()

    if expected is None:  # the input's limits: 20 competences of at most 100 characters
        assert profile["competences"] == [f"taito-{n}" for n in range(20)]
    else:
        assert profile == {**expected, "audience": "person"}


@pytest.mark.django_db
def test_a_part_the_consent_does_not_cover_is_simply_unknown(tyomarkkinatori):
    tyomarkkinatori.clients["token-1"] = Jobseeker(
        dict(PROFILE), consented={"homeMunicipality", "languageSkills"}
    )

    profile = background.fetch_profile("token-1")

    assert (profile.municipality, profile.languages) == (
        "091",
        (("fi", "NATIVE"), ("en", "FLUENT")),
    )
    assert (profile.age, profile.education_level, profile.competences) == (None, None, ())


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        ((200, b"<html>Huoltokatko</html>"), background.BadAnswer),
        ((200, b"[1, 2]"), background.BadAnswer),
        ((200, json.dumps({"age": "kolmekymmentä"}).encode()), background.BadAnswer),
        ((200, json.dumps({"homeMunicipality": 91}).encode()), background.BadAnswer),
        ((200, json.dumps({"competences": "kaikki"}).encode()), background.BadAnswer),
        ((200, json.dumps({"age": 125}).encode()), background.BadAnswer),
        ((200, json.dumps({"educationLevel": "yliopisto"}).encode()), background.BadAnswer),
        ((200, json.dumps({"error": "consent_refused"}).encode()), background.ConsentRefused),
        ((403, b""), background.ConsentRefused),
        ((401, b""), background.SignInExpired),
        ((404, b""), background.NoProfile),
        ((503, b""), background.Unavailable),
        ((302, b""), background.Unavailable),
    ],
    ids=lambda value: value.__name__ if isinstance(value, type) else str(value[0]),
)
@pytest.mark.django_db
def test_every_unusable_answer_is_a_clear_error(tyomarkkinatori, answer, error):
    tyomarkkinatori.raw = answer

    with pytest.raises(error) as raised:
        background.fetch_profile("token-1")

    assert str(raised.value.message)  # a message for the client


@pytest.mark.django_db
def test_a_silent_tyomarkkinatori_is_a_timeout(tyomarkkinatori):
    tyomarkkinatori.clients["token-1"] = Jobseeker(dict(PROFILE))
    tyomarkkinatori.delay = 1.5

    with pytest.raises(background.TimedOut):
        background.fetch_profile("token-1", timeout=0.3)


def test_an_unreachable_tyomarkkinatori_is_unavailable(settings):
    settings.TYOMARKKINATORI_PROFILE_API_URL = "http://127.0.0.1:9/profile"  # discard port

    with pytest.raises(background.Unavailable):
        background.fetch_profile("token-1", timeout=1)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "tyomarkkinatori.example/profile"])
def test_an_address_that_is_not_http_is_never_called(settings, url):
    settings.TYOMARKKINATORI_PROFILE_API_URL = url

    with pytest.raises(background.NotConfigured):
        background.fetch_profile("token-1")


def test_nothing_is_asked_when_the_client_shares_nothing(tyomarkkinatori):
    assert background.fetch_profile("token-1", fields=[]) == BackgroundProfile()
    assert tyomarkkinatori.requests == []


# --- myBackgroundData ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_signed_in_client_gets_their_background_data(client_browser, tyomarkkinatori):
    answer = ask(client_browser)

    # The ClientProfile input's fields and values: the frontend passes it on as it is.
    assert answer["data"]["myBackgroundData"] == {
        "age": 34,
        "municipality": "091",
        "languages": [{"code": "fi", "level": "NATIVE"}, {"code": "en", "level": "FLUENT"}],
        "educationLevel": "UPPER_SECONDARY",
        "competences": [COMPETENCE, OTHER_COMPETENCE],
        "serviceNeeds": ["low-threshold-guidance"],
        "audience": "PERSON",
    }
    assert "errors" not in answer


@pytest.mark.django_db
def test_each_request_fetches_afresh(client_browser, tyomarkkinatori):
    ask(client_browser)
    client_browser.jobseeker.profile["homeMunicipality"] = "049"

    assert ask(client_browser)["data"]["myBackgroundData"]["municipality"] == "049"
    assert len(tyomarkkinatori.requests) == 2


@pytest.mark.django_db
def test_only_what_the_client_chooses_to_share_is_asked_for(client_browser, tyomarkkinatori):
    answer = ask(client_browser, share=["LANGUAGES", "MUNICIPALITY"])

    assert tyomarkkinatori.requests[-1].fields == ["homeMunicipality", "languageSkills"]
    data = answer["data"]["myBackgroundData"]
    assert data["municipality"] == "091"
    assert [language["code"] for language in data["languages"]] == ["fi", "en"]
    assert (data["age"], data["educationLevel"], data["competences"]) == (None, None, [])


@pytest.mark.django_db
def test_a_refused_consent_is_a_clear_error(client_browser):
    client_browser.jobseeker.refused = True

    answer = ask(client_browser)

    assert answer["data"] == {"myBackgroundData": None}
    assert error_code(answer) == "CONSENT_REFUSED"
    assert "consent" in answer["errors"][0]["message"]


@pytest.mark.django_db
def test_the_error_is_in_the_clients_language(client_browser):
    client_browser.jobseeker.refused = True
    client_browser.get("/graphql/", HTTP_ACCEPT="text/html")

    response = client_browser.post(
        "/graphql/",
        data=json.dumps({"query": QUERY}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=client_browser.cookies["csrftoken"].value,
        HTTP_ACCEPT_LANGUAGE="fi",
    )

    assert "suostumus" in response.json()["errors"][0]["message"].lower()


@pytest.mark.django_db
def test_a_timeout_is_a_clear_error_and_the_rest_of_the_request_still_answers(
    client_browser, tyomarkkinatori, settings, small_catalogue
):
    settings.TYOMARKKINATORI_PROFILE_TIMEOUT_SECONDS = 0.3
    tyomarkkinatori.delay = 1.5

    services = '{ services(filter: {municipalities: ["049"]}) { totalCount items { key } } }'

    answer = ask(client_browser, "{ myBackgroundData { age } " + services[1:])

    assert error_code(answer) == "TIMEOUT"
    assert answer["data"]["myBackgroundData"] is None
    assert answer["data"]["services"] == ask(Client(), services)["data"]["services"]
    assert "work-trial" in {item["key"] for item in answer["data"]["services"]["items"]}


@pytest.mark.django_db
def test_a_bad_answer_is_a_clear_error(client_browser, tyomarkkinatori):
    tyomarkkinatori.raw = (200, b'{"age": "yli sata"}')

    assert error_code(ask(client_browser)) == "BAD_ANSWER"


@pytest.mark.django_db
def test_without_a_client_sign_in_there_is_no_background_data(tyomarkkinatori, provider, role_user):
    expert = Client()
    expert.force_login(role_user("expert"))

    assert error_code(ask(Client())) == "CLIENT_NOT_SIGNED_IN"
    assert error_code(ask(expert)) == "CLIENT_NOT_SIGNED_IN"
    assert tyomarkkinatori.requests == []


@pytest.mark.django_db
def test_without_the_profile_api_setting_background_data_is_off(client_browser, settings):
    settings.TYOMARKKINATORI_PROFILE_API_URL = ""

    assert error_code(ask(client_browser)) == "BACKGROUND_DATA_OFF"


# --- Personal data is kept nowhere --------------------------------------------------


@pytest.mark.django_db
def test_the_fetched_profile_is_never_stored_nor_logged(client_browser, tyomarkkinatori, caplog):
    caplog.set_level(logging.DEBUG)

    answer = ask(client_browser)
    tyomarkkinatori.raw = (200, json.dumps({"competences": [OTHER_COMPETENCE, 7]}).encode())
    failed = ask(client_browser)

    assert answer["data"]["myBackgroundData"]["competences"] == [COMPETENCE, OTHER_COMPETENCE]
    assert error_code(failed) == "BAD_ANSWER"
    for value in (COMPETENCE, OTHER_COMPETENCE, "010190-999X"):
        assert places_holding(value) == [], value
        assert value not in caplog.text, value
    token = client_browser.session["guidance_client"]["access_token"]
    assert token not in caplog.text
    assert "BAD_ANSWER (competences holds something other than texts)" in caplog.text


@pytest.mark.django_db
def test_a_clients_answer_is_never_shared_with_another_caller(client_browser, tyomarkkinatori):
    first = client_browser.get("/graphql/", {"query": QUERY})
    anyone = Client().get("/graphql/", {"query": QUERY})

    assert json.loads(first.content)["data"]["myBackgroundData"]["age"] == 34
    assert "no-store" in first["Cache-Control"]
    assert error_code(json.loads(anyone.content)) == "CLIENT_NOT_SIGNED_IN"


@pytest.mark.django_db
def test_the_registered_document_serves_a_client_where_only_registered_ones_run(
    client_browser, settings
):
    settings.GRAPHQL_ANONYMOUS_PERSISTED_ONLY = True  # production: a client is anonymous here

    response = client_browser.post(
        "/graphql/",
        data=json.dumps({"documentId": "background-data", "variables": {"share": ["AGE"]}}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=client_browser.cookies["csrftoken"].value,
    )

    assert response.json() == {"data": {"myBackgroundData": _only_age(34)}}


def _only_age(age):
    return {
        "age": age,
        "municipality": None,
        "languages": [],
        "educationLevel": None,
        "competences": [],
        "serviceNeeds": [],
        "audience": "PERSON",
    }

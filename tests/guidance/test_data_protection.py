"""A client's profile lives as long as the request: it is never written to the database,
the logs or any cache, and what the API refuses it says clearly, without repeating an
identity code.
"""

import json
import logging
import re
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.db import connection
from guidance_data import CATALOGUE, RECOMMENDATIONS, answers, keys

from cms import content_generation, response_cache
from exchange.importer import import_document
from guidance.demo import load_demo_questionnaires
from guidance.models import Questionnaire

pytestmark = pytest.mark.django_db

# Distinctive values no fixture or migration contains.
MARKER = "Zyqxwv-hitsaus"
LISTING = "{ services(limit: 20) { items { key } } }"
SHARE = """
mutation Share($profile: ClientProfile!) { shareClientProfile(profile: $profile) { token } }
"""


def rows_containing(text):
    """(table, row) of every row of every table in which ``text`` appears."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            found += [(table, row) for row in cursor.fetchall() if text in repr(row)]
    return found


def cached_values():
    """Everything the shared cache holds: {key: value as bytes}."""
    if isinstance(getattr(cache, "_cache", None), dict):  # local memory
        return {key: repr(value).encode() for key, value in cache._cache.items()}
    client = cache._cache.get_client()  # Valkey / Redis: the stored (pickled) bytes
    return {
        key.decode(): client.get(key) or b"" for key in client.scan_iter(f"{cache.key_prefix}:*")
    }


def cached_answers(field):
    """The cached GraphQL answers whose data holds the root field ``field`` (the shared
    cache also holds what tests running beside this one cached, introspection answers
    naming the field among them)."""
    answer = re.compile(rb'"%s":\s*[\[{n]' % field.encode())
    return [
        key
        for key, value in cached_values().items()
        if response_cache.KEY_PREFIX in key and answer.search(value)
    ]


def remembered_documents():
    """The query texts and variables the endpoint keeps between requests."""
    return repr(list(response_cache._documents._entries)) + repr(
        list(response_cache._validations._entries)
    )


@pytest.fixture
def committed_catalogue(site_tree, django_capture_on_commit_callbacks):
    """The guidance catalogue and the demo questionnaires, committed: the answer cache
    is in use (it is not while content changes wait for a commit)."""
    with django_capture_on_commit_callbacks(execute=True):
        import_document(CATALOGUE)
        load_demo_questionnaires()
    yield {q.key: q for q in Questionnaire.objects.filter(locale__language_code="fi")}
    content_generation.advance()  # what this test cached must not answer a later test


def test_a_clients_profile_is_written_nowhere_neither_by_recommendations_nor_by_a_share_link(
    committed_catalogue, graphql, client, role_user, caplog, settings
):
    # With DEBUG on, Django logs every SQL statement: none may carry the profile.
    settings.DEBUG = True
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    profile = {
        "age": 27,
        "municipality": "092",
        "languages": [{"code": "en"}, {"code": "ar", "level": "NATIVE"}],
        "competences": [MARKER],
        "educationLevel": "HIGHER",
        "answers": [answers(committed_catalogue["maahan-muuttanut"], tavoite=["opiskelu"])],
    }
    variables = json.dumps({"profile": profile})

    anonymous = graphql(RECOMMENDATIONS, {"profile": profile})
    get = client.get("/graphql/?" + urlencode({"query": RECOMMENDATIONS, "variables": variables}))
    client.force_login(role_user("expert"))
    token = graphql(SHARE, {"profile": profile})["data"]["shareClientProfile"]["token"]
    shared = graphql(RECOMMENDATIONS, {"shared": token})
    answers_kept = cached_answers("recommendations") + cached_answers("shareClientProfile")
    # A listing is cached, which shows that the scans below see what is kept.
    client.get("/graphql/?" + urlencode({"query": LISTING}))

    assert keys(anonymous["data"]["recommendations"]) == ["finnish-for-work"]
    assert keys(shared["data"]["recommendations"]) == ["finnish-for-work"]
    assert get["Cache-Control"].startswith("no-store")
    assert answers_kept == []
    assert cached_answers("services")
    assert rows_containing("Suomea työelämään")
    assert rows_containing(MARKER) == []
    assert rows_containing(token) == []
    logged = [record.getMessage() + repr(record.args) for record in caplog.records]
    assert any("SELECT" in message for message in logged)  # the statements were logged
    assert [message for message in logged if MARKER in message or token in message] == []
    assert [key for key, value in cached_values().items() if MARKER.encode() in value] == []
    assert "services(limit: 20)" in remembered_documents()
    assert MARKER not in remembered_documents()


def test_a_personal_identity_code_is_refused_without_being_repeated(
    guidance_catalogue, graphql, role_user, client, caplog
):
    code = "131052-308T"

    in_competences = graphql(RECOMMENDATIONS, {"profile": {"competences": ["hitsaus", code]}})
    client.force_login(role_user("expert"))
    in_a_share = graphql(SHARE, {"profile": {"serviceNeeds": [f"henkilötunnus {code}"]}})

    for body in (in_competences, in_a_share):
        message = body["errors"][0]["message"]
        assert "looks like a personal identity code" in message
        assert code not in json.dumps(body)
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert in_competences["errors"][0]["message"].startswith("profile.competences[1] ")
    assert [r for r in caplog.records if code in r.getMessage()] == []


@pytest.mark.parametrize(
    ("profile", "limit", "message"),
    [
        (
            {"answers": [{"questionnaire": "arpajaiset", "revision": "1", "answers": []}]},
            None,
            "Unknown questionnaire 'arpajaiset'.",
        ),
        ({"municipality": "999"}, None, "Unknown municipality code '999' in municipality."),
        ({"serviceNeeds": ["lottery"]}, None, "Unknown category 'lottery' in serviceNeeds."),
        ({"languages": [{"code": "xx"}]}, None, "Unknown language 'xx' in languages."),
        ({"age": -3}, None, "age must be between 0 and 120."),
        ({"age": 30}, 0, "limit must be between 1 and 100."),
        (
            {"competences": ["x" * 101]},
            None,
            "A competence may be at most 100 characters long.",
        ),
    ],
)
def test_a_callers_mistake_is_a_graphql_error_saying_what_was_wrong(
    guidance_catalogue, graphql, caplog, profile, limit, message
):
    variables = {"profile": profile, **({"limit": limit} if limit is not None else {})}

    body = graphql(RECOMMENDATIONS, variables)

    assert body["data"] is None
    assert body["errors"][0]["message"] == message
    assert body["errors"][0]["path"] == ["recommendations"]
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


@pytest.mark.parametrize(
    ("chosen", "message"),
    [
        (
            {"tavoite": ["lottovoitto"]},
            "Question 'tavoite' of questionnaire 'tyonhakija' has no option 'lottovoitto'.",
        ),
        ({"harrastus": ["golf"]}, "Questionnaire 'tyonhakija' has no question 'harrastus'."),
        (
            {"osallistuminen": ["etana", "paikan-paalla"]},
            "Question 'osallistuminen' takes one answer.",
        ),
    ],
)
def test_answers_that_do_not_fit_the_questionnaire_are_refused(
    guidance_catalogue, questionnaires, graphql, chosen, message
):
    profile = {"answers": [answers(questionnaires["tyonhakija"], **chosen)]}

    body = graphql(RECOMMENDATIONS, {"profile": profile})

    assert body["errors"][0]["message"] == message


def test_a_limit_above_the_maximum_is_refused_before_anything_runs(
    guidance_catalogue, graphql, settings
):
    settings.GUIDANCE_MAX_RECOMMENDATIONS = 20
    above_setting = graphql(RECOMMENDATIONS, {"profile": {"age": 30}, "limit": 30})
    above_page_size = graphql(RECOMMENDATIONS, {"profile": {"age": 30}, "limit": 500})

    assert above_setting["errors"][0]["message"] == "limit must be between 1 and 20."
    # Refused by the guard rails before execution: the page size, or the cost it implies.
    assert "data" not in above_page_size
    assert " exceeds the maximum " in above_page_size["errors"][0]["message"]


def test_a_request_gives_either_a_profile_or_a_shared_link(guidance_catalogue, graphql):
    neither = graphql(RECOMMENDATIONS, {})
    both = graphql(RECOMMENDATIONS, {"profile": {"age": 30}, "shared": "abc"})

    for body in (neither, both):
        assert body["errors"][0]["message"] == "Give either profile or shared."

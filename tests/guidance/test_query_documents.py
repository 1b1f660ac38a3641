"""The frontends' guidance documents (graphql/queries/questionnaires.graphql and
recommendations.graphql) run as registered documents, which is all an anonymous caller
may send in production (GRAPHQL_ANONYMOUS_PERSISTED_ONLY)."""

import json

import pytest

pytestmark = pytest.mark.django_db


def run(client, document, operation, variables):
    response = client.post(
        "/graphql/",
        data=json.dumps(
            {"documentId": document, "operationName": operation, "variables": variables}
        ),
        content_type="application/json",
    )
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


def test_a_frontend_fills_in_a_questionnaire_and_gets_recommendations_and_a_share_link(
    guidance_catalogue, questionnaires, client, role_user, settings
):
    settings.GRAPHQL_ANONYMOUS_PERSISTED_ONLY = True

    listed = run(client, "questionnaires", "Questionnaires", {"audience": "PERSON"})
    keys = [q["key"] for q in listed["questionnaires"]]
    questionnaire = run(client, "questionnaires", "Questionnaire", {"key": "tyonhakija"})[
        "questionnaire"
    ]
    profile = {
        "age": 22,
        "municipality": "091",
        "answers": [
            {
                "questionnaire": questionnaire["key"],
                "revision": questionnaire["revision"],
                "answers": [{"question": "tavoite", "options": ["tyopaikka"]}],
            }
        ],
    }
    recommended = run(client, "recommendations", "Recommendations", {"profile": profile})

    assert keys == ["maahan-muuttanut", "tyonhakija"]  # by title in Finnish
    assert [item["service"]["key"] for item in recommended["recommendations"]["items"]] == [
        "youth-workshop",
        "work-trial",
        "online-job-club",
    ]
    client.force_login(role_user("expert"))
    link = run(client, "recommendations", "ShareClientProfile", {"profile": profile})
    client.logout()
    shared = run(
        client,
        "recommendations",
        "Recommendations",
        {"shared": link["shareClientProfile"]["token"]},
    )
    assert shared == recommended

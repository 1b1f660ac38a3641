"""The GraphQL endpoint answers queries and serves GraphiQL to browsers."""

import json
from pathlib import Path

from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def test_graphiql_is_served_to_browsers(client, db):
    response = client.get("/graphql/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"graphiql" in response.content.lower()


def test_a_query_returns_published_services_but_not_drafts(graphql, catalogue_root):
    from catalogue.models import OrganisationPage, ServicePage

    organisation = catalogue_root.add_child(
        instance=OrganisationPage(title="Kela", key="kela", slug="kela", kind="kela")
    )
    organisation.add_child(
        instance=ServicePage(
            title="Työkokeilu",
            key="work-trial",
            slug="tyokokeilu",
            responsible_email="vastuu@example.org",
        )
    )
    organisation.add_child(
        instance=ServicePage(title="Luonnos", key="draft", slug="luonnos", live=False)
    )
    body = graphql('{ pages(contentType: "catalogue.ServicePage") { title } }')
    assert [page["title"] for page in body["data"]["pages"]] == ["Työkokeilu"]


def test_a_malformed_query_is_a_graphql_error_not_a_server_error(client, db):
    response = client.post(
        "/graphql/", data=json.dumps({"query": "{ pages( }"}), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith("Syntax Error")


def test_session_authenticated_posts_need_the_csrf_token(db, django_user_model):
    from django.test import Client

    user = django_user_model.objects.create_user("expert", password="pw")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    query = json.dumps({"query": "{ __typename }"})
    response = browser.post("/graphql/", data=query, content_type="application/json")
    assert response.status_code == 403

    server_side = Client(enforce_csrf_checks=True)
    response = server_side.post("/graphql/", data=query, content_type="application/json")
    assert response.status_code == 200


def test_schema_file_is_in_sync_with_the_code(tmp_path):
    out = tmp_path / "schema.graphql"
    call_command("graphql_schema", schema="cms.delivery_schema.schema", out=str(out), stdout=None)
    committed = (ROOT / "graphql" / "schema.graphql").read_text()
    assert out.read_text() == committed, (
        "graphql/schema.graphql is out of date: run `make schema` and commit the result"
    )

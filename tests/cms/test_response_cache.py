"""Whole GraphQL answers are cached, shared within a visibility class, retired by content events.

A test runs in a transaction that is never committed, while the cached
answers live in the shared cache: so the content is built, and every change
made, under ``django_capture_on_commit_callbacks(execute=True)``, which runs
the after-commit bump of the content generation as a real commit would.

To tell a cached answer from a fresh one, a title is changed in the database
with ``update()``, which sends no signal: a cached answer still shows the old
title, a fresh one the new.
"""

import json

import pytest
from catalogue_data import CATALOGUE
from conftest import reindex
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Locale,
    PageViewRestriction,
    Site,
)

from catalogue.models import Municipality, OrganisationPage, ServicePage
from cms import content_generation
from exchange.importer import import_document
from favourites.models import FavouriteList
from people.site_tree import ensure_site_tree
from search import backends
from search.models import Synonym

UNREACHABLE = "http://127.0.0.1:9"  # nothing listens on the discard port


def unreachable_elasticsearch():
    return override_settings(
        ELASTICSEARCH_URL=UNREACHABLE,
        ELASTICSEARCH_TIMEOUT=1,
        WAGTAILSEARCH_BACKENDS={
            "default": {
                "BACKEND": "wagtail.search.backends.elasticsearch8",
                "URLS": [UNREACHABLE],
                "INDEX_PREFIX": "unreachable_",
                "TIMEOUT": 1,
            }
        },
    )


pytestmark = pytest.mark.django_db

SERVICE = "query ($key: String) { service(key: $key) { title instructions { title } } }"
WORK_TRIAL = {"key": "work-trial"}


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():``: the block's after-commit callbacks run when it ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def catalogue(db, committed):
    """The small catalogue (tests/catalogue_data.py), imported and committed."""
    with committed():
        ensure_site_tree()
        import_document(CATALOGUE)
    reindex()
    yield
    # What this test cached must not answer a later test, whose content differs.
    content_generation.advance()


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def ask(client, query=SERVICE, variables=WORK_TRIAL):
    response = client.post(
        "/graphql/",
        data=json.dumps({"query": query, "variables": variables}),
        content_type="application/json",
    )
    return response.json()


def title(body):
    assert "errors" not in body, body["errors"]
    return body["data"]["service"]["title"]


def change_title_unseen(key="work-trial", new="Muutettu otsikko"):
    """Change a service's title in the database without any signal."""
    ServicePage.objects.filter(key=key, locale__language_code="fi").update(title=new)
    return new


def service(key, language="fi"):
    return ServicePage.objects.get(key=key, locale__language_code=language)


# --- Served from the cache ----------------------------------------------------------


def test_a_second_identical_anonymous_request_touches_no_database(
    catalogue, client, django_assert_num_queries
):
    first = ask(client)

    with django_assert_num_queries(0):
        second = ask(Client())

    assert second == first


def test_whitespace_and_comments_do_not_make_another_entry(catalogue, client):
    old = title(ask(client))
    change_title_unseen()

    reformatted = (
        "# the same document\nquery($key:String){service(key:$key){title\ninstructions{title}}}"
    )

    assert title(ask(client, reformatted)) == old


def test_other_variables_make_another_entry(catalogue, client):
    ask(client)
    new = change_title_unseen("career-coaching")

    assert title(ask(client, variables={"key": "career-coaching"})) == new


def test_the_language_of_the_messages_makes_another_entry(catalogue, client):
    ask(client)
    new = change_title_unseen()

    response = client.post(
        "/graphql/",
        data=json.dumps({"query": SERVICE, "variables": WORK_TRIAL}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="sv",
    )

    assert title(response.json()) == new


def test_a_draft_saved_leaves_the_cached_answer_in_place(catalogue, client, committed):
    old = title(ask(client))
    change_title_unseen()

    with committed():
        page = service("career-coaching")
        page.title = "Luonnos"
        page.save_revision()

    assert title(ask(client)) == old


def test_with_the_cache_turned_off_every_answer_is_fresh(catalogue, client, settings):
    settings.RESPONSE_CACHE_SECONDS = 0
    ask(client)
    new = change_title_unseen()

    assert title(ask(client)) == new


# --- Retired by content events ------------------------------------------------------


def _publish():
    page = service("career-coaching")
    page.title = "Uusi uravalmennus"
    page.save_revision().publish()


def _unpublish():
    service("career-coaching").unpublish()


def _move():
    target = OrganisationPage.objects.get(key="helsinki", locale__language_code="fi")
    service("career-coaching").move(target, pos="last-child")


def _delete():
    service("career-coaching").delete()


def _publish_translation():
    page = service("work-trial", "sv")
    page.title = "Arbetsprövning 2"
    page.save_revision().publish()


def _restrict_page():
    PageViewRestriction.objects.create(
        page=service("career-coaching"), restriction_type=PageViewRestriction.LOGIN
    )


def _restrict_collection():
    collection = Collection.get_first_root_node().add_child(name="Sisäiset liitteet")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )


def _upload_document():
    get_document_model().objects.create(title="Esite", file=ContentFile(b"Esite", name="esite.txt"))


def _upload_image():
    get_image_model().objects.create(title="Kuva", file=get_test_image_file())


def _rename_term():
    municipality = Municipality.objects.get(code="091", locale__language_code="fi")
    municipality.name = "Helsingin kaupunki"
    municipality.save()


def _add_synonyms():
    Synonym.objects.create(language="fi", terms="TE, TE-palvelut")


def _rename_site():
    site = Site.objects.get(is_default_site=True)
    site.site_name = "Palvelumanuaali (testi)"
    site.save()


def _save_locale():
    Locale.objects.get(language_code="sv").save()


@pytest.mark.parametrize(
    "event",
    [
        _publish,
        _unpublish,
        _move,
        _delete,
        _publish_translation,
        _restrict_page,
        _restrict_collection,
        _upload_document,
        _upload_image,
        _rename_term,
        _add_synonyms,
        _rename_site,
        _save_locale,
        content_generation.bump,
    ],
    ids=lambda event: event.__name__.strip("_"),
)
def test_a_content_event_makes_the_next_answer_fresh(catalogue, client, committed, event):
    ask(client)
    new = change_title_unseen()

    with committed():
        event()

    assert title(ask(client)) == new


def test_one_transaction_advances_the_generation_once(
    catalogue, django_capture_on_commit_callbacks
):
    before = content_generation.current()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for key in ("work-trial", "career-coaching", "youth-workshop"):
            page = service(key)
            page.title += " (päivitetty)"
            page.save_revision().publish()

    advances = [c for c in callbacks if isinstance(c, content_generation._AfterCommit)]
    assert len(advances) == 1
    assert content_generation.current() == before + 1


def test_a_change_not_yet_committed_neither_reads_nor_fills_the_cache(catalogue, client):
    cached = title(ask(client))
    page = service("work-trial")
    page.title = "Julkaistu, ei vielä vahvistettu"
    page.save_revision().publish()  # the bump waits for a commit that never comes

    assert title(ask(client)) == page.title
    assert content_generation.pending()
    assert cached != page.title


@pytest.mark.cache_server
def test_every_process_sees_the_same_generation_through_the_cache_server(
    catalogue, client, committed
):
    other_process = caches.create_connection("default")  # a connection of its own
    ask(client)
    before = other_process.get(content_generation.CACHE_KEY)
    assert before == content_generation.current()

    with committed():
        content_generation.bump()

    assert other_process.get(content_generation.CACHE_KEY) == before + 1


# --- Visibility classes -------------------------------------------------------------


def instructions(body):
    assert "errors" not in body, body["errors"]
    return [item["title"] for item in body["data"]["service"]["instructions"]]


def test_an_anonymous_answer_does_not_reach_an_expert_nor_an_experts_answer_anonymous_callers(
    catalogue, role_user
):
    anonymous, expert = _client(), _client(role_user("expert"))

    assert instructions(ask(anonymous)) == []
    assert instructions(ask(expert)) == ["Työkokeilu Helsingissä"]
    assert instructions(ask(anonymous)) == []


def test_an_experts_answer_first_does_not_reach_anonymous_callers(catalogue, role_user):
    expert, anonymous = _client(role_user("expert")), _client()

    assert instructions(ask(expert)) == ["Työkokeilu Helsingissä"]
    assert instructions(ask(anonymous)) == []


def test_two_experts_share_one_entry(catalogue, role_user):
    old = title(ask(_client(role_user("expert"))))
    change_title_unseen()

    assert title(ask(_client(role_user("expert")))) == old


def test_a_signed_in_user_in_no_group_does_not_share_the_anonymous_entry(catalogue):
    ask(_client())
    new = change_title_unseen()
    user = get_user_model().objects.create_user("nobody@example.org", "nobody@example.org")

    assert title(ask(_client(user))) == new


# --- Never cached -------------------------------------------------------------------


def test_me_is_never_cached(catalogue, role_user):
    user = role_user("expert")
    client = _client(user)
    first = ask(client, "{ me { email } }", {})["data"]["me"]["email"]
    get_user_model().objects.filter(pk=user.pk).update(email="renamed@example.org")

    assert first != "renamed@example.org"
    assert ask(client, "{ me { email } }", {})["data"]["me"]["email"] == "renamed@example.org"


def test_favourites_are_never_cached(catalogue, role_user):
    user = role_user("expert")
    client = _client(user)
    ask(client, 'mutation { createFavouriteList(name: "Omat") { id } }', {})
    lists = "{ favouriteLists { name } }"
    assert ask(client, lists, {})["data"]["favouriteLists"] == [{"name": "Omat"}]
    FavouriteList.objects.filter(owner=user).update(name="Muut")

    assert ask(client, lists, {})["data"]["favouriteLists"] == [{"name": "Muut"}]


def test_mutations_are_never_cached(catalogue, role_user):
    user = role_user("expert")
    client = _client(user)
    create = 'mutation { createFavouriteList(name: "Omat") { id } }'

    first, second = ask(client, create, {}), ask(client, create, {})

    assert first != second
    assert FavouriteList.objects.filter(owner=user).count() == 2


def test_previews_are_never_cached(catalogue, client):
    page = service("work-trial")
    page.title = "Esikatselu"
    token = page.create_page_preview().token
    preview = "query ($token: String) { page(token: $token) { title } }"
    assert ask(client, preview, {"token": token})["data"]["page"]["title"] == "Esikatselu"

    page.title = "Toinen esikatselu"
    page.update_page_preview(token)

    assert ask(client, preview, {"token": token})["data"]["page"]["title"] == "Toinen esikatselu"


def test_answers_with_errors_are_not_cached(catalogue, client):
    # Expired services are for signed-in callers: an error after the service is read.
    query = '{ service(key: "work-trial") { title } services(validity: [EXPIRED]) { totalCount } }'
    assert ask(client, query, {})["errors"]

    with CaptureQueriesContext(connection) as queries:
        assert ask(client, query, {})["errors"]

    assert len(queries) > 0  # run again, not read from the cache


def test_answers_of_a_degraded_search_are_not_cached(catalogue, client, monkeypatch):
    monkeypatch.setattr(backends.outage, "down", False)
    listing = '{ services(query: "työkokeilu") { items { key title } } }'
    with unreachable_elasticsearch():
        first = ask(client, listing, {})
        assert first["extensions"] == {"search": "DEGRADED"}
        new = change_title_unseen()

        second = ask(client, listing, {})

    assert new in {item["title"] for item in second["data"]["services"]["items"]}

"""Favourites (suosikit) through GraphQL and the printable page.

A signed-in expert keeps named lists of services, orders them, shares a
list by link and prints it. Nobody else can read or change a list except
through its share link, and a list never shows a service its viewer may not
see (a draft, an unpublished service, a restricted one for the public).
"""

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client
from graphql import parse, validate
from wagtail.models import PageViewRestriction

from favourites.models import FavouriteItem, FavouriteList

ROOT = Path(__file__).resolve().parents[2]

LIST = """
    id name position shareToken shareUrl itemCount
    items { position service { id title } }
"""


@dataclass
class Content:
    service: object
    second_service: object
    restricted_service: object
    draft_service: object


@pytest.fixture
def content(site_tree):
    """Published services of one organisation, one of them for signed-in users only, and a draft."""
    from catalogue.models import Municipality, OrganisationPage, ServiceContact, ServicePage

    organisation = site_tree.catalogue.add_child(
        instance=OrganisationPage(title="Kela", key="kela", slug="kela", kind="kela")
    )
    helsinki = Municipality.objects.get(code="091", locale__language_code="fi")

    def service(title, key, **fields):
        fields.setdefault("responsible_email", "vastuu@example.org")
        return organisation.add_child(
            instance=ServicePage(title=title, key=key, slug=key, **fields)
        )

    restricted = service("Asiantuntijoiden kokeilu", "expert-trial")
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    return Content(
        service=service(
            "Työkokeilu",
            "work-trial",
            summary="Kokeile työtä oikealla työpaikalla.",
            contacts=[ServiceContact(name="Kelan neuvonta", phone="020 692 207")],
            municipalities=[helsinki],
        ),
        second_service=service("Uraohjaus", "career-guidance"),
        restricted_service=restricted,
        draft_service=service("Luonnos", "draft", live=False, responsible_email=""),
    )


def _caller(user=None):
    """Ask /graphql/ as this user (anonymous without one); returns the whole response body."""
    client = Client()
    if user is not None:
        client.force_login(user)

    def ask(query, **variables):
        response = client.post(
            "/graphql/",
            data=json.dumps({"query": query, "variables": variables}),
            content_type="application/json",
        )
        assert response.status_code in (200, 400), response.content[:300]
        return response.json()

    ask.client = client
    return ask


def _data(body):
    assert "errors" not in body, body["errors"]
    return body["data"]


def _error(body):
    """The one error's (code, message)."""
    [error] = body["errors"]
    return error["extensions"]["code"], error["message"]


@pytest.fixture
def expert(content, role_user):
    return _caller(role_user("expert"))


@pytest.fixture
def other_expert(content, role_user):
    return _caller(role_user("expert"))


@pytest.fixture
def anonymous(content):
    return _caller()


def _create(ask, name):
    query = f"mutation ($name: String!) {{ createFavouriteList(name: $name) {{ {LIST} }} }}"
    return _data(ask(query, name=name))["createFavouriteList"]


def _add(ask, list_id, service):
    query = f"""mutation ($list: ID!, $service: ID) {{
        addFavourite(listId: $list, serviceId: $service) {{ {LIST} }}
    }}"""
    return ask(query, list=list_id, service=str(service.pk))


def _titles(favourite_list):
    return [item["service"]["title"] for item in favourite_list["items"]]


def _share(ask, list_id):
    query = f"mutation ($id: ID!) {{ shareFavouriteList(id: $id) {{ {LIST} }} }}"
    return _data(ask(query, id=list_id))["shareFavouriteList"]


SHARED = f"query ($token: String!) {{ sharedFavouriteList(token: $token) {{ {LIST} }} }}"


# --- Lists --------------------------------------------------------------------


def test_an_expert_creates_renames_and_deletes_a_list(expert):
    created = _create(expert, "  Asiakas A  ")
    assert created["name"] == "Asiakas A"
    assert created["items"] == [] and created["itemCount"] == 0
    assert created["shareToken"] is None and created["shareUrl"] is None

    rename = 'mutation ($id: ID!) { renameFavouriteList(id: $id, name: "Nuoret") { id name } }'
    renamed = _data(expert(rename, id=created["id"]))["renameFavouriteList"]
    assert renamed == {"id": created["id"], "name": "Nuoret"}
    lists = _data(expert("{ favouriteLists { name } }"))["favouriteLists"]
    assert lists == [{"name": "Nuoret"}]

    delete = "mutation ($id: ID!) { deleteFavouriteList(id: $id) }"
    assert _data(expert(delete, id=created["id"]))["deleteFavouriteList"] == created["id"]
    assert _data(expert("{ favouriteLists { name } }"))["favouriteLists"] == []


def test_a_list_needs_a_name_of_reasonable_length(expert):
    create = "mutation ($name: String!) { createFavouriteList(name: $name) { name } }"
    for name in ("", "   ", "x" * 201):
        code, message = _error(expert(create, name=name))
        assert code == "BAD_USER_INPUT"
        assert "name of a favourite list" in message
    assert _data(expert(create, name="x" * 200))["createFavouriteList"]["name"] == "x" * 200

    favourite_list = FavouriteList.objects.get()
    rename = 'mutation ($id: ID!) { renameFavouriteList(id: $id, name: " ") { name } }'
    assert _error(expert(rename, id=favourite_list.pk))[0] == "BAD_USER_INPUT"
    favourite_list.refresh_from_db()
    assert favourite_list.name == "x" * 200


def test_lists_keep_the_order_the_expert_gives_them(expert):
    ids = [_create(expert, name)["id"] for name in ("A", "B", "C")]
    lists = "{ favouriteLists { id name } }"
    assert [entry["name"] for entry in _data(expert(lists))["favouriteLists"]] == ["A", "B", "C"]

    reorder = "mutation ($ids: [ID!]!) { reorderFavouriteLists(ids: $ids) { name position } }"
    reordered = _data(expert(reorder, ids=[ids[2], ids[0], ids[1]]))["reorderFavouriteLists"]
    assert [entry["name"] for entry in reordered] == ["C", "A", "B"]
    assert [entry["name"] for entry in _data(expert(lists))["favouriteLists"]] == ["C", "A", "B"]
    assert _create(expert, "D")["position"] > max(entry["position"] for entry in reordered)


def test_lists_cannot_be_reordered_with_a_missing_repeated_or_foreign_id(expert, other_expert):
    ids = [_create(expert, name)["id"] for name in ("A", "B")]
    foreign = _create(other_expert, "Toisen lista")["id"]
    reorder = "mutation ($ids: [ID!]!) { reorderFavouriteLists(ids: $ids) { name } }"
    for wrong in ([ids[1]], [ids[1], ids[1]], [ids[1], ids[0], foreign], [ids[1], foreign]):
        assert _error(expert(reorder, ids=wrong))[0] == "BAD_USER_INPUT"
    lists = _data(expert("{ favouriteLists { name } }"))["favouriteLists"]
    assert [entry["name"] for entry in lists] == ["A", "B"]


# --- Items --------------------------------------------------------------------


def test_adding_a_service_twice_keeps_it_once_in_its_place(expert, content):
    list_id = _create(expert, "Asiakas A")["id"]
    _add(expert, list_id, content.service)
    _add(expert, list_id, content.second_service)
    by_key = """mutation ($list: ID!) {
        addFavourite(listId: $list, serviceKey: "work-trial") { itemCount items { service { id } } }
    }"""
    favourite_list = _data(expert(by_key, list=list_id))["addFavourite"]
    assert favourite_list["itemCount"] == 2
    assert [item["service"]["id"] for item in favourite_list["items"]] == [
        str(content.service.pk),
        str(content.second_service.pk),
    ]
    assert FavouriteItem.objects.count() == 2


def test_a_service_is_added_by_id_or_by_key_and_not_by_both_or_neither(expert, content):
    list_id = _create(expert, "Asiakas A")["id"]
    add = """mutation ($list: ID!, $id: ID, $key: String) {
        addFavourite(listId: $list, serviceId: $id, serviceKey: $key) { itemCount }
    }"""
    assert _error(expert(add, list=list_id))[0] == "BAD_USER_INPUT"
    both = expert(add, list=list_id, id=str(content.service.pk), key="work-trial")
    assert _error(both)[0] == "BAD_USER_INPUT"
    assert _error(expert(add, list=list_id, key="no-such-service"))[0] == "NOT_FOUND"
    # Not a number at all: the request is refused before it runs (cms.graphql_guards).
    assert _error(expert(add, list=list_id, id="not-a-number"))[0] == "BAD_USER_INPUT"
    assert _data(expert(add, list=list_id, key="career-guidance"))["addFavourite"] == {
        "itemCount": 1
    }


def test_only_services_the_caller_may_see_can_be_added(expert, content):
    list_id = _create(expert, "Asiakas A")["id"]
    assert _error(_add(expert, list_id, content.draft_service)) == (
        "NOT_FOUND",
        "Service not found.",
    )
    assert not FavouriteItem.objects.filter(service=content.draft_service).exists()
    added = _data(_add(expert, list_id, content.restricted_service))["addFavourite"]
    assert _titles(added) == ["Asiantuntijoiden kokeilu"]


def test_items_are_removed_and_reordered(expert, content):
    list_id = _create(expert, "Asiakas A")["id"]
    for service in (content.service, content.second_service, content.restricted_service):
        _add(expert, list_id, service)
    reorder = f"""mutation ($list: ID!, $ids: [ID!]!) {{
        reorderFavourites(listId: $list, serviceIds: $ids) {{ {LIST} }}
    }}"""
    ids = [content.restricted_service.pk, content.service.pk, content.second_service.pk]
    reordered = _data(expert(reorder, list=list_id, ids=[str(pk) for pk in ids]))
    assert _titles(reordered["reorderFavourites"]) == [
        "Asiantuntijoiden kokeilu",
        "Työkokeilu",
        "Uraohjaus",
    ]

    remove = f"""mutation ($list: ID!, $id: ID!) {{
        removeFavourite(listId: $list, serviceId: $id) {{ {LIST} }}
    }}"""
    removed = _data(expert(remove, list=list_id, id=str(content.service.pk)))["removeFavourite"]
    assert _titles(removed) == ["Asiantuntijoiden kokeilu", "Uraohjaus"]
    assert removed["itemCount"] == 2
    again = _data(expert(remove, list=list_id, id=str(content.service.pk)))["removeFavourite"]
    assert again["itemCount"] == 2


def test_a_reordering_must_name_each_item_exactly_once(expert, content):
    list_id = _create(expert, "Asiakas A")["id"]
    _add(expert, list_id, content.service)
    _add(expert, list_id, content.second_service)
    reorder = """mutation ($list: ID!, $ids: [ID!]!) {
        reorderFavourites(listId: $list, serviceIds: $ids) { itemCount }
    }"""
    first, second = str(content.service.pk), str(content.second_service.pk)
    restricted = str(content.restricted_service.pk)
    for wrong in ([second], [second, second], [second, first, restricted], []):
        code, message = _error(expert(reorder, list=list_id, ids=wrong))
        assert code == "BAD_USER_INPUT"
        assert "exactly once" in message
    favourite_list = _data(expert(f"{{ favouriteLists {{ {LIST} }} }}"))["favouriteLists"][0]
    assert _titles(favourite_list) == ["Työkokeilu", "Uraohjaus"]


def test_an_unpublished_service_drops_out_of_the_list_and_its_count_until_republished(
    expert, content
):
    list_id = _create(expert, "Asiakas A")["id"]
    _add(expert, list_id, content.service)
    _add(expert, list_id, content.second_service)
    content.service.unpublish()
    lists = _data(expert(f"{{ favouriteLists {{ {LIST} }} }}"))["favouriteLists"]
    assert _titles(lists[0]) == ["Uraohjaus"]
    assert lists[0]["itemCount"] == 1

    # The expert can still order what they see; the hidden item keeps its place after it.
    reorder = """mutation ($list: ID!, $ids: [ID!]!) {
        reorderFavourites(listId: $list, serviceIds: $ids) { itemCount }
    }"""
    ids = [str(content.second_service.pk)]
    assert _data(expert(reorder, list=list_id, ids=ids))["reorderFavourites"]["itemCount"] == 1

    content.service.save_revision().publish()
    query = f"query ($id: ID!) {{ favouriteList(id: $id) {{ {LIST} }} }}"
    favourite_list = _data(expert(query, id=list_id))["favouriteList"]
    assert _titles(favourite_list) == ["Uraohjaus", "Työkokeilu"]
    assert favourite_list["itemCount"] == 2


def test_deleting_a_service_removes_it_from_every_list(expert, other_expert, content):
    for ask in (expert, other_expert):
        _add(ask, _create(ask, "Asiakas")["id"], content.service)
    content.service.delete()
    assert not FavouriteItem.objects.exists()
    assert FavouriteList.objects.count() == 2


# --- Who may do what ----------------------------------------------------------------


def test_anonymous_callers_are_asked_to_sign_in_and_nothing_is_stored(anonymous, content):
    sign_in = ("UNAUTHENTICATED", "Sign in to use favourites.")
    assert _error(anonymous("{ favouriteLists { id } }")) == sign_in
    assert _error(anonymous('{ favouriteList(id: "1") { id } }')) == sign_in
    assert _error(anonymous('mutation { createFavouriteList(name: "A") { id } }')) == sign_in
    assert _error(anonymous("mutation { reorderFavouriteLists(ids: []) { id } }")) == sign_in
    assert not FavouriteList.objects.exists()


def test_another_users_list_is_not_found_and_stays_unchanged(expert, other_expert, content):
    theirs = _create(other_expert, "Toisen lista")
    _add(other_expert, theirs["id"], content.service)
    missing = str(FavouriteList.objects.order_by("pk").last().pk + 1000)
    operations = [
        "query ($id: ID!) { favouriteList(id: $id) { id } }",
        'mutation ($id: ID!) { renameFavouriteList(id: $id, name: "Minun") { id } }',
        "mutation ($id: ID!) { deleteFavouriteList(id: $id) }",
        "mutation ($id: ID!) { shareFavouriteList(id: $id) { id } }",
        "mutation ($id: ID!) { unshareFavouriteList(id: $id) { id } }",
        f'mutation ($id: ID!) {{ addFavourite(listId: $id, serviceId: "{content.second_service.pk}") {{ id }} }}',  # noqa: E501
        f'mutation ($id: ID!) {{ removeFavourite(listId: $id, serviceId: "{content.service.pk}") {{ id }} }}',  # noqa: E501
        "mutation ($id: ID!) { reorderFavourites(listId: $id, serviceIds: []) { id } }",
    ]
    for operation in operations:
        answer_for_theirs = _error(expert(operation, id=theirs["id"]))
        assert answer_for_theirs == ("NOT_FOUND", "Favourite list not found.")
        assert _error(expert(operation, id=missing)) == answer_for_theirs
    assert _error(expert(operations[0], id="99999999999999999999"))[0] == "BAD_USER_INPUT"
    assert _data(expert("{ favouriteLists { id } }"))["favouriteLists"] == []

    unchanged = _data(other_expert(f"{{ favouriteLists {{ {LIST} }} }}"))["favouriteLists"]
    assert [(entry["name"], entry["shareToken"]) for entry in unchanged] == [("Toisen lista", None)]
    assert _titles(unchanged[0]) == ["Työkokeilu"]


# --- Sharing ------------------------------------------------------------------------


def test_a_shared_list_is_readable_anonymously_with_public_services_only(
    expert, anonymous, content
):
    list_id = _create(expert, "Asiakas A")["id"]
    for service in (content.service, content.restricted_service, content.second_service):
        _add(expert, list_id, service)
    content.second_service.unpublish()
    shared = _share(expert, list_id)
    token = shared["shareToken"]
    assert token and len(token) >= 40
    assert shared["shareUrl"] == f"http://testserver/favourites/{token}/print/"
    assert shared["itemCount"] == 2  # the owner sees the restricted service

    seen = _data(anonymous(SHARED, token=token))["sharedFavouriteList"]
    assert seen["name"] == "Asiakas A"
    assert _titles(seen) == ["Työkokeilu"]
    assert seen["itemCount"] == 1
    assert seen["shareToken"] is None
    assert seen["shareUrl"] == shared["shareUrl"]

    # Read-only: the link gives no right to change the list.
    rename = 'mutation ($id: ID!) { renameFavouriteList(id: $id, name: "X") { id } }'
    assert _error(anonymous(rename, id=list_id))[0] == "UNAUTHENTICATED"


def test_a_signed_in_viewer_of_a_shared_list_sees_what_they_may_see(expert, other_expert, content):
    list_id = _create(expert, "Asiakas A")["id"]
    _add(expert, list_id, content.restricted_service)
    token = _share(expert, list_id)["shareToken"]
    seen = _data(other_expert(SHARED, token=token))["sharedFavouriteList"]
    assert _titles(seen) == ["Asiantuntijoiden kokeilu"]
    assert seen["shareToken"] is None


def test_a_new_share_link_or_unsharing_stops_the_old_link(expert, anonymous, content):
    list_id = _create(expert, "Asiakas A")["id"]
    first = _share(expert, list_id)["shareToken"]
    second = _share(expert, list_id)["shareToken"]
    assert second != first
    assert _error(anonymous(SHARED, token=first)) == (
        "NOT_FOUND",
        "Shared favourite list not found.",
    )
    assert anonymous.client.get(f"/favourites/{first}/print/").status_code == 404
    assert _data(anonymous(SHARED, token=second))["sharedFavouriteList"]["id"] == list_id

    unshare = f"mutation ($id: ID!) {{ unshareFavouriteList(id: $id) {{ {LIST} }} }}"
    unshared = _data(expert(unshare, id=list_id))["unshareFavouriteList"]
    assert unshared["shareToken"] is None and unshared["shareUrl"] is None
    assert _error(anonymous(SHARED, token=second))[0] == "NOT_FOUND"
    assert _error(anonymous(SHARED, token=""))[0] == "NOT_FOUND"


# --- Printing -----------------------------------------------------------------------


def test_the_printable_shared_list_shows_each_public_service(expert, anonymous, content):
    list_id = _create(expert, "Asiakas A")["id"]
    for service in (content.service, content.restricted_service):
        _add(expert, list_id, service)
    token = _share(expert, list_id)["shareToken"]

    response = anonymous.client.get(f"/favourites/{token}/print/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fi">' in html
    assert "<h1>Asiakas A</h1>" in html
    assert "<h2>Työkokeilu</h2>" in html
    assert "Kokeile työtä oikealla työpaikalla." in html
    assert "<dd>Kela</dd>" in html
    assert "Kelan neuvonta" in html and "020 692 207" in html
    assert "Helsinki" in html
    assert content.service.get_full_url() in html
    assert "Asiantuntijoiden kokeilu" not in html
    assert "1 palvelu" in html
    assert 'name="robots" content="noindex, nofollow"' in html
    assert "no-store" in response["Cache-Control"]


def test_the_owner_prints_their_own_list_and_nobody_else_can(expert, other_expert, content):
    list_id = _create(expert, "Asiakas A")["id"]
    _add(expert, list_id, content.restricted_service)
    url = f"/favourites/lists/{list_id}/print/"

    response = expert.client.get(url)
    assert response.status_code == 200
    assert "<h2>Asiantuntijoiden kokeilu</h2>" in response.content.decode()
    assert other_expert.client.get(url).status_code == 404
    assert Client().get(url).status_code == 404


# --- The contract documents ---------------------------------------------------------


def test_the_favourites_query_documents_validate_and_run(expert, anonymous, content):
    from grapple.schema import schema

    source = (ROOT / "graphql" / "queries" / "favourites.graphql").read_text()
    assert validate(schema.graphql_schema, parse(source)) == []

    list_id = _create(expert, "Asiakas A")["id"]
    _add(expert, list_id, content.service)
    token = _share(expert, list_id)["shareToken"]

    def run(ask, operation, **variables):
        body = ask.client.post(
            "/graphql/",
            data=json.dumps({"query": source, "operationName": operation, "variables": variables}),
            content_type="application/json",
        ).json()
        return _data(body)

    lists = run(expert, "FavouriteLists")["favouriteLists"]
    assert lists[0]["items"][0]["service"]["title"] == "Työkokeilu"
    favourite_list = run(expert, "FavouriteList", id=list_id)["favouriteList"]
    assert favourite_list["shareToken"] == token
    [item] = favourite_list["items"]
    assert item["service"]["parent"] == {"title": "Kela"}
    assert item["service"]["municipalities"] == [{"code": "091", "name": "Helsinki"}]
    shared = run(anonymous, "SharedFavouriteList", token=token)["sharedFavouriteList"]
    assert shared["items"][0]["service"]["key"] == "work-trial"

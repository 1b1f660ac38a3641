"""Who may do what: the roles × actions × content specification.

Every cell is answered by the checks Wagtail itself makes: the page
permission tester for editing, publishing and submitting to the publication
workflow, and the page's view restrictions for reading. "submit" is what the
editor offers: Wagtail's ``can_submit_for_moderation`` only asks whether the
page could enter its workflow now, and the editor in front of it requires
``can_edit``. Finnish services go through the producers' review; guides and
instructions have no workflow and are published directly by those who may
publish them; translations are submitted to the administrators.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from wagtail.models import Locale

from catalogue.models import ServicePage
from guides.models import GuidePage, ProcessInstructionPage
from people.organisations import create_organisation

ALL = {"view", "edit", "publish", "submit"}
READ = {"view"}
NOTHING = set()
EDIT_AND_SUBMIT = {"view", "edit", "submit"}
DIRECT_PUBLISHING = {"view", "edit", "publish"}

OBJECTS = [
    "service of organisation A",
    "service of organisation B",
    "instruction in area 091",
    "internal guide",
    "public guide",
    "Swedish translation of the service of organisation A",
]

EXPECTED = {
    "administrator": {
        "service of organisation A": ALL,
        "service of organisation B": ALL,
        "instruction in area 091": DIRECT_PUBLISHING,
        "internal guide": DIRECT_PUBLISHING,
        "public guide": DIRECT_PUBLISHING,
        "Swedish translation of the service of organisation A": ALL,
    },
    "producer of area 091": {
        "service of organisation A": ALL,
        "service of organisation B": ALL,
        "instruction in area 091": DIRECT_PUBLISHING,
        "internal guide": DIRECT_PUBLISHING,
        "public guide": DIRECT_PUBLISHING,
        "Swedish translation of the service of organisation A": READ,
    },
    "producer of area 049": {
        "service of organisation A": ALL,
        "service of organisation B": ALL,
        "instruction in area 091": READ,
        "internal guide": DIRECT_PUBLISHING,
        "public guide": DIRECT_PUBLISHING,
        "Swedish translation of the service of organisation A": READ,
    },
    "provider admin of organisation A": {
        "service of organisation A": EDIT_AND_SUBMIT,
        "service of organisation B": READ,
        "instruction in area 091": NOTHING,
        "internal guide": NOTHING,
        "public guide": READ,
        "Swedish translation of the service of organisation A": READ,
    },
    "provider editor of organisation A": {
        "service of organisation A": EDIT_AND_SUBMIT,
        "service of organisation B": READ,
        "instruction in area 091": NOTHING,
        "internal guide": NOTHING,
        "public guide": READ,
        "Swedish translation of the service of organisation A": READ,
    },
    "expert": {
        "service of organisation A": READ,
        "service of organisation B": READ,
        "instruction in area 091": READ,
        "internal guide": READ,
        "public guide": READ,
        "Swedish translation of the service of organisation A": READ,
    },
    "translator": {
        "service of organisation A": READ,
        "service of organisation B": READ,
        "instruction in area 091": NOTHING,
        "internal guide": NOTHING,
        "public guide": READ,
        "Swedish translation of the service of organisation A": EDIT_AND_SUBMIT,
    },
    "anonymous": {
        "service of organisation A": READ,
        "service of organisation B": READ,
        "instruction in area 091": NOTHING,
        "internal guide": NOTHING,
        "public guide": READ,
        "Swedish translation of the service of organisation A": READ,
    },
}


def can_view(user, page):
    request = RequestFactory().get(page.url or "/")
    request.user = user
    return all(restriction.accept_request(request) for restriction in page.get_view_restrictions())


def allowed_actions(user, page):
    permissions = page.permissions_for_user(user)
    checks = {
        "view": lambda: can_view(user, page),
        "edit": permissions.can_edit,
        "publish": permissions.can_publish,
        "submit": lambda: permissions.can_edit() and permissions.can_submit_for_moderation(),
    }
    return {action for action, check in checks.items() if check()}


def add_service(organisation, key):
    return organisation.add_child(
        instance=ServicePage(
            title=f"Palvelu {key}", slug=key, key=key, responsible_email="vastuu@example.org"
        )
    )


def translate(service, language_code):
    locale = Locale.objects.get(language_code=language_code)
    # The organisation's groups are one-to-one with its Finnish page, so its
    # translation is made without them.
    service.get_parent().specific.copy_for_translation(
        locale, copy_parents=True, exclude_fields=["admin_group", "editor_group"]
    ).save_revision().publish()
    translation = service.copy_for_translation(locale)
    translation.save_revision().publish()
    return translation


@pytest.fixture
def content(site_tree):
    organisation_a, _ = create_organisation("org-a", "Organisaatio A")
    organisation_b, _ = create_organisation("org-b", "Organisaatio B")
    service_a = add_service(organisation_a, "service-a")
    return {
        "Swedish translation of the service of organisation A": translate(service_a, "sv"),
        "service of organisation A": service_a,
        "service of organisation B": add_service(organisation_b, "service-b"),
        "instruction in area 091": site_tree.area_pages["091"].add_child(
            instance=ProcessInstructionPage(
                title="Ohjaus palveluun A", slug="ohje-a", key="ohje-a", service=service_a
            )
        ),
        "internal guide": site_tree.internal_guides.add_child(
            instance=GuidePage(title="Sisäinen ohje", slug="sisainen-ohje", key="sisainen-ohje")
        ),
        "public guide": site_tree.guides.add_child(
            instance=GuidePage(title="Julkinen ohje", slug="julkinen-ohje", key="julkinen-ohje")
        ),
    }


@pytest.fixture
def people(content, role_user):
    return {
        "administrator": role_user("administrator"),
        "producer of area 091": role_user("producer", area_code="091"),
        "producer of area 049": role_user("producer", area_code="049"),
        "provider admin of organisation A": role_user("provider-admin", organisation_key="org-a"),
        "provider editor of organisation A": role_user("provider-editor", organisation_key="org-a"),
        "expert": role_user("expert"),
        "translator": role_user("translator"),
        "anonymous": AnonymousUser(),
    }


@pytest.mark.parametrize("role", EXPECTED)
def test_what_each_role_may_do_with_each_kind_of_content(role, people, content):
    actual = {name: allowed_actions(people[role], content[name]) for name in OBJECTS}
    assert actual == EXPECTED[role]


def assert_refused(response):
    """Wagtail's admin answers a refused page view by sending the user to the dashboard."""
    assert (response.status_code, response.url) == (302, "/admin/")


def test_a_provider_editor_cannot_open_another_organisations_service(people, content, client):
    client.force_login(people["provider editor of organisation A"])
    other = content["service of organisation B"]
    own = content["service of organisation A"]
    assert_refused(client.get(f"/admin/pages/{other.pk}/edit/"))
    assert client.get(f"/admin/pages/{own.pk}/edit/").status_code == 200


def test_a_provider_editor_cannot_open_an_instruction_in_the_admin(people, content, client):
    client.force_login(people["provider editor of organisation A"])
    instruction = content["instruction in area 091"]
    assert_refused(client.get(f"/admin/pages/{instruction.pk}/edit/"))
    assert_refused(client.get(f"/admin/pages/{instruction.pk}/view_draft/"))


def test_a_provider_editor_cannot_browse_the_internal_section(people, content, site_tree, client):
    """The explorer sends them back to their own organisation instead."""
    client.force_login(people["provider editor of organisation A"])
    organisation = content["service of organisation A"].get_parent()
    response = client.get(f"/admin/pages/{site_tree.internal.pk}/")
    assert response.status_code == 302
    assert response.url == f"/admin/pages/{organisation.pk}/"
    listing = client.get(response.url).content.decode()
    assert "Palvelu service-a" in listing
    assert f"/admin/pages/{site_tree.internal.pk}/" not in listing


def test_a_producer_of_another_area_cannot_edit_area_091_instructions(people, content, client):
    client.force_login(people["producer of area 049"])
    instruction = content["instruction in area 091"]
    assert_refused(client.get(f"/admin/pages/{instruction.pk}/edit/"))
    client.force_login(people["producer of area 091"])
    assert client.get(f"/admin/pages/{instruction.pk}/edit/").status_code == 200


def test_an_expert_has_no_admin_access(people, client):
    client.force_login(people["expert"])
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")

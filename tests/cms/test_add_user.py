"""Onboarding people into roles with ``manage.py add_user``."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import CommandError, call_command
from wagtail.models import Locale

from catalogue.models import EmploymentArea, OrganisationPage
from cms.roles import ADMINISTRATORS, EXPERTS, TRANSLATORS
from people.organisations import create_organisation

User = get_user_model()


def add_user(*args):
    out = StringIO()
    call_command("add_user", *args, stdout=out)
    return out.getvalue()


def producers_of(code):
    return EmploymentArea.objects.get(code=code, locale=Locale.get_default()).producer_group


@pytest.fixture
def organisation(site_tree):
    return create_organisation("org-a", "Organisaatio A")[0]


def group_names(email):
    return set(User.objects.get(username=email).groups.values_list("name", flat=True))


def test_a_new_person_gets_an_account_without_a_password(db):
    output = add_user("Maija.Meikalainen@Example.org", "--role", "expert")
    user = User.objects.get()
    assert user.username == user.email == "maija.meikalainen@example.org"
    assert not user.has_usable_password()
    assert "created user maija.meikalainen@example.org" in output
    assert f"added maija.meikalainen@example.org to group '{EXPERTS}'" in output


def test_a_new_person_is_invited_to_choose_a_password(db, settings):
    settings.WAGTAILADMIN_BASE_URL = "http://localhost:8123"
    output = add_user("maija@example.org", "--role", "expert")
    [message] = mail.outbox
    assert message.to == ["maija@example.org"]
    assert "http://localhost:8123/admin/password_reset/confirm/" in message.body
    assert "invitation sent to maija@example.org" in output
    assert "set-password link: http://localhost:8123/admin/password_reset/confirm/" in output


def test_an_expert_joins_the_experts(db):
    add_user("expert@example.org", "--role", "expert")
    assert group_names("expert@example.org") == {EXPERTS}


def test_a_translator_joins_the_translators(db):
    add_user("translator@example.org", "--role", "translator")
    assert group_names("translator@example.org") == {TRANSLATORS}


def test_an_administrator_becomes_a_superuser_in_the_administrators_group(db):
    output = add_user("admin@example.org", "--role", "administrator")
    user = User.objects.get(username="admin@example.org")
    assert user.is_superuser
    assert group_names("admin@example.org") == {ADMINISTRATORS}
    assert "made admin@example.org a superuser" in output


def test_a_producer_joins_their_employment_areas_producers(db):
    add_user("producer@example.org", "--role", "producer", "--area", "091")
    assert group_names("producer@example.org") == {producers_of("091").name}


def test_a_municipality_code_places_a_producer_in_its_employment_area(db):
    """Kauniainen (235) belongs to the Espoo employment area (049)."""
    add_user("producer@example.org", "--role", "producer", "--area", "235")
    assert group_names("producer@example.org") == {producers_of("049").name}


def test_a_producer_of_an_area_added_later_gets_a_group_with_the_areas_rights(site_tree):
    area = EmploymentArea.objects.create(
        name="Uusi työllisyysalue", code="999", locale=Locale.get_default()
    )
    add_user("producer@example.org", "--role", "producer", "--area", "999")
    area.refresh_from_db()
    assert area.producer_group is not None
    user = User.objects.get(username="producer@example.org")
    area_page = site_tree.instructions.get_children().get(slug="alue-999")
    assert area_page.permissions_for_user(user).can_publish()
    assert site_tree.catalogue.permissions_for_user(user).can_publish()


@pytest.mark.parametrize(
    ("role", "group"),
    [("provider-admin", "admin_group"), ("provider-editor", "editor_group")],
)
def test_a_provider_person_joins_their_organisations_group(organisation, role, group):
    add_user("person@example.org", "--role", role, "--organisation", "org-a")
    assert group_names("person@example.org") == {getattr(organisation, group).name}


def test_an_organisation_without_groups_gets_them_when_its_first_person_joins(site_tree):
    organisation = site_tree.catalogue.add_child(
        instance=OrganisationPage(title="Organisaatio C", slug="org-c", key="org-c")
    )
    add_user("editor@example.org", "--role", "provider-editor", "--organisation", "org-c")
    organisation.refresh_from_db()
    assert organisation.editor_group is not None
    assert group_names("editor@example.org") == {organisation.editor_group.name}
    user = User.objects.get(username="editor@example.org")
    assert organisation.permissions_for_user(user).can_add_subpage()


def test_running_it_again_changes_nothing_and_says_so(db):
    add_user("producer@example.org", "--role", "producer", "--area", "091")
    output = add_user("PRODUCER@example.org", "--role", "producer", "--area", "091")
    user = User.objects.get()
    assert user.groups.count() == 1
    assert f"producer@example.org is already in group '{producers_of('091').name}'" in output
    assert "nothing changed for producer@example.org" in output
    assert "created" not in output and "added" not in output


def test_a_second_role_is_added_beside_the_first(db):
    add_user("person@example.org", "--role", "producer", "--area", "091")
    add_user("person@example.org", "--role", "producer", "--area", "049")
    assert group_names("person@example.org") == {
        producers_of("091").name,
        producers_of("049").name,
    }


def test_names_are_set_and_updated(db):
    add_user("person@example.org", "--role", "expert", "--first-name", "Maija")
    output = add_user("person@example.org", "--role", "expert", "--last-name", "Meikäläinen")
    user = User.objects.get()
    assert (user.first_name, user.last_name) == ("Maija", "Meikäläinen")
    assert "set last name of person@example.org to 'Meikäläinen'" in output


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--role", "owner"], "invalid choice: 'owner'"),
        (["--role", "producer"], "role producer needs --area"),
        (["--role", "producer", "--area", "123"], "no employment area or municipality"),
        (["--role", "provider-editor"], "role provider-editor needs --organisation"),
        (
            ["--role", "provider-editor", "--organisation", "no-such-org"],
            "no organisation with key 'no-such-org'",
        ),
        (["--role", "expert", "--area", "091"], "--area does not apply to role expert"),
        (
            ["--role", "producer", "--area", "091", "--organisation", "org-a"],
            "--organisation does not apply to role producer",
        ),
    ],
)
def test_a_wrong_request_is_refused_with_a_clear_error(organisation, arguments, message):
    with pytest.raises(CommandError, match=message):
        add_user("person@example.org", *arguments)
    assert not User.objects.exists()


def test_an_invalid_email_address_is_refused(db):
    with pytest.raises(CommandError, match="not a valid e-mail address"):
        add_user("not-an-address", "--role", "expert")
    assert not Group.objects.get(name=EXPERTS).user_set.exists()

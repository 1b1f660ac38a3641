"""Setting up a provider organisation with ``manage.py create_organisation``."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Collection, GroupCollectionPermission

from catalogue.models import OrganisationPage
from people.site_tree import ensure_site_tree


def create_organisation(*args):
    out = StringIO()
    call_command("create_organisation", *args, stdout=out)
    return out.getvalue()


def test_an_organisation_gets_its_page_groups_and_attachments_collection(db):
    output = create_organisation(
        "kela-uusimaa", "--name", "Kela Uusimaa", "--kind", "kela", "--business-id", "0246246-0"
    )
    tree = ensure_site_tree()
    organisation = OrganisationPage.objects.get(key="kela-uusimaa")
    assert organisation.get_parent().specific == tree.catalogue
    assert (organisation.title, organisation.kind, organisation.business_id) == (
        "Kela Uusimaa",
        "kela",
        "0246246-0",
    )
    assert organisation.admin_group.name == "Kela Uusimaa: ylläpitäjät"
    assert organisation.editor_group.name == "Kela Uusimaa: muokkaajat"

    collection = Collection.objects.get(name="Kela Uusimaa")
    assert collection.get_parent() == tree.attachments
    for group in (organisation.admin_group, organisation.editor_group):
        codenames = set(
            GroupCollectionPermission.objects.filter(
                group=group, collection=collection
            ).values_list("permission__codename", flat=True)
        )
        assert {"add_document", "change_document", "choose_document"} <= codenames
        assert {"add_image", "choose_image"} <= codenames
    assert "created organisation page 'Kela Uusimaa'" in output
    assert "created attachments collection 'Kela Uusimaa'" in output


def test_creating_it_again_changes_nothing(db):
    create_organisation("kela-uusimaa", "--name", "Kela Uusimaa")
    output = create_organisation("kela-uusimaa", "--name", "Kela Uusimaa")
    assert output.strip() == "nothing changed for organisation 'kela-uusimaa'"
    assert OrganisationPage.objects.filter(key="kela-uusimaa").count() == 1
    assert Collection.objects.filter(name="Kela Uusimaa").count() == 1


def test_an_existing_organisation_keeps_its_name(db):
    create_organisation("kela-uusimaa", "--name", "Kela Uusimaa")
    output = create_organisation("kela-uusimaa", "--name", "Kela")
    assert OrganisationPage.objects.get(key="kela-uusimaa").title == "Kela Uusimaa"
    assert "already exists as 'Kela Uusimaa'" in output


def test_an_organisation_created_without_groups_is_completed(site_tree):
    """E.g. one added in the admin by a producer."""
    site_tree.catalogue.add_child(
        instance=OrganisationPage(title="Järjestö", slug="jarjesto", key="jarjesto")
    )
    output = create_organisation("jarjesto", "--name", "Järjestö")
    organisation = OrganisationPage.objects.get(key="jarjesto")
    assert organisation.admin_group is not None and organisation.editor_group is not None
    assert "created group 'Järjestö: muokkaajat'" in output


def test_two_organisations_of_the_same_name_get_separate_groups(db):
    create_organisation("seurakunta-a", "--name", "Seurakunta")
    create_organisation("seurakunta-b", "--name", "Seurakunta")
    first, second = OrganisationPage.objects.filter(title="Seurakunta").order_by("key")
    assert first.editor_group != second.editor_group
    assert second.editor_group.name == "Seurakunta (seurakunta-b): muokkaajat"


def test_a_long_name_still_fits_the_group_name(db):
    name = "Uudenmaan " + "hyvin " * 30 + "pitkä organisaatio"
    create_organisation("pitka", "--name", name)
    group = OrganisationPage.objects.get(key="pitka").admin_group
    assert len(group.name) <= 150
    assert group.name.endswith(": ylläpitäjät")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["not a key", "--name", "X"], "the key must be a slug"),
        (["ok-key", "--name", "X", "--kind", "club"], "invalid choice: 'club'"),
    ],
)
def test_a_wrong_request_is_refused(db, arguments, message):
    with pytest.raises(CommandError, match=message):
        create_organisation(*arguments)
    assert not OrganisationPage.objects.exists()

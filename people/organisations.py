"""Organisations' groups and rights, and who reads internal content.

A provider organisation gets an admin group and an editor group with add and
edit rights on its own subtree and its own attachments collection
(cms.roles grants them).
"""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.db.models import Q
from wagtail.models import Collection

from catalogue.models import OrganisationPage
from cms import roles
from people.site_tree import ensure_site_tree


def _organisation_group(organisation, role):
    """A new group named after the organisation, e.g. "Kela: muokkaajat".

    Group names are unique and at most 150 characters: a long name is
    shortened, and the key tells apart two organisations of the same name.
    """
    suffix = f": {role}"
    name = organisation.title[: 150 - len(suffix)] + suffix
    others = type(organisation).objects.exclude(pk=organisation.pk)
    if others.filter(Q(admin_group__name=name) | Q(editor_group__name=name)).exists():
        suffix = f" ({organisation.key}): {role}"
        name = organisation.title[: 150 - len(suffix)] + suffix
    return Group.objects.get_or_create(name=name)[0]


@transaction.atomic
def create_organisation_groups(organisation, attachments_collection=None):
    """Create (or repair) an organisation's admin and editor groups and their rights."""
    if organisation.admin_group is None:
        organisation.admin_group = _organisation_group(organisation, "ylläpitäjät")
    if organisation.editor_group is None:
        organisation.editor_group = _organisation_group(organisation, "muokkaajat")
    type(organisation).objects.filter(pk=organisation.pk).update(
        admin_group=organisation.admin_group, editor_group=organisation.editor_group
    )
    for group in (organisation.admin_group, organisation.editor_group):
        group.permissions.add(roles.admin_access())
        roles.grant_pages(group, organisation, roles.EDIT)
        if attachments_collection is not None:
            roles.grant_collection(group, attachments_collection, roles.DOCUMENT_EDIT)
            roles.grant_collection(group, attachments_collection, roles.IMAGE_EDIT, "wagtailimages")
    return organisation.admin_group, organisation.editor_group


def organisation_collection(organisation, attachments):
    """The organisation's own attachments collection under "Liitteet", created if missing.

    Found first by its groups' rights, so renaming the organisation does not
    orphan the collection; a new one is named after the organisation.
    """
    children = attachments.get_children()
    if organisation.admin_group_id is not None:
        granted = children.filter(group_permissions__group=organisation.admin_group_id).first()
        if granted is not None:
            return granted
    existing = children.filter(name=organisation.title).first()
    return existing or attachments.add_child(instance=Collection(name=organisation.title))


def create_collections(names, attachments):
    """Create the attachments collections of organisations about to be created, in name order.

    Collections are kept sorted by name (Wagtail's ``node_order_by``): each one
    added out of order renumbers every later sibling, one UPDATE each, which
    grows with the square of the organisations an import creates. In name
    order each is appended.
    """
    existing = set(attachments.get_children().values_list("name", flat=True))
    for name in sorted(set(names) - existing):
        attachments.add_child(instance=Collection(name=name))


@transaction.atomic
def create_organisation(key, name, kind="", business_id=""):
    """Create (or complete) a provider organisation with its groups and attachments collection.

    The page goes under the Finnish catalogue; an organisation that already has
    this key is completed but never overwritten. Returns the organisation and a
    list of what was created (empty when everything was already in place).
    """
    if not validate_slug.regex.match(key):
        raise ValidationError(f"the key must be a slug (a-z, 0-9, - and _), not {key!r}")
    tree = ensure_site_tree()
    changes = []
    organisation = OrganisationPage.objects.filter(key=key, locale=tree.catalogue.locale).first()
    if organisation is None:
        organisation = tree.catalogue.add_child(
            instance=OrganisationPage(
                title=name,
                slug=key,
                key=key,
                kind=kind or OrganisationPage.Kind.OTHER,
                business_id=business_id,
            )
        )
        changes.append(f"created organisation page {organisation.title!r}")
    collections_before = set(tree.attachments.get_children().values_list("pk", flat=True))
    collection = organisation_collection(organisation, tree.attachments)
    if collection.pk not in collections_before:
        changes.append(f"created attachments collection {collection.name!r}")
    had_groups = {organisation.admin_group_id, organisation.editor_group_id}
    for group in create_organisation_groups(organisation, collection):
        if group.pk not in had_groups:
            changes.append(f"created group {group.name!r}")
    return organisation, changes

"""Roles: the groups of the service manual and the permissions each one holds.

Permissions are Wagtail's own page and collection permissions on the parts
of the tree each role works in, so every check (admin, workflow, API) uses
Wagtail's machinery rather than ad hoc group tests:

==================  ==========================================================
administrators      superusers (everything)
producers (area)    edit + publish all services and public guides; edit +
                    publish their area's instructions and internal guides;
                    approve the publication workflow
provider admin/     add + edit their own organisation's services (never
  editor (org)      publish: changes go through the workflow); provider admins
                    also manage their organisation's editors
                    (cms.organisation_users)
experts             read internal content (view restrictions); no editing
translators         add + edit pages in the translated trees and submit them
                    to the administrators for publication; no rights in the
                    Finnish source tree
==================  ==========================================================

The fixed groups come from a data migration; page and collection rights are
granted when the site tree is built (catalogue.site_tree) and, for each new
organisation, by ``create_organisation`` (the ``create_organisation`` command).
Rights belong to groups, never to users: adding a person to a role is only a
group membership (cms.users).
"""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.db.models import Q
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

ADMINISTRATORS = "Pääkäyttäjät"
EXPERTS = "Asiantuntijat"
TRANSLATORS = "Kääntäjät"
PRODUCERS_PREFIX = "Sisällöntuottajat"

ROLES = ("administrator", "producer", "expert", "translator", "provider-admin", "provider-editor")

EDIT = ("add", "change")
EDIT_AND_PUBLISH = ("add", "change", "publish", "lock", "unlock")
DOCUMENT_EDIT = ("add_document", "change_document", "choose_document")
IMAGE_EDIT = ("add_image", "change_image", "choose_image")


def _permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def admin_access():
    return _permission("wagtailadmin", "access_admin")


def grant_pages(group, page, permission_types):
    for permission_type in permission_types:
        permission = _permission("wagtailcore", f"{permission_type}_page")
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def grant_collection(group, collection, codenames, app_label="wagtaildocs"):
    for codename in codenames:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=_permission(app_label, codename)
        )


def producer_groups():
    from catalogue.models import EmploymentArea

    return Group.objects.filter(
        pk__in=EmploymentArea.objects.exclude(producer_group=None).values("producer_group")
    )


def readers_of_internal_content():
    """Groups admitted by the view restrictions on internal pages and documents."""
    return [
        Group.objects.get(name=ADMINISTRATORS),
        Group.objects.get(name=EXPERTS),
        *producer_groups(),
    ]


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
        group.permissions.add(admin_access())
        grant_pages(group, organisation, EDIT)
        if attachments_collection is not None:
            grant_collection(group, attachments_collection, DOCUMENT_EDIT)
            grant_collection(group, attachments_collection, IMAGE_EDIT, "wagtailimages")
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


@transaction.atomic
def create_organisation(key, name, kind="", business_id=""):
    """Create (or complete) a provider organisation with its groups and attachments collection.

    The page goes under the Finnish catalogue; an organisation that already has
    this key is completed but never overwritten. Returns the organisation and a
    list of what was created (empty when everything was already in place).
    """
    from catalogue.models import OrganisationPage
    from catalogue.site_tree import ensure_site_tree

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

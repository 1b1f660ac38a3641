"""Roles: the groups of the service manual and the permissions each one holds.

Permissions are Wagtail's own page and collection permissions on the parts
of the tree each role works in, so every check (admin, workflow, API) uses
Wagtail's machinery rather than ad hoc group tests:

==================  ==========================================================
administrators      superusers (everything)
producers (area)    edit + publish all services and public guides; edit +
                    publish their area's instructions and internal guides;
                    approve, in the publication workflow, the services of
                    their area's municipalities (catalogue.AreaReviewTask)
provider admin/     add + edit their own organisation's services (never
  editor (org)      publish: changes go through the workflow); provider admins
                    also manage their organisation's editors
                    (people.organisation_users)
experts             read internal content (view restrictions); no editing
translators         add + edit pages in the translated trees and submit them
                    to the administrators for publication; no rights in the
                    Finnish source tree
==================  ==========================================================

The fixed groups come from a data migration; page and collection rights are
granted when the site tree is built (people.site_tree) and, for each new
organisation, by ``create_organisation`` (the ``create_organisation`` command).
Rights belong to groups, never to users: adding a person to a role is only a
group membership (people.users).
"""

from django.contrib.auth.models import Permission
from django.dispatch import Signal
from wagtail.models import GroupCollectionPermission, GroupPagePermission

ADMINISTRATORS = "Pääkäyttäjät"
EXPERTS = "Asiantuntijat"
TRANSLATORS = "Kääntäjät"
PRODUCERS_PREFIX = "Sisällöntuottajat"

ROLES = ("administrator", "producer", "expert", "translator", "provider-admin", "provider-editor")

EDIT = ("add", "change")
EDIT_AND_PUBLISH = ("add", "change", "publish", "lock", "unlock")
DOCUMENT_EDIT = ("add_document", "change_document", "choose_document")
IMAGE_EDIT = ("add_image", "change_image", "choose_image")


_permissions = {}

# Sent after grants made in bulk, with ``permissions``, ``group`` and ``page`` or
# ``collection``: one audit event per grant set instead of one per row.
permissions_granted = Signal()


def _permission(app_label, codename):
    # Permission rows are made once, by the migrations: looked up once per process.
    key = (app_label, codename)
    if key not in _permissions:
        _permissions[key] = Permission.objects.select_related("content_type").get(
            content_type__app_label=app_label, codename=codename
        )
    return _permissions[key]


def admin_access():
    return _permission("wagtailadmin", "access_admin")


def grant_pages(group, page, permission_types):
    wanted = [_permission("wagtailcore", f"{kind}_page") for kind in permission_types]
    _grant(GroupPagePermission, wanted, group=group, page=page)


def grant_collection(group, collection, codenames, app_label="wagtaildocs"):
    wanted = [_permission(app_label, codename) for codename in codenames]
    _grant(GroupCollectionPermission, wanted, group=group, collection=collection)


def _grant(model, permissions, **where):
    """Create the missing grants in one statement, after one look at what is held.

    ``bulk_create`` sends no ``post_save``, so the grants are announced once
    (``permissions_granted``) for the audit log (people.audit).
    """
    held = set(
        model.objects.filter(permission__in=permissions, **where).values_list(
            "permission_id", flat=True
        )
    )
    missing = [permission for permission in permissions if permission.pk not in held]
    if missing:
        model.objects.bulk_create([model(permission=permission, **where) for permission in missing])
        permissions_granted.send(sender=model, permissions=missing, **where)

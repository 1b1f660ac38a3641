"""Writes the audit log (people.models.AuditEvent) from signals.

Connected once from ``PeopleConfig.ready()`` (``connect``):

==========================  ==================================================
sign-in, sign-out           Django's ``user_logged_in`` / ``user_logged_out``
failed sign-in              Django's ``user_login_failed`` (its credentials are
                            already cleansed; only the user name is kept)
lockout                     django-axes's ``user_locked_out``, once when the
                            lockout starts (later tries are failed sign-ins)
API token created, revoked  ``APIToken`` saves, whatever the path (admin,
                            ``create_api_token``, ``api_tokens revoke``)
added to / removed from     ``User.groups`` changes, from either side
a group                     (``user.groups.add``, ``group.user_set.remove``)
a group's permissions       Django permissions (``Group.permissions``) and
                            Wagtail's page and collection permissions
superuser status            a user saved with ``is_superuser`` changed
==========================  ==================================================

Who did it: the user of Wagtail's log context (set by every admin view), else
the signed-in user of the current request, else nobody (a management
command). The request comes from AuditRequestMiddleware, which keeps it for
signal handlers that are not given one. Handlers run inside the change's
transaction, so a rolled-back change leaves no event.
"""

from contextvars import ContextVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from wagtail.log_actions import get_active_log_context
from wagtail.models import (
    APIToken,
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
)

from cms import roles
from cms.ratelimit import client_ip
from people.models import AuditEvent

Action = AuditEvent.Action
USERNAME_LENGTH = AuditEvent._meta.get_field("target_username").max_length

_current_request = ContextVar("audit_request", default=None)


class AuditRequestMiddleware:
    """Keeps the current request where signal handlers without one can find it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def _username(user):
    return user.get_username()[:USERNAME_LENGTH] if user is not None else ""


def _actor(request):
    user = get_active_log_context().user
    if user is None and request is not None:
        user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def record(action, *, request=None, actor=None, target=None, target_username="", **details):
    """Write one event. ``actor`` defaults to whoever is acting in this request."""
    request = request or _current_request.get()
    actor = actor or _actor(request)
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_username=_username(actor),
        target_user=target,
        target_username=(_username(target) if target is not None else target_username)[
            :USERNAME_LENGTH
        ],
        ip_address=(client_ip(request) or None) if request is not None else None,
        details=details,
    )


# --- Signing in -------------------------------------------------------------------


def _signed_in(sender, request, user, **kwargs):
    record(Action.SIGNED_IN, request=request, actor=user, target=user)


def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        record(Action.SIGNED_OUT, request=request, actor=user, target=user)


def _attempted_user(username):
    User = get_user_model()
    return User.objects.filter(**{User.USERNAME_FIELD: username}).first() if username else None


def _sign_in_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get(get_user_model().USERNAME_FIELD) or "")
    record(
        Action.SIGN_IN_FAILED,
        request=request,
        actor=None,
        target=_attempted_user(username),
        target_username=username,
    )


def _locked_out(sender, request, username, ip_address, **kwargs):
    from axes.helpers import get_failure_limit

    failures = getattr(request, "axes_failures_since_start", None)
    limit = get_failure_limit(request, getattr(request, "axes_credentials", None))
    if failures is not None and failures > limit:
        return  # locked out already; this try is recorded as a failed sign-in
    username = str(username or "")
    record(
        Action.LOCKED_OUT,
        request=request,
        actor=None,
        target=_attempted_user(username),
        target_username=username,
        failures=failures or limit,
    )


# --- API tokens -------------------------------------------------------------------


def _token_details(token):
    return {"token": f"{token.prefix}…", "name": token.name}


def _token_saving(sender, instance, update_fields=None, **kwargs):
    instance._audit_was_revoked = (
        instance.pk is not None
        and APIToken.objects.filter(pk=instance.pk, revoked_at__isnull=False).exists()
    )


def _token_saved(sender, instance, created, **kwargs):
    if created:
        record(Action.API_TOKEN_CREATED, target=instance.user, **_token_details(instance))
    elif instance.revoked_at is not None and not instance._audit_was_revoked:
        record(Action.API_TOKEN_REVOKED, target=instance.user, **_token_details(instance))


# --- Groups and permissions -------------------------------------------------------

ADDED, REMOVED = "added", "removed"


def _related_change(instance, action, pk_set, accessor_name):
    """(added|removed, pks) for an m2m change, or None; removals only of what was there."""
    pending = "_audit_m2m_" + accessor_name
    manager = getattr(instance, accessor_name)
    if action in ("pre_remove", "pre_clear"):
        current = set(manager.values_list("pk", flat=True))
        setattr(instance, pending, current if pk_set is None else current & set(pk_set))
        return None
    if action in ("post_remove", "post_clear"):
        return REMOVED, instance.__dict__.pop(pending, set())
    if action == "post_add":
        return ADDED, set(pk_set or ())
    return None


def _memberships_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    accessor = "user_set" if reverse else "groups"
    change = _related_change(instance, action, pk_set, accessor)
    if change is None or not change[1]:
        return
    kind, pks = change
    pairs = (
        [(user, instance) for user in model.objects.filter(pk__in=pks)]
        if reverse
        else [(instance, group) for group in model.objects.filter(pk__in=pks)]
    )
    action_name = Action.GROUP_MEMBER_ADDED if kind == ADDED else Action.GROUP_MEMBER_REMOVED
    for user, group in pairs:
        record(action_name, target=user, group=group.name)


def _permission_label(permission):
    return f"{permission.content_type.app_label}.{permission.codename}"


def _group_permissions_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    accessor = "group_set" if reverse else "permissions"
    change = _related_change(instance, action, pk_set, accessor)
    if change is None or not change[1]:
        return
    kind, pks = change
    if reverse:  # permission.group_set.add(group, …)
        label = _permission_label(instance)
        for group in Group.objects.filter(pk__in=pks):
            record(Action.GROUP_PERMISSIONS_CHANGED, group=group.name, **{kind: [label]})
    else:
        permissions = Permission.objects.filter(pk__in=pks).select_related("content_type")
        labels = sorted(_permission_label(permission) for permission in permissions)
        record(Action.GROUP_PERMISSIONS_CHANGED, group=instance.name, **{kind: labels})


def _title(instance, relation, model, field, created):
    """The related row's name: from the instance when it was just made with the object,
    else looked up afresh (in a cascading delete the related rows may be gone already)."""
    descriptor = type(instance)._meta.get_field(relation)
    if created and descriptor.is_cached(instance):
        return getattr(getattr(instance, relation), field)
    pk = getattr(instance, descriptor.attname)
    value = model.objects.filter(pk=pk).values_list(field, flat=True).first()
    return value if value is not None else f"#{pk}"


def _wagtail_permission_changed(instance, kind):
    created = kind == ADDED
    permission_field = type(instance)._meta.get_field("permission")
    if created and permission_field.is_cached(instance):
        permission = instance.permission
    else:
        permission = (
            Permission.objects.select_related("content_type")
            .filter(pk=instance.permission_id)
            .first()
        )
    if isinstance(instance, GroupPagePermission):
        where = {"page": _title(instance, "page", Page, "title", created)}
    else:
        where = {"collection": _title(instance, "collection", Collection, "name", created)}
    record(
        Action.GROUP_PERMISSIONS_CHANGED,
        group=_title(instance, "group", Group, "name", created),
        **{kind: [_permission_label(permission) if permission else f"#{instance.permission_id}"]},
        **where,
    )


def _permissions_granted(sender, permissions, group, page=None, collection=None, **kwargs):
    where = {"page": page.title} if page is not None else {"collection": collection.name}
    record(
        Action.GROUP_PERMISSIONS_CHANGED,
        group=group.name,
        added=sorted(_permission_label(permission) for permission in permissions),
        **where,
    )


def _wagtail_permission_saved(sender, instance, created, **kwargs):
    if created:
        _wagtail_permission_changed(instance, ADDED)


def _wagtail_permission_deleted(sender, instance, **kwargs):
    _wagtail_permission_changed(instance, REMOVED)


# --- Superuser status --------------------------------------------------------------


def _user_saving(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and "is_superuser" not in update_fields:
        instance._audit_was_superuser = None  # not being changed (e.g. last_login)
        return
    instance._audit_was_superuser = (
        sender.objects.filter(pk=instance.pk).values_list("is_superuser", flat=True).first()
        if instance.pk is not None
        else False
    )


def _user_saved(sender, instance, created, **kwargs):
    before = getattr(instance, "_audit_was_superuser", None)
    if before is not None and bool(before) != instance.is_superuser:
        record(Action.SUPERUSER_CHANGED, target=instance, is_superuser=instance.is_superuser)


def connect():
    """Connect the handlers (``PeopleConfig.ready()``)."""
    from axes.signals import user_locked_out

    User = get_user_model()
    uid = "people.audit."
    user_logged_in.connect(_signed_in, dispatch_uid=uid + "signed_in")
    user_logged_out.connect(_signed_out, dispatch_uid=uid + "signed_out")
    user_login_failed.connect(_sign_in_failed, dispatch_uid=uid + "sign_in_failed")
    user_locked_out.connect(_locked_out, dispatch_uid=uid + "locked_out")
    pre_save.connect(_token_saving, sender=APIToken, dispatch_uid=uid + "token_saving")
    post_save.connect(_token_saved, sender=APIToken, dispatch_uid=uid + "token_saved")
    m2m_changed.connect(
        _memberships_changed, sender=User.groups.through, dispatch_uid=uid + "memberships"
    )
    m2m_changed.connect(
        _group_permissions_changed,
        sender=Group.permissions.through,
        dispatch_uid=uid + "group_permissions",
    )
    for model in (GroupPagePermission, GroupCollectionPermission):
        name = model._meta.model_name
        post_save.connect(_wagtail_permission_saved, sender=model, dispatch_uid=uid + name)
        post_delete.connect(
            _wagtail_permission_deleted, sender=model, dispatch_uid=uid + name + "_deleted"
        )
    roles.permissions_granted.connect(_permissions_granted, dispatch_uid=uid + "granted")
    pre_save.connect(_user_saving, sender=User, dispatch_uid=uid + "user_saving")
    post_save.connect(_user_saved, sender=User, dispatch_uid=uid + "user_saved")

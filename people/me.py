"""The ``me`` root field: who the caller is and which roles they hold.

Frontends use it to choose a view (expert, producer, provider) and to show
the signed-in person; it is null for anonymous callers. Roles are read from
group memberships, as cms.roles defines them: the fixed groups, the
producer group of each employment area and the admin and editor groups of
each provider organisation. Superusers are administrators whatever their
groups.

The caller's own settings kept by the apps above (guidance's preferences and
saved searches) are fields of ``me`` too, so that every answer naming them is
the caller's alone (cms.response_cache never shares an answer that names
``me``). Those apps add them with the ``register_me_fields`` hook: a function
returning ``{name: graphene field}``, whose resolvers receive the user.
"""

import functools
from dataclasses import dataclass

import graphene
from django.contrib.auth.models import Group
from wagtail import hooks
from wagtail.models import Locale

from catalogue.models import EmploymentArea, OrganisationPage
from cms import roles


class RoleKind(graphene.Enum):
    """A role of the service manual (cms.roles); values are ``add_user --role`` names."""

    ADMINISTRATOR = "administrator"
    PRODUCER = "producer"
    EXPERT = "expert"
    TRANSLATOR = "translator"
    PROVIDER_ADMIN = "provider-admin"
    PROVIDER_EDITOR = "provider-editor"


@dataclass(frozen=True)
class UserRole:
    """A role as the ``Role`` type delivers it; ``kind`` is a cms.roles.ROLES name."""

    kind: str
    organisation: str | None = None
    area: str | None = None


class Role(graphene.ObjectType):
    """One role of the caller, with the organisation or area it applies to."""

    kind = graphene.Field(RoleKind, required=True)
    organisation = graphene.String(
        description="Exchange key of the provider organisation (provider roles only)."
    )
    area = graphene.String(description="Code of the employment area (producers only).")


class Me(graphene.ObjectType):
    """The signed-in caller (the user of the session or of the API token)."""

    email = graphene.String(description="The e-mail address; null when none is recorded.")
    name = graphene.String(description="Full name; null when none is recorded.")
    roles = graphene.List(graphene.NonNull(Role), required=True)

    def resolve_email(user, info):
        return user.email or None

    def resolve_name(user, info):
        return user.get_full_name() or None

    def resolve_roles(user, info):
        return user_roles(user)


def _signed_in(user):
    return user is not None and user.is_authenticated and user.is_active


def user_roles(user):
    """The user's roles in the order of cms.roles.ROLES, then by area code or organisation key."""
    if not _signed_in(user):
        return []
    groups = list(Group.objects.filter(user=user).values_list("pk", "name"))
    group_ids = [pk for pk, _ in groups]
    names = {name for _, name in groups}
    # Groups belong to the Finnish (default-locale) organisation pages and areas.
    locale = Locale.get_default()
    area_codes = (
        EmploymentArea.objects.filter(locale=locale, producer_group__in=group_ids)
        .order_by("code")
        .values_list("code", flat=True)
    )
    organisations = OrganisationPage.objects.filter(locale=locale).order_by("key")
    admin_of = organisations.filter(admin_group__in=group_ids).values_list("key", flat=True)
    editor_of = organisations.filter(editor_group__in=group_ids).values_list("key", flat=True)

    found = []
    if user.is_superuser or roles.ADMINISTRATORS in names:
        found.append(UserRole("administrator"))
    found += [UserRole("producer", area=code) for code in area_codes]
    if roles.EXPERTS in names:
        found.append(UserRole("expert"))
    if roles.TRANSLATORS in names:
        found.append(UserRole("translator"))
    found += [UserRole("provider-admin", organisation=key) for key in admin_of]
    found += [UserRole("provider-editor", organisation=key) for key in editor_of]
    return found


class MeQuery:
    """``register_schema_query`` mixin: the ``me`` root field.

    A plain class like grapple's own query mixins: grapple puts ``ObjectType``
    itself among the mixins, so an ObjectType subclass here would make the
    Query class's method order depend on the order the hooks run in.
    """

    me = graphene.Field(
        lambda: me_type(), description="The signed-in caller; null for anonymous callers."
    )

    def resolve_me(self, info):
        user = getattr(info.context, "user", None)
        return user if _signed_in(user) else None


ME_FIELDS_HOOK = "register_me_fields"


@functools.cache
def me_type():
    """``Me`` with the fields the apps above add (``register_me_fields``), built once,
    when the schema is (after every app has registered its hooks)."""
    fields = {}
    for hook in hooks.get_hooks(ME_FIELDS_HOOK):
        fields.update(hook())
    if not fields:
        return Me
    meta = type("Meta", (), {"name": "Me", "description": Me._meta.description})
    return type("Me", (Me,), {**fields, "Meta": meta})


def add_me_query(query_mixins):
    """``register_schema_query`` hook."""
    query_mixins.append(MeQuery)

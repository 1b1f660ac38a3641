"""People in roles: onboarding (``add_user``) and an organisation's own editors.

A role is a group membership and nothing else; the rights belong to the
groups (cms.roles, people.site_tree). Onboarding therefore does not build
the site tree: producers', translators' and experts' rights are attached to
their groups whenever the tree is built or repaired, before or after people
join. The one exception is a producer group created here for an employment
area added after the roles migration: the tree is then repaired so that the
new group gets its rights and joins the publication review.

Users are identified by e-mail (the username is the address in lower case)
and get no usable password: they sign in through password reset or SSO.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from wagtail.models import Locale

from catalogue.models import EmploymentArea, Municipality, OrganisationPage
from cms import roles
from people import organisations
from people.site_tree import ensure_site_tree


class OnboardingError(ValueError):
    """A role cannot be given as asked (unknown role, organisation or area)."""


@dataclass
class Onboarding:
    """What ``add_user`` did: the user, the role's group and the changes made."""

    user: object
    group: Group
    changes: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    @property
    def changed(self):
        return bool(self.changes)


def find_user(email):
    """The user with this e-mail as username or address (case-insensitive), if any."""
    email = email.strip()
    return (
        get_user_model()
        .objects.filter(Q(username__iexact=email) | Q(email__iexact=email))
        .order_by("pk")
        .first()
    )


def get_or_create_user(email, first_name="", last_name=""):
    """The user with this e-mail, created without a usable password if missing.

    Returns the user and a list of changes; given names replace different ones.
    """
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise OnboardingError(f"not a valid e-mail address: {email!r}") from error
    user = find_user(email)
    changes = []
    if user is None:
        user = get_user_model()(username=email, email=email)
        user.set_unusable_password()
        changes.append(f"created user {email}")
    names = {"first_name": first_name, "last_name": last_name}
    for name, value in names.items():
        if value and getattr(user, name) != value:
            if user.pk is not None:
                changes.append(f"set {name.replace('_', ' ')} of {email} to {value!r}")
            setattr(user, name, value)
    if changes:
        user.save()
    return user, changes


def find_organisation(key):
    """The provider organisation with this exchange key (Finnish tree)."""
    organisation = OrganisationPage.objects.filter(key=key, locale=Locale.get_default()).first()
    if organisation is None:
        raise OnboardingError(f"no organisation with key {key!r}")
    return organisation


def find_employment_area(code):
    """The employment area with this code, or the area of the municipality with this code."""
    locale = Locale.get_default()
    area = EmploymentArea.objects.filter(code=code, locale=locale).first()
    if area is None:
        municipality = Municipality.objects.filter(code=code, locale=locale).first()
        area = municipality and municipality.employment_area
    if area is None:
        raise OnboardingError(f"no employment area or municipality with code {code!r}")
    return area


def _producer_group(area):
    """The area's producer group, created (with its rights) for an area added later."""
    if area.producer_group is not None:
        return area.producer_group
    group, _ = Group.objects.get_or_create(name=f"{roles.PRODUCERS_PREFIX}: {area.name}")
    group.permissions.add(roles.admin_access())
    EmploymentArea.objects.filter(translation_key=area.translation_key).update(producer_group=group)
    ensure_site_tree()
    return group


def _organisation_groups(organisation):
    if organisation.admin_group is None or organisation.editor_group is None:
        attachments = organisations.organisation_collection(
            organisation, ensure_site_tree().attachments
        )
        organisations.create_organisation_groups(organisation, attachments)
    return organisation.admin_group, organisation.editor_group


def role_group(role, organisation_key=None, area_code=None):
    """The group a person joins to take this role."""
    if role not in roles.ROLES:
        raise OnboardingError(f"unknown role {role!r}; choose one of {', '.join(roles.ROLES)}")
    provider = role.startswith("provider-")
    if provider and not organisation_key:
        raise OnboardingError(f"role {role} needs --organisation")
    if not provider and organisation_key:
        raise OnboardingError(f"--organisation does not apply to role {role}")
    if role == "producer" and not area_code:
        raise OnboardingError("role producer needs --area")
    if role != "producer" and area_code:
        raise OnboardingError(f"--area does not apply to role {role}")

    if role == "administrator":
        return Group.objects.get(name=roles.ADMINISTRATORS)
    if role == "expert":
        return Group.objects.get(name=roles.EXPERTS)
    if role == "translator":
        return Group.objects.get(name=roles.TRANSLATORS)
    if role == "producer":
        return _producer_group(find_employment_area(area_code))
    admin_group, editor_group = _organisation_groups(find_organisation(organisation_key))
    return admin_group if role == "provider-admin" else editor_group


@transaction.atomic
def add_user(email, role, *, organisation_key=None, area_code=None, first_name="", last_name=""):
    """Give a person (created if missing) a role; running it again changes nothing."""
    group = role_group(role, organisation_key=organisation_key, area_code=area_code)
    user, changes = get_or_create_user(email, first_name=first_name, last_name=last_name)
    onboarding = Onboarding(user=user, group=group, changes=changes)
    if role == "administrator" and not user.is_superuser:
        user.is_superuser = True
        user.save(update_fields=["is_superuser"])
        onboarding.changes.append(f"made {user.username} a superuser")
    if user.groups.filter(pk=group.pk).exists():
        onboarding.notes.append(f"{user.username} is already in group {group.name!r}")
    else:
        user.groups.add(group)
        onboarding.changes.append(f"added {user.username} to group {group.name!r}")
    return onboarding


# --- An organisation's own editors (the "Organisaation käyttäjät" admin view) ---


def administered_organisations(user):
    """Organisations whose editors this user may manage: their admin group's, or all."""
    organisations = OrganisationPage.objects.filter(locale=Locale.get_default()).exclude(
        editor_group=None
    )
    if not user.is_active:
        return organisations.none()
    if user.is_superuser:
        return organisations.order_by("title")
    return organisations.filter(admin_group__in=user.groups.all()).order_by("title")


def can_manage_editors(user, organisation):
    return administered_organisations(user).filter(pk=organisation.pk).exists()


def organisation_editors(organisation):
    if organisation.editor_group is None:
        return get_user_model().objects.none()
    return organisation.editor_group.user_set.order_by("email", "username")


@transaction.atomic
def add_editor(organisation, email):
    """Add a person (created if missing) to the organisation's editors."""
    user, changes = get_or_create_user(email)
    if not user.groups.filter(pk=organisation.editor_group_id).exists():
        user.groups.add(organisation.editor_group)
        changes.append(f"added {user.username} to group {organisation.editor_group.name!r}")
    return user, changes


def remove_editor(organisation, user):
    """Take a person off the organisation's editors; the account itself stays."""
    user.groups.remove(organisation.editor_group)

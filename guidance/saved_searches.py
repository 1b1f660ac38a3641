"""Saved searches (tallennetut haut): keeping a signed-in user's ``services`` requests.

A saved search holds what a ``services`` request says (query text, filter,
exclusion, locale) under a name, checked as ``services`` checks it (unknown
codes and slugs are errors), so running it later means what it meant when
saved. Alerts about new services are guidance.alerts.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from graphql import GraphQLError

from cms import localisation
from cms.visibility import Visibility
from guidance.models import SavedSearch
from search.filters import CURRENT, UPCOMING, ServiceSearch

NAME_LIMIT = SavedSearch._meta.get_field("name").max_length


def _signed_in(user):
    return user is not None and user.is_authenticated and user.is_active


def owned_by(user):
    return (
        SavedSearch.objects.filter(owner=user) if _signed_in(user) else SavedSearch.objects.none()
    )


def clean_name(name):
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(gettext("The name of a saved search must not be empty."))
    if len(name) > NAME_LIMIT:
        raise ValidationError(
            gettext("The name of a saved search must be at most %(limit)d characters.")
            % {"limit": NAME_LIMIT}
        )
    return name


def request_of(saved, validity=(CURRENT,)):
    """The ``services`` request a saved search stands for, as its owner would send it."""
    try:
        locale = localisation.requested_locale(saved.locale)
    except GraphQLError:  # a content language removed since
        locale = localisation.default_locale()
    return ServiceSearch(
        locale=locale,
        visibility=Visibility(saved.owner),
        text=saved.query,
        filter=dict(saved.filter),
        exclude=dict(saved.exclude),
        validity=validity,
    )


def save(user, name, locale, query="", filter=None, exclude=None, alerts=True):
    """A new saved search of the user's; a GraphQLError (from search.filters) for unknown
    codes or slugs, a ValidationError for a bad name or too many saved searches."""
    if owned_by(user).count() >= settings.SAVED_SEARCHES_PER_USER:
        raise ValidationError(
            gettext("You can keep at most %(limit)d saved searches.")
            % {"limit": settings.SAVED_SEARCHES_PER_USER}
        )
    saved = SavedSearch(
        owner=user,
        name=clean_name(name),
        locale=locale.language_code,
        query=" ".join((query or "").split()),
        filter=filter or {},
        exclude=exclude or {},
        alerts=alerts,
    )
    request_of(saved).validate()
    saved.save()
    return saved


def change(saved, name=None, alerts=None):
    if name is not None:
        saved.name = clean_name(name)
    if alerts is not None:
        saved.alerts = alerts
    saved.save(update_fields=["name", "alerts"])
    return saved


# Alerts also name services that start later (their validity window is ahead).
ALERT_VALIDITY = (CURRENT, UPCOMING)

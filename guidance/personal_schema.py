"""GraphQL of a signed-in user's own settings: ``me { preferences savedSearches }``, mutations.

The settings are fields of ``me`` (added with people.me's ``register_me_fields``
hook), so no answer naming them is ever shared through the answer cache
(cms.response_cache). The mutations refuse anonymous callers. Errors carry
``extensions.code`` as favourites' do: ``UNAUTHENTICATED``, ``NOT_FOUND``
(no such saved search of the caller's), ``BAD_USER_INPUT`` (an empty or too
long name, too many saved searches, an unknown employment area); unknown
codes and slugs in a saved filter are the errors ``services`` gives.
"""

from contextlib import contextmanager

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from graphql import GraphQLError
from grapple.registry import registry

from catalogue.models import EmploymentArea
from cms import localisation
from guidance import personal, saved_searches
from guidance.models import PersonalSettings
from search.schema import Audience, ServiceFilter, plain_filter

UNAUTHENTICATED = "UNAUTHENTICATED"
NOT_FOUND = "NOT_FOUND"
BAD_USER_INPUT = "BAD_USER_INPUT"


def _error(message, code):
    return GraphQLError(message, extensions={"code": code})


@contextmanager
def _user_input():
    try:
        yield
    except ValidationError as error:
        raise _error(" ".join(error.messages), BAD_USER_INPUT) from error


def _signed_in_user(info):
    user = getattr(info.context, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        raise _error(gettext("Sign in to keep personal settings."), UNAUTHENTICATED)
    return user


class ResultView(graphene.Enum):
    """How the caller prefers results shown (PersonalSettings.ResultView)."""

    LIST = PersonalSettings.ResultView.LIST.value
    CARDS = PersonalSettings.ResultView.CARDS.value


class Preferences(graphene.ObjectType):
    """The caller's own settings for the frontends."""

    result_view = graphene.Field(ResultView, required=True)
    home_area = graphene.Field(
        lambda: registry.models[EmploymentArea],
        description="The caller's home area (kotialue); a services request without a filter "
        "lists its municipalities' services.",
    )

    def resolve_result_view(settings, info):
        # A new row holds the default as the choices' member, a saved one as text.
        return getattr(settings.result_view, "value", settings.result_view)

    def resolve_home_area(settings, info):
        return settings.home_area


class SavedServiceFilter(graphene.ObjectType):
    """A saved ServiceFilter, in the same shape, to send back to `services`."""

    municipalities = graphene.List(graphene.NonNull(graphene.String))
    categories = graphene.List(graphene.NonNull(graphene.String))
    life_situations = graphene.List(graphene.NonNull(graphene.String))
    methods = graphene.List(graphene.NonNull(graphene.String))
    languages = graphene.List(graphene.NonNull(graphene.String))
    organisations = graphene.List(graphene.NonNull(graphene.String))
    audience = Audience()
    age = graphene.Int()
    free = graphene.Boolean()
    accessible = graphene.Boolean()


class SavedSearchType(graphene.ObjectType):
    """Tallennettu haku: a named services request, with or without alerts of new services."""

    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    locale = graphene.String(required=True)
    query = graphene.String(required=True, description="The query text; empty for none.")
    filter = graphene.Field(SavedServiceFilter, required=True)
    exclude = graphene.Field(SavedServiceFilter, required=True)
    alerts = graphene.Boolean(
        required=True, description="E-mail the caller when a new service matches."
    )
    created_at = graphene.DateTime(required=True)

    class Meta:
        name = "SavedSearch"


def _resolve_preferences(user, info):
    return personal.settings_of(user)


def _resolve_saved_searches(user, info):
    return list(saved_searches.owned_by(user))


def me_fields():
    """``register_me_fields`` hook."""
    return {
        "preferences": graphene.Field(Preferences, required=True, resolver=_resolve_preferences),
        "saved_searches": graphene.Field(
            graphene.List(graphene.NonNull(SavedSearchType)),
            required=True,
            resolver=_resolve_saved_searches,
            description="The caller's saved searches, oldest first.",
        ),
    }


def _own_saved_search(info, id):
    saved = saved_searches.owned_by(_signed_in_user(info)).filter(pk=_pk(id)).first()
    if saved is None:
        raise _error(gettext("Saved search not found."), NOT_FOUND)
    return saved


def _pk(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class PersonalMutation:
    """``register_schema_mutation`` mixin."""

    set_preferences = graphene.Field(
        graphene.NonNull(Preferences),
        result_view=ResultView(),
        home_area=graphene.String(description="Employment-area code; null clears it."),
        description="Change the caller's settings; arguments left out stay as they are.",
    )
    save_search = graphene.Field(
        graphene.NonNull(SavedSearchType),
        name=graphene.String(required=True),
        query=graphene.String(),
        filter=ServiceFilter(),
        exclude=ServiceFilter(),
        locale=graphene.String(),
        alerts=graphene.Boolean(default_value=True),
        description="Save a services request under a name (checked as services checks it).",
    )
    update_saved_search = graphene.Field(
        graphene.NonNull(SavedSearchType),
        id=graphene.ID(required=True),
        name=graphene.String(),
        alerts=graphene.Boolean(),
        description="Rename a saved search or turn its alerts on or off.",
    )
    delete_saved_search = graphene.Field(
        graphene.NonNull(graphene.ID),
        id=graphene.ID(required=True),
        description="Delete one of the caller's saved searches; returns its id.",
    )

    def resolve_set_preferences(root, info, **arguments):
        user = _signed_in_user(info)
        changes = {}
        if "home_area" in arguments:
            changes["home_area"] = arguments["home_area"]
        if arguments.get("result_view") is not None:
            view = arguments["result_view"]
            changes["result_view"] = getattr(view, "value", view)
        with _user_input():
            return personal.update(user, **changes)

    def resolve_save_search(
        root, info, name, query=None, filter=None, exclude=None, locale=None, alerts=True
    ):
        user = _signed_in_user(info)
        with _user_input():
            return saved_searches.save(
                user,
                name,
                localisation.requested_locale(locale),
                query=query,
                filter=plain_filter(filter),
                exclude=plain_filter(exclude),
                alerts=alerts,
            )

    def resolve_update_saved_search(root, info, id, name=None, alerts=None):
        saved = _own_saved_search(info, id)
        with _user_input():
            return saved_searches.change(saved, name=name, alerts=alerts)

    def resolve_delete_saved_search(root, info, id):
        saved = _own_saved_search(info, id)
        pk = saved.pk
        saved.delete()
        return pk


def add_mutation(mutation_mixins):
    """``register_schema_mutation`` hook."""
    mutation_mixins.append(PersonalMutation)

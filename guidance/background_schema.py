"""The ``myBackgroundData`` root field: the signed-in client's background data.

For a client signed in with strong identification (guidance.client_login),
the data Työmarkkinatori holds about them (guidance.background), in the
shape of the guidance's ``ClientProfile`` input, so that a frontend can show
it to the client and pass what they accept on to ``recommendations``.

Each request fetches afresh and nothing is kept (the answer cache never holds
it either: cms.response_cache lists the field as per caller). Every way of
not getting the data is a GraphQL error with a message for the client and an
``extensions.code`` for the frontend; the rest of the API, the questionnaire
and recommendations included, works the same without it.
"""

import graphene
from django.conf import settings
from django.utils.translation import gettext
from graphql import GraphQLError

from cms import deadline
from guidance import background, client_login
from search.schema import Audience


class BackgroundField(graphene.Enum):
    """A part of the background data that a client may choose to share."""

    AGE = "age"
    MUNICIPALITY = "municipality"
    LANGUAGES = "languages"
    EDUCATION_LEVEL = "education_level"
    COMPETENCES = "competences"
    SERVICE_NEEDS = "service_needs"


class BackgroundLanguage(graphene.ObjectType):
    """Kielitaito: a language the client knows, as the ClientProfile input takes it."""

    code = graphene.String(required=True, description="ISO 639-1 code (serviceLanguages)")
    level = graphene.String(description="NATIVE, FLUENT or BASIC; null when not given")

    def resolve_code(pair, info):
        return pair[0]

    def resolve_level(pair, info):
        return pair[1]


class BackgroundData(graphene.ObjectType):
    """The client's background data from Työmarkkinatori (taustatiedot), never stored.

    The fields and values are those of the ``ClientProfile`` input, so the
    object can be passed on as the profile of ``recommendations``; a part the
    client did not share, Työmarkkinatori does not have or the catalogue has no
    term for is null or empty.
    """

    age = graphene.Int()
    municipality = graphene.String(description="Home municipality's code, e.g. 091")
    languages = graphene.List(graphene.NonNull(BackgroundLanguage), required=True)
    education_level = graphene.String(description="BASIC, UPPER_SECONDARY or HIGHER")
    competences = graphene.List(graphene.NonNull(graphene.String), required=True)
    service_needs = graphene.List(
        graphene.NonNull(graphene.String), required=True, description="Service category slugs"
    )
    audience = graphene.Field(Audience, required=True)

    def resolve_audience(profile, info):
        return Audience.get(profile.audience)


class BackgroundDataQuery:
    """``register_schema_query`` mixin (a plain class, as people.me explains)."""

    my_background_data = graphene.Field(
        BackgroundData,
        share=graphene.List(
            graphene.NonNull(BackgroundField),
            description="The parts the client agrees to share; every part when omitted. "
            "Only these are asked of Työmarkkinatori.",
        ),
        description="The signed-in client's background data from Työmarkkinatori, fetched "
        "for this answer and kept nowhere. An error (with extensions.code) when the caller "
        "is not signed in as a client or the data cannot be had.",
    )

    def resolve_my_background_data(self, info, share=None):
        client = client_login.client_session(info.context)
        if client is None:
            raise GraphQLError(
                gettext(
                    "Sign in with strong identification to fetch your background data from "
                    "Työmarkkinatori."
                ),
                extensions={"code": "CLIENT_NOT_SIGNED_IN"},
            )
        fields = background.FIELDS if share is None else [getattr(f, "value", f) for f in share]
        timeout = settings.TYOMARKKINATORI_PROFILE_TIMEOUT_SECONDS
        if (left := deadline.remaining()) is not None:
            timeout = min(timeout, max(left, 0.1))
        try:
            return background.fetch_profile(client.access_token, fields=fields, timeout=timeout)
        except background.BackgroundDataError as error:
            raise GraphQLError(str(error.message), extensions={"code": error.code}) from None


def add_background_query(query_mixins):
    """``register_schema_query`` hook."""
    query_mixins.append(BackgroundDataQuery)

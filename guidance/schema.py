"""GraphQL of guidance: questionnaires, ``recommendations`` and the share link of a profile.

The root fields are registered from guidance.wagtail_hooks; their shapes are
the frontends' contract (docs/guidance.md). Questionnaires are delivered as
their live version with its revision id, which answers name. Recommended
services are ``ServicePage``s loaded as ``services`` loads them
(catalogue.schema.load_services), so the same visibility rule applies and
signed-in experts get each service's ``instructions``.

A client profile arrives with the request and leaves with the answer: it is
not stored, not logged, and these fields are never kept in the answer cache
(cms.response_cache).
"""

import graphene
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from graphql import GraphQLError
from grapple.registry import registry

from catalogue.models import ServicePage
from catalogue.schema import load_services
from cms import localisation
from cms.delivery_schema import Selection
from cms.visibility import for_request
from guidance import answers, recommendations, sharing
from guidance.profile import EDUCATION_LEVELS, LANGUAGE_LEVELS, bad_input, parse_profile
from search.schema import Audience

UNAUTHENTICATED = "UNAUTHENTICATED"


class QuestionnaireOption(graphene.ObjectType):
    key = graphene.String(required=True)
    label = graphene.String(required=True)


class QuestionnaireQuestion(graphene.ObjectType):
    key = graphene.String(required=True)
    text = graphene.String(required=True)
    help = graphene.String(required=True, description="Plain text; empty when none.")
    multiple = graphene.Boolean(required=True, description="Several options may be chosen.")
    options = graphene.List(graphene.NonNull(QuestionnaireOption), required=True)


class QuestionnaireType(graphene.ObjectType):
    """Palvelutarvekysely, as published: answer it with its key and ``revision``."""

    key = graphene.String(required=True)
    title = graphene.String(required=True)
    intro = graphene.String(required=True, description="Plain text; empty when none.")
    audience = graphene.Field(Audience, required=True)
    locale = graphene.String(required=True, description="The locale it is served in.")
    revision = graphene.ID(
        required=True, description="The published version; answers name it (ClientProfile)."
    )
    questions = graphene.List(graphene.NonNull(QuestionnaireQuestion), required=True)

    class Meta:
        name = "Questionnaire"

    def resolve_audience(questionnaire, info):
        return questionnaire.audience

    def resolve_locale(questionnaire, info):
        return localisation.locale_by_id(questionnaire.locale_id).language_code

    def resolve_revision(questionnaire, info):
        return questionnaire.live_revision_id

    def resolve_questions(questionnaire, info):
        return [
            QuestionnaireQuestion(
                key=question["key"],
                text=question["text"],
                help=question["help"] or "",
                multiple=bool(question["multiple"]),
                options=[
                    QuestionnaireOption(key=option["key"], label=option["label"])
                    for option in question["options"]
                ],
            )
            for question in questionnaire.question_list()
        ]


# --- The client profile --------------------------------------------------------


LanguageLevel = graphene.Enum(
    "LanguageLevel",
    [(level, level) for level in LANGUAGE_LEVELS],
    description="NATIVE, "
    "FLUENT (the default) or BASIC: a service only in languages the client knows a little "
    "fits half as well.",
)
EducationLevel = graphene.Enum(
    "EducationLevel",
    [(level, level) for level in EDUCATION_LEVELS],
    description="The highest completed education: BASIC (comprehensive school or none), "
    "UPPER_SECONDARY (general or vocational), HIGHER.",
)


class LanguageSkill(graphene.InputObjectType):
    code = graphene.String(required=True, description="ISO 639-1 code (serviceLanguages).")
    level = LanguageLevel()


class QuestionAnswer(graphene.InputObjectType):
    question = graphene.String(required=True, description="The question's key.")
    options = graphene.List(
        graphene.NonNull(graphene.String), required=True, description="Keys of chosen options."
    )


class QuestionnaireAnswers(graphene.InputObjectType):
    questionnaire = graphene.String(required=True, description="The questionnaire's key.")
    revision = graphene.ID(required=True, description="Its revision the answers were given to.")
    answers = graphene.List(graphene.NonNull(QuestionAnswer), required=True)


class ClientProfile(graphene.InputObjectType):
    """What is known of a client, for this request only: never stored, never logged.

    Every field is optional; a personal identity code is refused in any of them.
    """

    age = graphene.Int()
    municipality = graphene.String(description='Home municipality code, e.g. "092".')
    languages = graphene.List(graphene.NonNull(LanguageSkill))
    education_level = EducationLevel()
    competences = graphene.List(
        graphene.NonNull(graphene.String),
        description='Free terms ("welding", "digi"), matched against service keywords.',
    )
    service_needs = graphene.List(
        graphene.NonNull(graphene.String), description="Service category slugs."
    )
    life_situations = graphene.List(
        graphene.NonNull(graphene.String), description="Life situation slugs."
    )
    audience = Audience()
    answers = graphene.List(graphene.NonNull(QuestionnaireAnswers))


# --- Recommendations -----------------------------------------------------------


class RecommendationReason(graphene.ObjectType):
    code = graphene.String(
        required=True,
        description="SERVICE_NEED, LIFE_SITUATION, MUNICIPALITY, AGE, LANGUAGE, AUDIENCE "
        "(matched facts and conditions); BOOST, EDUCATION, COMPETENCE and the signals "
        "PRIORITY, EFFECTIVENESS, REGIONAL (lifts).",
    )
    text = graphene.String(required=True, description="For people, in the request's locale.")
    value = graphene.String(description="The term's slug or code, the number, …")
    source = graphene.String(
        description='Where the fact came from: "profile" or '
        '"answer:<questionnaire>/<question>/<option>".'
    )
    contribution = graphene.Float(description="What it added to the score.")


class Recommendation(graphene.ObjectType):
    service = graphene.NonNull(lambda: registry.pages[ServicePage])
    score = graphene.Float(required=True)
    reasons = graphene.List(
        graphene.NonNull(RecommendationReason),
        required=True,
        description="The client's needs and facts the service meets.",
    )
    lifts = graphene.List(
        graphene.NonNull(RecommendationReason),
        required=True,
        description="What lifted it: answers, education, competences, priority, "
        "effectiveness, region.",
    )
    would_exclude = graphene.List(
        graphene.NonNull(RecommendationReason),
        required=True,
        description="The service's conditions: what would rule it out for a client.",
    )


ExclusionReason = graphene.Enum(
    "ExclusionReason", [(reason, reason) for reason in recommendations.EXCLUSION_LABELS]
)


class ExclusionCount(graphene.ObjectType):
    reason = graphene.Field(ExclusionReason, required=True)
    label = graphene.String(required=True)
    count = graphene.Int(required=True)


class Recommendations(graphene.ObjectType):
    locale = graphene.String(required=True)
    total_count = graphene.Int(required=True, description="Every suitable service.")
    items = graphene.List(graphene.NonNull(Recommendation), required=True)
    excluded = graphene.List(
        graphene.NonNull(ExclusionCount),
        required=True,
        description="Services that meet the client's needs but were left out, per reason (a "
        "service may count under several).",
    )


class SharedClientProfile(graphene.ObjectType):
    token = graphene.String(required=True, description="Give it to recommendations(shared:).")
    expires_at = graphene.DateTime(required=True)


class GuidanceQuery(graphene.ObjectType):
    questionnaires = graphene.List(
        graphene.NonNull(QuestionnaireType),
        required=True,
        locale=graphene.String(),
        audience=Audience(),
        description="The published questionnaires, in the locale where translated.",
    )
    questionnaire = graphene.Field(
        graphene.NonNull(QuestionnaireType),
        key=graphene.String(required=True),
        locale=graphene.String(),
        description="One published questionnaire by key, in the locale where translated.",
    )
    recommendations = graphene.Field(
        graphene.NonNull(Recommendations),
        profile=ClientProfile(),
        shared=graphene.String(description="A token from shareClientProfile instead of profile."),
        locale=graphene.String(),
        limit=graphene.Int(default_value=10),
        offset=graphene.Int(default_value=0),
        description="Services that suit the client, best first, with the reasons.",
    )

    def resolve_questionnaires(root, info, locale=None, audience=None):
        questionnaires = localisation.served(
            answers.live_questionnaires(), localisation.requested_locale(locale)
        )
        if audience is not None:
            questionnaires = questionnaires.filter(audience=getattr(audience, "value", audience))
        return list(questionnaires.order_by("title"))

    def resolve_questionnaire(root, info, key, locale=None):
        found = localisation.served(
            answers.live_questionnaires().filter(key=key), localisation.requested_locale(locale)
        ).first()
        if found is None:
            raise bad_input(gettext("Unknown questionnaire '%(key)s'.") % {"key": key[:100]})
        return found

    def resolve_recommendations(root, info, limit, offset, profile=None, shared=None, locale=None):
        if (profile is None) == (shared is None):
            raise bad_input(gettext("Give either profile or shared."))
        if not 1 <= limit <= settings.GUIDANCE_MAX_RECOMMENDATIONS:
            raise bad_input(
                gettext("limit must be between 1 and %(maximum)d.")
                % {"maximum": settings.GUIDANCE_MAX_RECOMMENDATIONS}
            )
        wanted = localisation.requested_locale(locale)
        client = sharing.read_token(shared) if shared is not None else parse_profile(profile)
        chosen = answers.chosen_options(client.answer_sets, wanted)
        outcome = recommendations.recommend(client, chosen, for_request(info.context), wanted)
        # A negative offset, or one past the result window, was refused before execution.
        window = outcome.items[offset : offset + limit]
        services = load_services(
            info, [item.pk for item in window], Selection.of(info, "items", "service")
        )
        by_pk = {service.pk: service for service in services}
        with translation.override(wanted.language_code):
            excluded = [
                ExclusionCount(reason=reason, label=str(label), count=outcome.excluded[reason])
                for reason, label in recommendations.EXCLUSION_LABELS.items()
                if outcome.excluded[reason]
            ]
        return Recommendations(
            locale=wanted.language_code,
            total_count=len(outcome.items),
            items=[
                Recommendation(
                    service=by_pk[item.pk],
                    score=item.score,
                    reasons=item.reasons,
                    lifts=item.lifts,
                    would_exclude=item.would_exclude,
                )
                for item in window
                if item.pk in by_pk
            ],
            excluded=excluded,
        )


class GuidanceMutation(graphene.ObjectType):
    share_client_profile = graphene.Field(
        graphene.NonNull(SharedClientProfile),
        profile=ClientProfile(required=True),
        description="A signed link token holding the profile, for signed-in users (experts); "
        "nothing is stored.",
    )

    def resolve_share_client_profile(root, info, profile):
        user = getattr(info.context, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            raise GraphQLError(
                gettext("Sign in to share a client's profile."),
                extensions={"code": UNAUTHENTICATED},
            )
        client = parse_profile(profile)
        answers.chosen_options(client.answer_sets, localisation.default_locale())
        token, expires = sharing.share_token(client)
        return SharedClientProfile(token=token, expires_at=expires)


def add_query(query_mixins):
    """``register_schema_query`` hook."""
    query_mixins.append(GuidanceQuery)


def add_mutation(mutation_mixins):
    """``register_schema_mutation`` hook."""
    mutation_mixins.append(GuidanceMutation)

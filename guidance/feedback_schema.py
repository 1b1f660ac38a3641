"""GraphQL for feedback: the two mutations that give it and ``feedbackSummary`` on services.

Anyone may give feedback, anonymously, on what they may see; the API never
returns feedback texts, to anyone — only the aggregates (``feedbackSummary``).
The texts are read in the admin by those responsible for the service
(guidance.permissions). Errors carry ``extensions.code`` as the rest of the
API does (favourites.schema): ``BAD_USER_INPUT`` (a rating outside 1–5, a text
too long, no or too many services, a malformed questionnaire key),
``NOT_FOUND`` (a service the caller cannot see, named in the message) and
``TOO_MANY_REQUESTS`` (past ``RATE_LIMIT_FEEDBACK``, with
``extensions.retryAfter`` in seconds). The message is in the caller's language.
"""

import graphene
from graphql import GraphQLError
from grapple.registry import registry

from catalogue.models import ServicePage
from cms.delivery_schema import batched
from guidance import feedback


def _refused(error):
    extensions = {"code": error.code}
    if error.retry_after is not None:
        extensions["retryAfter"] = error.retry_after
    return GraphQLError(error.message, extensions=extensions)


class FeedbackSummary(graphene.ObjectType):
    """All feedback on a service, as numbers only (never the texts)."""

    count = graphene.Int(required=True, description="usefulCount + notUsefulCount + ratingCount.")
    useful_count = graphene.Int(required=True, description="Answers: the service was useful.")
    not_useful_count = graphene.Int(required=True, description="Answers: it was not useful.")
    useful_share = graphene.Float(
        description="usefulCount of the answers, 0..1; null without answers."
    )
    rating_count = graphene.Int(
        required=True, description="Rated recommendation sets that included the service."
    )
    mean_rating = graphene.Float(description="Their mean rating, 1..5; null without ratings.")


def _summaries(pages, visibility):
    found = feedback.aggregates(pages)
    return {page.pk: found.get(page.key, feedback.Aggregate()) for page in pages}


def _resolve_summary(page, info, **kwargs):
    return batched(page, info, "feedback_summary", _summaries, feedback.Aggregate())


class FeedbackMutation(graphene.ObjectType):
    """Anonymous feedback: each returns true once the feedback is stored."""

    give_service_feedback = graphene.Field(
        graphene.NonNull(graphene.Boolean),
        args={
            "service_key": graphene.String(required=True),
            "useful": graphene.Boolean(required=True),
            "text": graphene.String(description="Optional, at most FEEDBACK_MAX_TEXT characters."),
        },
        description="Was this service useful? Anonymous; services the caller may see only.",
    )
    give_recommendation_feedback = graphene.Field(
        graphene.NonNull(graphene.Boolean),
        args={
            "rating": graphene.Int(required=True, description="1 (poor) to 5 (excellent)."),
            "service_keys": graphene.List(
                graphene.NonNull(graphene.String),
                required=True,
                description="The recommended services' keys, in the order recommended.",
            ),
            "text": graphene.String(description="Optional, at most FEEDBACK_MAX_TEXT characters."),
            "questionnaire_key": graphene.String(
                description="The questionnaire the recommendations came from, if any."
            ),
            "questionnaire_revision": graphene.Int(description="Its revision, with its key."),
        },
        description="Rate a set of recommended services. Anonymous: no answers or profile "
        "data are sent or stored.",
    )

    def resolve_give_service_feedback(root, info, service_key, useful, text=None):
        try:
            feedback.give_service_feedback(info.context, service_key, useful, text)
        except feedback.FeedbackRefused as error:
            raise _refused(error) from None
        return True

    def resolve_give_recommendation_feedback(
        root,
        info,
        rating,
        service_keys,
        text=None,
        questionnaire_key=None,
        questionnaire_revision=None,
    ):
        try:
            feedback.give_recommendation_feedback(
                info.context,
                rating,
                service_keys,
                text=text,
                questionnaire_key=questionnaire_key,
                questionnaire_revision=questionnaire_revision,
            )
        except feedback.FeedbackRefused as error:
            raise _refused(error) from None
        return True


def add_service_fields(query_mixins):
    """``register_schema_query`` hook: adds ``feedbackSummary`` to the service type built
    by grapple (as guidance.effectiveness_schema adds ``effectivenessFigures``)."""
    registry.pages[ServicePage]._meta.fields["feedback_summary"] = graphene.Field(
        graphene.NonNull(FeedbackSummary),
        resolver=_resolve_summary,
        description="What people have said of the service, as numbers (the same in every "
        "language of the service).",
    )


def add_mutation(mutation_mixins):
    """``register_schema_mutation`` hook."""
    mutation_mixins.append(FeedbackMutation)

"""Registrations only: the guidance root fields and mutation (guidance.schema), the
questionnaires' admin and its policy, and the recommendation weights setting."""

from wagtail import hooks
from wagtail.contrib.settings.registry import register_setting
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from guidance import questionnaire_admin, schema
from guidance.models import Questionnaire, RecommendationWeights

hooks.register("register_schema_query", schema.add_query)
hooks.register("register_schema_mutation", schema.add_mutation)

register_permission_policy(
    Questionnaire, questionnaire_admin.ProducersAndAdministrators(Questionnaire)
)
register_snippet(questionnaire_admin.QuestionnaireViewSet)
register_setting(RecommendationWeights, icon="sliders")

"""Registrations only: the guidance root fields and mutations, the questionnaires' admin
and its policy, the recommendation weights setting, effectiveness figures and feedback on
the service type, the figures' admin and import, the coverage and feedback reports, the
landing pages' and personal settings' GraphQL fields, the search hooks (personal defaults,
anonymous statistics), the account settings panel and the Reports → Hakuongelmat report."""

from wagtail import hooks
from wagtail.contrib.settings.registry import register_setting
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from guidance import (
    account_settings,
    background_schema,
    effectiveness_admin,
    effectiveness_schema,
    feedback_admin,
    feedback_schema,
    landing_schema,
    personal,
    personal_schema,
    questionnaire_admin,
    schema,
    search_log,
    search_log_schema,
    search_problems,
)
from guidance.models import EffectivenessFigure, Questionnaire, RecommendationWeights
from guidance.permissions import ProducersAndAdministrators

hooks.register("register_schema_query", schema.add_query)
hooks.register("register_schema_mutation", schema.add_mutation)
hooks.register("register_schema_query", effectiveness_schema.add_service_fields)
hooks.register("register_schema_query", feedback_schema.add_service_fields)
hooks.register("register_schema_mutation", feedback_schema.add_mutation)
hooks.register("register_schema_query", background_schema.add_background_query)

register_permission_policy(
    Questionnaire, questionnaire_admin.ProducersAndAdministrators(Questionnaire)
)
register_snippet(questionnaire_admin.QuestionnaireViewSet)
register_setting(RecommendationWeights, icon="sliders")

register_permission_policy(EffectivenessFigure, ProducersAndAdministrators(EffectivenessFigure))
hooks.register("register_admin_viewset", effectiveness_admin.EffectivenessFigureViewSet)
hooks.register("register_admin_urls", effectiveness_admin.admin_urls)
hooks.register("register_reports_menu_item", effectiveness_admin.coverage_menu_item)
hooks.register("register_page_header_buttons", effectiveness_admin.page_header_buttons)

hooks.register("register_admin_urls", feedback_admin.admin_urls)
hooks.register("register_reports_menu_item", feedback_admin.menu_item)
hooks.register("register_page_header_buttons", feedback_admin.page_header_buttons)

hooks.register("register_schema_query", landing_schema.add_query)
hooks.register("register_schema_mutation", personal_schema.add_mutation)
hooks.register("register_schema_mutation", search_log_schema.add_mutation)
hooks.register("register_me_fields", personal_schema.me_fields)
hooks.register("service_search_defaults", personal.service_search_defaults)
hooks.register("search_performed", search_log.record_search)
hooks.register("register_account_settings_panel", account_settings.PersonalSettingsPanel)
hooks.register("register_admin_urls", search_problems.admin_urls)
hooks.register("register_reports_menu_item", search_problems.menu_item)

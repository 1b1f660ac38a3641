"""Registrations only: effectiveness figures and feedback on the service type, the feedback
mutations, the figures' admin and import, the coverage and feedback reports, and the
``myBackgroundData`` root field."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from guidance import (
    background_schema,
    effectiveness_admin,
    effectiveness_schema,
    feedback_admin,
    feedback_schema,
)
from guidance.models import EffectivenessFigure
from guidance.permissions import ProducersAndAdministrators

hooks.register("register_schema_query", effectiveness_schema.add_service_fields)
hooks.register("register_schema_query", feedback_schema.add_service_fields)
hooks.register("register_schema_mutation", feedback_schema.add_mutation)
hooks.register("register_schema_query", background_schema.add_background_query)

register_permission_policy(EffectivenessFigure, ProducersAndAdministrators(EffectivenessFigure))
hooks.register("register_admin_viewset", effectiveness_admin.EffectivenessFigureViewSet)
hooks.register("register_admin_urls", effectiveness_admin.admin_urls)
hooks.register("register_reports_menu_item", effectiveness_admin.coverage_menu_item)
hooks.register("register_page_header_buttons", effectiveness_admin.page_header_buttons)

hooks.register("register_admin_urls", feedback_admin.admin_urls)
hooks.register("register_reports_menu_item", feedback_admin.menu_item)
hooks.register("register_page_header_buttons", feedback_admin.page_header_buttons)

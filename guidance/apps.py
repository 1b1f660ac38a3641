from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidanceConfig(AppConfig):
    """Guiding clients to suitable, effective services: questionnaires, recommendations
    with reasons, effectiveness, feedback, the employer view and personalisation."""

    name = "guidance"
    verbose_name = _("Ohjaus")

    def ready(self):
        from grapple.actions import register_page_model
        from wagtail.signals import page_published

        from cms import content_generation, response_cache
        from guidance import alerts, landing, personal
        from guidance.models import LANDING_PAGE_TYPES, EffectivenessFigure
        from people.site_tree import site_tree_ensured

        # The landing pages are delivered pages, so the generic page fields (pages,
        # page, children, search, preview) need GraphQL types for them, as for the
        # catalogue's; guidance's other models are no public types, so the app is not
        # one of GRAPPLE["APPS"]. Registered before grapple's ready() builds the types
        # (guidance comes before grapple in INSTALLED_APPS).
        for model in LANDING_PAGE_TYPES:
            register_page_model(model, "")
        # Landing pages are part of the fixed tree.
        site_tree_ensured.connect(landing.site_tree_ensured, dispatch_uid="guidance.landing")
        # Saved-search alerts: publications go into the outbox, alerts after the commit.
        page_published.connect(alerts.service_published, dispatch_uid="guidance.alerts")
        # A home area changes the answers of services requests without a filter.
        response_cache.vary_on(personal.cache_variant)
        # Services deliver their figures: a changed figure retires cached answers.
        # Feedback does not: anyone may give it, and it must not empty the cache at will.
        content_generation.track(EffectivenessFigure)

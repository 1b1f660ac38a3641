"""Reports → Palaute: feedback per service for those responsible for the services.

The listing shows the services whose feedback the user may read
(guidance.permissions) that have any, with the numbers; a service's page
shows its feedback with the texts. A service's editor also reaches it from
the "Palaute" entry in the page's header menu.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext, gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Locale

from catalogue.models import OrganisationPage, ServicePage
from guidance.feedback import Aggregate, aggregates
from guidance.models import RecommendationFeedback, RecommendedService, ServiceFeedback
from guidance.permissions import (
    may_read_any_feedback,
    may_read_feedback,
    may_remove_feedback,
    services_with_readable_feedback,
)

TITLE = gettext_lazy("Palaute")
SHOWN = 100  # the latest feedback items of each kind on a service's page


def _organisation_titles(services):
    parents = {service.path[: -ServicePage.steplen] for service in services}
    return dict(OrganisationPage.objects.filter(path__in=parents).values_list("path", "title"))


class FeedbackReportView(WagtailAdminTemplateMixin, TemplateView):
    """The services the user may read feedback of that have feedback, most feedback first."""

    page_title = TITLE
    header_icon = "comment"
    template_name = "guidance/feedback_report.html"

    def dispatch(self, request, *args, **kwargs):
        if not may_read_any_feedback(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        readable = services_with_readable_feedback(self.request.user)
        with_feedback = ServiceFeedback.objects.filter(service__in=readable).values("service")
        in_sets = RecommendedService.objects.filter(service__in=readable).values("service")
        services = list(
            ServicePage.objects.filter(Q(pk__in=with_feedback) | Q(pk__in=in_sets)).only(
                "key", "title", "path"
            )
        )
        found = aggregates(services)
        organisations = _organisation_titles(services)
        rows = [
            {
                "service": service,
                "organisation": organisations.get(service.path[: -ServicePage.steplen], ""),
                "feedback": found.get(service.key, Aggregate()),
            }
            for service in services
        ]
        rows.sort(key=lambda row: (-row["feedback"].count, row["service"].title))
        return super().get_context_data(rows=rows, **kwargs)


class ServiceFeedbackView(WagtailAdminTemplateMixin, TemplateView):
    """One service's feedback: the numbers, and the latest answers and ratings with texts."""

    page_title = TITLE
    header_icon = "comment"
    template_name = "guidance/service_feedback.html"

    def dispatch(self, request, service_id, *args, **kwargs):
        self.service = get_object_or_404(ServicePage, pk=service_id, locale=Locale.get_default())
        if not may_read_feedback(request.user, self.service):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.service.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("guidance_feedback_report"), "label": TITLE},
            {"url": "", "label": self.service.title},
        ]

    def _ratings(self):
        ratings = list(
            RecommendationFeedback.objects.filter(recommended__service=self.service)
            .prefetch_related("recommended__service")
            .distinct()[:SHOWN]
        )
        everything = {item.service_id for rating in ratings for item in rating.recommended.all()}
        readable = set(
            services_with_readable_feedback(self.request.user)
            .filter(pk__in=everything)
            .values_list("pk", flat=True)
        )
        for rating in ratings:
            services = [item.service for item in rating.recommended.all()]
            rating.recommended_services = services
            # A set's text may speak of any service in it.
            rating.text_shown = all(service.pk in readable for service in services)
        return ratings

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            service=self.service,
            feedback=aggregates([self.service]).get(self.service.key, Aggregate()),
            answers=ServiceFeedback.objects.filter(service=self.service)[:SHOWN],
            ratings=self._ratings(),
            shown=SHOWN,
            may_remove=may_remove_feedback(self.request.user),
            **kwargs,
        )


class RemoveFeedbackView(View):
    """Remove one feedback item (POST): an answer on the service, or a whole rated set."""

    # What each kind of item is, and how it concerns the service.
    kinds = {
        "answer": (ServiceFeedback, "service_id"),
        "rating": (RecommendationFeedback, "recommended__service_id"),
    }

    def post(self, request, service_id, kind, feedback_id):
        if not may_remove_feedback(request.user) or kind not in self.kinds:
            raise PermissionDenied
        model, concerns = self.kinds[kind]
        items = model.objects.filter(pk=feedback_id, **{concerns: service_id})
        get_object_or_404(items.distinct()).delete()
        messages.success(request, gettext("Palaute poistettu."))
        return redirect("guidance_service_feedback", service_id)


class FeedbackMenuItem(MenuItem):
    def is_shown(self, request):
        return may_read_any_feedback(request.user)


def menu_item():
    """``register_reports_menu_item`` hook."""
    return FeedbackMenuItem(
        TITLE, reverse("guidance_feedback_report"), name="feedback", icon_name="comment", order=1330
    )


class ServiceFeedbackMenuItem(PageMenuItem):
    """ "Palaute" in a Finnish service's header menu, for those who may read its feedback."""

    label = TITLE
    icon_name = "comment"
    url_name = "guidance_service_feedback"

    def is_shown(self, user):
        return (
            issubclass(self.page.specific_class, ServicePage)
            and self.page.locale_id == Locale.get_default().pk
            and may_read_feedback(user, self.page)
        )


def page_header_buttons(page, user, view_name, next_url=None):
    """``register_page_header_buttons`` hook."""
    yield ServiceFeedbackMenuItem(page=page, priority=67)


def admin_urls():
    """``register_admin_urls`` hook."""
    return [
        path("reports/feedback/", FeedbackReportView.as_view(), name="guidance_feedback_report"),
        path(
            "reports/feedback/<int:service_id>/",
            ServiceFeedbackView.as_view(),
            name="guidance_service_feedback",
        ),
        path(
            "reports/feedback/<int:service_id>/remove/<str:kind>/<int:feedback_id>/",
            RemoveFeedbackView.as_view(),
            name="guidance_remove_feedback",
        ),
    ]

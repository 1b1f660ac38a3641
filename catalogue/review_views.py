"""Admin side of review reminders: the dashboard panel and the "mark reviewed" action.

Editors see the services due in their own scope — the pages Wagtail's page
permissions let them edit — so a provider editor sees their organisation's
services and a content producer the whole catalogue. Marking a review is a
POST to one view; its GET shows a confirmation, so links (the page header's
"more" menu) never change anything.
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Locale
from wagtail.permissions import page_permission_policy

from catalogue.models import ServicePage
from catalogue.reviews import DATE_FORMAT, mark_reviewed, services_due, source_services

UPCOMING_DAYS = 14
PANEL_LIMIT = 50


class ServicesDueForReviewPanel(Component):
    """Dashboard panel "Tarkistettavat palvelut": due or soon-due services the user can edit."""

    name = "services_due_for_review"
    template_name = "catalogue/admin/services_due_for_review_panel.html"
    order = 100  # above Wagtail's own workflow and recent-edits panels

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        today = timezone.localdate()
        scope = page_permission_policy.instances_user_has_permission_for(request.user, "change")
        due = services_due(on=today + timedelta(days=UPCOMING_DAYS), queryset=scope)
        rows = [
            {
                "service": service,
                "overdue": service.due_date < today,
                "mark_reviewed_url": reverse("catalogue_mark_reviewed", args=[service.page_id]),
            }
            for service in due[:PANEL_LIMIT]
        ]
        return {
            "rows": rows,
            "more": len(due) - len(rows),
            "upcoming_days": UPCOMING_DAYS,
            "date_format": DATE_FORMAT,
            "next_url": reverse("wagtailadmin_home"),
            "request": request,
            "csrf_token": parent_context["csrf_token"],
        }


def add_dashboard_panel(request, panels):
    panels.append(ServicesDueForReviewPanel())


class MarkReviewedView(WagtailAdminTemplateMixin, TemplateView):
    """Merkitse tarkistetuksi: GET asks for confirmation, POST records today's review."""

    http_method_names = ["get", "post"]
    template_name = "catalogue/admin/confirm_mark_reviewed.html"
    page_title = gettext_lazy("Merkitse tarkistetuksi")
    header_icon = "calendar-check"

    def dispatch(self, request, page_id):
        # Only the Finnish source carries the review state; translations follow it.
        self.page = get_object_or_404(source_services(), pk=page_id)
        if not self.page.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        return super().dispatch(request, page_id)

    def get_page_subtitle(self):
        return self.page.get_admin_display_title()

    def get_breadcrumbs_items(self):
        edit_url = reverse("wagtailadmin_pages:edit", args=[self.page.pk])
        return self.breadcrumbs_items + [
            {"url": edit_url, "label": self.page.get_admin_display_title()},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_next_url(self):
        return get_valid_next_url_from_request(self.request) or reverse(
            "wagtailadmin_pages:edit", args=[self.page.pk]
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            page=self.page,
            due_date=self.page.review_due_at,
            date_format=DATE_FORMAT,
            translation_count=self.page.get_translations().count(),
            next_url=self.get_next_url(),
            **kwargs,
        )

    def post(self, request, page_id):
        mark_reviewed(self.page, request.user)
        messages.success(
            request,
            gettext("Palvelu ”%(title)s” merkitty tarkistetuksi.")
            % {"title": self.page.get_admin_display_title()},
        )
        return redirect(self.get_next_url())


def admin_urls():
    return [
        path(
            "catalogue/services/<int:page_id>/mark-reviewed/",
            MarkReviewedView.as_view(),
            name="catalogue_mark_reviewed",
        )
    ]


class MarkReviewedMenuItem(PageMenuItem):
    """The "Merkitse tarkistetuksi" entry in a Finnish service's header "more" menu."""

    label = gettext_lazy("Merkitse tarkistetuksi")
    icon_name = "calendar-check"
    url_name = "catalogue_mark_reviewed"

    def is_shown(self, user):
        return (
            issubclass(self.page.specific_class, ServicePage)
            and self.page.locale_id == Locale.get_default().pk
            and self.page.permissions_for_user(user).can_edit()
        )


def page_header_buttons(page, user, view_name, next_url=None):
    yield MarkReviewedMenuItem(page=page, next_url=next_url, priority=62)

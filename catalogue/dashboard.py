"""Dashboard panel "Keskeneräiset palvelut": unpublished work in the user's own scope.

A provider editor sees their organisation's services, a producer the whole
catalogue: the scope is the pages Wagtail's page permissions let the user
edit, as in the review reminders panel. What awaits the user's own review is
Wagtail's workflow panel; overdue reviews are catalogue.review_views.
"""

from django.utils.translation import gettext_lazy
from wagtail.admin.ui.components import Component
from wagtail.models import Page
from wagtail.permissions import page_permission_policy

from catalogue.models import ServicePage

PANEL_LIMIT = 20

NEVER_PUBLISHED = gettext_lazy("Ei julkaistu")
CHANGES_UNPUBLISHED = gettext_lazy("Julkaisemattomia muutoksia")
IN_REVIEW = gettext_lazy("Tarkistettavana")


def drafts_in_scope(user):
    """Services the user may edit that have work not yet live, latest edit first."""
    scope = page_permission_policy.instances_user_has_permission_for(user, "change")
    return (
        ServicePage.objects.filter(pk__in=scope.values("pk"), has_unpublished_changes=True)
        .select_related("locale", "latest_revision__user")
        .order_by("-latest_revision_created_at", "pk")
    )


class UnpublishedServicesPanel(Component):
    name = "unpublished_services"
    template_name = "catalogue/admin/unpublished_services_panel.html"
    order = 110  # after the review reminders, above Wagtail's own panels

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        drafts = drafts_in_scope(request.user)
        pages = list(drafts[:PANEL_LIMIT])
        in_review = set(
            # On the base Page model: the generic relation matches the base content type.
            Page.objects.filter(
                pk__in=[page.pk for page in pages],
                _workflow_states__status="in_progress",
            ).values_list("pk", flat=True)
        )
        rows = [
            {
                "page": page,
                "state": IN_REVIEW
                if page.pk in in_review
                else (CHANGES_UNPUBLISHED if page.live else NEVER_PUBLISHED),
                "editor": page.latest_revision.user if page.latest_revision else None,
            }
            for page in pages
        ]
        return {"rows": rows, "more": max(drafts.count() - len(rows), 0)}


def add_dashboard_panel(request, panels):
    panels.append(UnpublishedServicesPanel())

"""Reports → Hakuongelmat: searches that found nothing and searches whose results nobody opened.

For content producers and administrators, from the anonymous weekly counts
of guidance.search_log: each week's totals (the baseline of the plan's
"search problems halved"), and for one week the problem queries, each with a
link to the synonym form prefilled with it (for those who may add synonyms:
the administrators).
"""

from datetime import date
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from guidance import search_log
from people.me import user_roles

TITLE = gettext_lazy("Hakuongelmat")
READERS = {"administrator", "producer"}


def may_read(user):
    return any(role.kind in READERS for role in user_roles(user))


def synonym_url(statistic):
    """The synonym form, prefilled with the query, its language and audience."""
    query = urlencode(
        {
            "terms": f"{statistic.query}, ",
            "language": statistic.language,
            "audience": statistic.audience,
        }
    )
    return f"{reverse('wagtailsnippets_search_synonym:add')}?{query}"


class SearchProblemsReportView(WagtailAdminTemplateMixin, TemplateView):
    page_title = TITLE
    header_icon = "search"
    template_name = "guidance/search_problems_report.html"

    def dispatch(self, request, *args, **kwargs):
        if not may_read(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def _chosen_week(self, weeks):
        try:
            wanted = date.fromisoformat(self.request.GET.get("week", ""))
        except ValueError:
            wanted = None
        chosen = next((week for week in weeks if week.week == wanted), None)
        return chosen or weeks[0]

    def get_context_data(self, **kwargs):
        weeks = search_log.weeks()
        chosen = self._chosen_week(weeks)
        zero, unopened = search_log.problem_queries(chosen.week)
        may_add_synonyms = self.request.user.has_perm("search.add_synonym")
        for statistic in (*zero, *unopened):
            statistic.synonym_url = synonym_url(statistic) if may_add_synonyms else None
        return super().get_context_data(
            weeks=weeks,
            chosen=chosen,
            zero_result_queries=zero,
            unopened_queries=unopened,
            may_add_synonyms=may_add_synonyms,
            **kwargs,
        )


class ReadersMenuItem(MenuItem):
    def is_shown(self, request):
        return may_read(request.user)


def menu_item():
    """``register_reports_menu_item`` hook."""
    return ReadersMenuItem(
        TITLE,
        reverse("guidance_search_problems"),
        name="search-problems",
        icon_name="search",
        order=1320,
    )


def admin_urls():
    """``register_admin_urls`` hook."""
    return [
        path(
            "reports/search-problems/",
            SearchProblemsReportView.as_view(),
            name="guidance_search_problems",
        )
    ]

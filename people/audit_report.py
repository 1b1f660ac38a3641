"""Reports → Tietoturvaloki: the audit log (people.models.AuditEvent) for administrators.

A Wagtail report with filters (event, time, user name, IP address) and
Wagtail's CSV and Excel export of the filtered events, for a security review.
Only superusers (the administrators) see it: it names who tried to sign in
from where. In the CSV export a value that a spreadsheet would run as a
formula (a user name typed as ``=HYPERLINK(…)`` on the sign-in page, say) is
prefixed with an apostrophe; Wagtail's Excel export already stores such
values as text.
"""

import json

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.forms import CheckboxSelectMultiple
from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView

from people.models import AuditEvent

TITLE = gettext_lazy("Tietoturvaloki")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def may_read_audit_log(user):
    return user.is_active and user.is_superuser


class AuditEventFilterSet(WagtailFilterSet):
    action = django_filters.MultipleChoiceFilter(
        label=gettext_lazy("Tapahtuma"),
        choices=AuditEvent.Action.choices,
        widget=CheckboxSelectMultiple,
    )
    time = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Aika"), widget=DateRangePickerWidget
    )
    username = django_filters.CharFilter(
        label=gettext_lazy("Käyttäjätunnus (tekijä tai kohde)"), method="filter_username"
    )
    ip_address = django_filters.CharFilter(
        label=gettext_lazy("IP-osoite"), lookup_expr="startswith"
    )

    class Meta:
        model = AuditEvent
        fields = []

    def filter_username(self, queryset, name, value):
        return queryset.filter(
            Q(actor_username__icontains=value) | Q(target_username__icontains=value)
        )


def _json(value):
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class AuditReportView(ReportView):
    page_title = TITLE
    header_icon = "lock"
    index_url_name = "people_audit_log"
    index_results_url_name = "people_audit_log_results"
    filterset_class = AuditEventFilterSet
    export_filename = "tietoturvaloki"
    columns = [
        Column("time", label=gettext_lazy("Aika")),
        Column("get_action_display", label=gettext_lazy("Tapahtuma")),
        Column("actor_username", label=gettext_lazy("Tekijä")),
        Column("target_username", label=gettext_lazy("Kohde")),
        Column("ip_address", label=gettext_lazy("IP-osoite")),
        Column("summary", label=gettext_lazy("Tiedot")),
    ]
    list_export = [
        "time",
        "action",
        "actor_username",
        "target_username",
        "ip_address",
        "details",
    ]
    export_headings = {
        "time": gettext_lazy("Aika"),
        "action": gettext_lazy("Tapahtuma"),
        "actor_username": gettext_lazy("Tekijä"),
        "target_username": gettext_lazy("Kohde"),
        "ip_address": gettext_lazy("IP-osoite"),
        "details": gettext_lazy("Tiedot"),
    }
    custom_field_preprocess = {
        "details": {ReportView.FORMAT_CSV: _json, ReportView.FORMAT_XLSX: _json},
    }

    def dispatch(self, request, *args, **kwargs):
        if not may_read_audit_log(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return AuditEvent.objects.all()

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if (
            export_format == self.FORMAT_CSV
            and isinstance(value, str)
            and value.startswith(FORMULA_PREFIXES)
        ):
            return "'" + value
        return value


class AuditReportMenuItem(MenuItem):
    def is_shown(self, request):
        return may_read_audit_log(request.user)


def menu_item():
    """``register_reports_menu_item`` hook."""
    return AuditReportMenuItem(
        TITLE, reverse("people_audit_log"), name="audit-log", icon_name="lock", order=1200
    )


def admin_urls():
    """``register_admin_urls`` hook."""
    return [
        path("reports/audit-log/", AuditReportView.as_view(), name="people_audit_log"),
        path(
            "reports/audit-log/results/",
            AuditReportView.as_view(results_only=True),
            name="people_audit_log_results",
        ),
    ]

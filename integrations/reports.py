"""Reports → Integraatiot and Reports → Mittarit: the interfaces' health and the plan's figures.

Shown to administrators and content producers (those who may edit the
Finnish catalogue as a whole); provider editors and translators get neither
the menu items nor the views.
"""

import csv

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Locale

from catalogue.models import ServiceCatalogueIndexPage
from integrations import health, kpi

TITLE = gettext_lazy("Integraatiot")
KPI_TITLE = gettext_lazy("Mittarit")


def may_see_integrations(user):
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    catalogue = ServiceCatalogueIndexPage.objects.filter(locale=Locale.get_default()).first()
    return catalogue is not None and catalogue.permissions_for_user(user).can_edit()


class ProducersOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not may_see_integrations(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class IntegrationsReportView(ProducersOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    page_title = TITLE
    header_icon = "link-external"
    template_name = "integrations/integrations_report.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(interfaces=health.interfaces(), **kwargs)


class KpiReportView(ProducersOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    page_title = KPI_TITLE
    header_icon = "list-ul"
    template_name = "integrations/kpi_report.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "csv":
            return kpi_csv(kpi.figures())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(figures=kpi.figures(), **kwargs)


def kpi_csv(figures):
    today = timezone.localdate().isoformat()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mittarit-{today}.csv"'
    response.write("\ufeff")  # so that spreadsheets read the file as UTF-8
    writer = csv.writer(response)
    writer.writerow(
        [
            gettext("Päivä"),
            gettext("Tunniste"),
            gettext("Mittari"),
            gettext("Määrä"),
            gettext("Kaikkiaan"),
            gettext("Osuus %"),
            gettext("Tavoite"),
        ]
    )
    for figure in figures:
        writer.writerow(
            [
                today,
                figure.key,
                str(figure.label),
                figure.count,
                "" if figure.total is None else figure.total,
                "" if figure.share is None else figure.share,
                str(figure.goal),
            ]
        )
    return response


class ProducersMenuItem(MenuItem):
    def is_shown(self, request):
        return may_see_integrations(request.user)


def menu_item():
    """``register_reports_menu_item`` hook."""
    return ProducersMenuItem(
        TITLE,
        reverse("integrations_report"),
        name="integrations",
        icon_name="link-external",
        order=1300,
    )


def kpi_menu_item():
    """``register_reports_menu_item`` hook."""
    return ProducersMenuItem(
        KPI_TITLE, reverse("integrations_kpi"), name="kpi", icon_name="list-ul", order=1310
    )


def admin_urls():
    """``register_admin_urls`` hook."""
    return [
        path("reports/integrations/", IntegrationsReportView.as_view(), name="integrations_report"),
        path("reports/kpi/", KpiReportView.as_view(), name="integrations_kpi"),
    ]

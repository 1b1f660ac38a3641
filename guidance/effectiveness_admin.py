"""The admin of effectiveness figures: their listing and editor, the CSV import, and
Reports → Vaikuttavuus ja priorisointi (the coverage report).

All of it is for producers and administrators (guidance.permissions).
"""

import django_filters
from django import forms
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.models import Locale

from catalogue.models import ServicePage
from guidance import effectiveness
from guidance.effectiveness_import import EffectivenessImportError, import_figures
from guidance.models import EffectivenessFigure, Measure, Unit
from guidance.permissions import may_maintain_figures

FIGURES_TITLE = _("Vaikuttavuusluvut")
IMPORT_TITLE = _("Tuo vaikuttavuusluvut")
COVERAGE_TITLE = _("Vaikuttavuus ja priorisointi")
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class ProducersOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not may_maintain_figures(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class FigureFilterSet(WagtailFilterSet):
    service = django_filters.CharFilter(
        label=_("Palvelun tunniste"), field_name="service__key", lookup_expr="exact"
    )
    measure = django_filters.ChoiceFilter(label=_("Mittari"), choices=Measure.choices)
    unit = django_filters.ChoiceFilter(label=_("Yksikkö"), choices=Unit.choices)

    class Meta:
        model = EffectivenessFigure
        fields = []


class FigureIndexView(IndexView):
    @cached_property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton(
                IMPORT_TITLE, url=reverse("guidance_import_effectiveness"), icon_name="upload"
            ),
        ]


class EffectivenessFigureViewSet(ModelViewSet):
    model = EffectivenessFigure
    name = "effectiveness_figures"
    icon = "tasks"
    menu_label = FIGURES_TITLE
    menu_order = 250
    add_to_admin_menu = True
    index_view_class = FigureIndexView
    filterset_class = FigureFilterSet
    search_fields = ["service__title", "source"]
    list_display = [
        TitleColumn("service", label=_("Palvelu"), url_name="effectiveness_figures:edit"),
        Column("get_measure_display", label=_("Mittari")),
        Column("value", label=_("Arvo")),
        Column("get_unit_display", label=_("Yksikkö")),
        DateColumn("period_start", label=_("Jakso alkaen")),
        DateColumn("period_end", label=_("Jakso päättyen")),
        Column("source", label=_("Lähde")),
    ]

    def get_queryset(self, request):
        return EffectivenessFigure.objects.select_related("service")

    def get_permissions_to_register(self):
        # Nothing for the group editor: the rights on the catalogue decide (guidance.permissions).
        return Permission.objects.none()


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV-tiedosto"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Tiedosto on liian suuri (enintään 5 Mt)."))
        return upload


class ImportView(ProducersOnlyMixin, WagtailAdminTemplateMixin, FormView):
    """Upload a CSV file; "Tarkista" validates it only, "Tuo" writes it all or nothing."""

    page_title = IMPORT_TITLE
    header_icon = "upload"
    template_name = "guidance/import_effectiveness.html"
    form_class = ImportForm

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("effectiveness_figures:index"), "label": FIGURES_TITLE},
            {"url": "", "label": IMPORT_TITLE},
        ]

    def form_valid(self, form):
        dry_run = "import" not in self.request.POST
        try:
            counts = import_figures(form.cleaned_data["file"].read(), dry_run=dry_run)
        except EffectivenessImportError as error:
            return self.render_to_response(self.get_context_data(form=form, errors=error.messages))
        return self.render_to_response(
            self.get_context_data(form=form, counts=counts, dry_run=dry_run)
        )


class CoverageReportView(ProducersOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    page_title = COVERAGE_TITLE
    header_icon = "tasks"
    template_name = "guidance/coverage_report.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            coverage=effectiveness.coverage(total_label=_("Kaikki palvelut")), **kwargs
        )


class ProducersMenuItem(MenuItem):
    def is_shown(self, request):
        return may_maintain_figures(request.user)


def coverage_menu_item():
    """``register_reports_menu_item`` hook."""
    return ProducersMenuItem(
        COVERAGE_TITLE,
        reverse("guidance_coverage_report"),
        name="effectiveness-coverage",
        icon_name="tasks",
        order=1320,
    )


class ServiceFiguresMenuItem(PageMenuItem):
    """ "Vaikuttavuusluvut" in a Finnish service's header menu: its figures in the listing."""

    label = FIGURES_TITLE
    icon_name = "tasks"

    @cached_property
    def url(self):
        return (
            reverse("effectiveness_figures:index")
            + "?"
            + urlencode({"service": self.page.specific.key})
        )

    def is_shown(self, user):
        return (
            issubclass(self.page.specific_class, ServicePage)
            and self.page.locale_id == Locale.get_default().pk
            and may_maintain_figures(user)
        )


def page_header_buttons(page, user, view_name, next_url=None):
    """``register_page_header_buttons`` hook."""
    yield ServiceFiguresMenuItem(page=page, next_url=next_url, priority=66)


def admin_urls():
    """``register_admin_urls`` hook."""
    return [
        path("effectiveness-import/", ImportView.as_view(), name="guidance_import_effectiveness"),
        path(
            "reports/effectiveness-coverage/",
            CoverageReportView.as_view(),
            name="guidance_coverage_report",
        ),
    ]

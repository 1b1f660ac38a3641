"""Settings → PTV-vienti: administrators mark services for PTV and read each one's outcome.

Only administrators (superusers) mark services or preview them: what goes to
the national catalogue appears there under the responsible organisation's
name, so provider editors and producers get neither the menu item nor the
views.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import include, path, reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import BasePermissionPolicy

from integrations.models import PtvServiceExport
from integrations.ptv_export.preview import preview

TITLE = gettext_lazy("PTV-vienti")
PREVIEW_TITLE = gettext_lazy("Esikatselu")


def may_export_to_ptv(user):
    return user.is_active and user.is_superuser


class AdministratorsOnly(BasePermissionPolicy):
    """Every action on PTV exports is for superusers; no group can be granted it."""

    def user_has_permission(self, user, action):
        return may_export_to_ptv(user)

    def users_with_any_permission(self, actions):
        return get_user_model().objects.filter(is_active=True, is_superuser=True)


def _preview_url(record):
    return reverse("ptv_export_preview:preview", args=[record.pk])


class PtvExportViewSet(ModelViewSet):
    model = PtvServiceExport
    icon = "upload"
    menu_label = TITLE
    add_to_settings_menu = True
    name = "ptv_exports"
    form_fields = ["page", "enabled"]
    list_display = [
        TitleColumn("page", label=gettext_lazy("Palvelu"), url_name="ptv_exports:edit"),
        BooleanColumn("enabled", label=gettext_lazy("Viedään")),
        Column("ptv_id", label=gettext_lazy("PTV-tunniste")),
        Column("get_outcome_display", label=gettext_lazy("Tulos")),
        Column("message", label=gettext_lazy("PTV:n viesti")),
        DateColumn("exported_at", label=gettext_lazy("Viety viimeksi")),
        TitleColumn(
            "preview",
            label=PREVIEW_TITLE,
            accessor=lambda record: gettext("Näytä ero PTV:hen"),
            get_url=_preview_url,
        ),
    ]
    list_filter = ["enabled", "outcome"]

    def get_permissions_to_register(self):
        # Nothing for the group editor to offer: the policy admits superusers only.
        return Permission.objects.none()


class PreviewView(WagtailAdminTemplateMixin, TemplateView):
    """What would be sent for one service, and each field against what PTV holds now."""

    page_title = PREVIEW_TITLE
    header_icon = "upload"
    template_name = "integrations/ptv_export_preview.html"

    def dispatch(self, request, record_id, *args, **kwargs):
        if not may_export_to_ptv(request.user):
            raise PermissionDenied
        self.record = get_object_or_404(
            PtvServiceExport.objects.select_related("page"), pk=record_id
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.record.page.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("ptv_exports:index"), "label": TITLE},
            {"url": "", "label": self.record.page.title},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(record=self.record, preview=preview(self.record), **kwargs)


def admin_urls():
    """Mounted under /admin/ (behind Wagtail's admin access check)."""
    patterns = [path("<int:record_id>/", PreviewView.as_view(), name="preview")]
    return [path("ptv-export-preview/", include((patterns, "ptv_export_preview")))]

"""Settings → Julkaisuilmoitukset: endpoints, each endpoint's delivery log and re-sending.

Only administrators (superusers) manage webhooks: an endpoint names where
content events go and holds the secret that vouches for them, and one that
receives internal events learns the keys and addresses of internal pages.
Everyone else gets neither the menu item nor the views.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.ui.tables import BooleanColumn, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import BasePermissionPolicy

from webhooks import sender
from webhooks.models import WebhookDelivery, WebhookEndpoint

TITLE = gettext_lazy("Julkaisuilmoitukset")
LOG_TITLE = gettext_lazy("Toimitusloki")


def may_manage_webhooks(user):
    return user.is_active and user.is_superuser


class AdministratorsOnly(BasePermissionPolicy):
    """Every action on endpoints is for superusers; no group can be granted it."""

    def user_has_permission(self, user, action):
        return may_manage_webhooks(user)

    def users_with_any_permission(self, actions):
        return get_user_model().objects.filter(is_active=True, is_superuser=True)


def _log_url(endpoint):
    return reverse("webhooks_log:endpoint", args=[endpoint.pk])


class EndpointViewSet(ModelViewSet):
    model = WebhookEndpoint
    icon = "link-external"
    menu_label = TITLE
    add_to_settings_menu = True
    name = "webhook_endpoints"
    list_display = [
        TitleColumn("name", label=gettext_lazy("Nimi"), url_name="webhook_endpoints:edit"),
        "url",
        BooleanColumn("receives_internal", label=gettext_lazy("Sisäiset")),
        BooleanColumn("active", label=gettext_lazy("Käytössä")),
        TitleColumn(
            "log",
            label=LOG_TITLE,
            accessor=lambda endpoint: gettext("Näytä toimitukset"),
            get_url=_log_url,
        ),
    ]

    def get_permissions_to_register(self):
        # Nothing for the group editor to offer: the policy admits superusers only.
        return Permission.objects.none()


class AdministratorsOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not may_manage_webhooks(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class DeliveryLogView(AdministratorsOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    """One endpoint's deliveries, newest event first, with their outcome and a re-send button."""

    page_title = LOG_TITLE
    header_icon = "link-external"
    template_name = "webhooks/delivery_log.html"
    per_page = 50

    def dispatch(self, request, endpoint_id, *args, **kwargs):
        self.endpoint = get_object_or_404(WebhookEndpoint, pk=endpoint_id)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.endpoint.name

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("webhook_endpoints:index"), "label": TITLE},
            {
                "url": reverse("webhook_endpoints:edit", args=[self.endpoint.pk]),
                "label": self.endpoint.name,
            },
            {"url": "", "label": LOG_TITLE},
        ]

    def get_context_data(self, **kwargs):
        deliveries = self.endpoint.deliveries.select_related("event").order_by("-event_id")
        page = Paginator(deliveries, self.per_page).get_page(self.request.GET.get("p"))
        return super().get_context_data(
            endpoint=self.endpoint,
            deliveries=page,
            failed_count=deliveries.filter(status=WebhookDelivery.Status.FAILED).count(),
            **kwargs,
        )


class ResendView(AdministratorsOnlyMixin, View):
    """Queue one delivery again, or every failed one of the endpoint (POST only)."""

    http_method_names = ["post"]

    def post(self, request, endpoint_id, delivery_id=None):
        endpoint = get_object_or_404(WebhookEndpoint, pk=endpoint_id)
        deliveries = endpoint.deliveries.all()
        if delivery_id is None:
            deliveries = deliveries.filter(status=WebhookDelivery.Status.FAILED)
        else:
            deliveries = deliveries.filter(pk=get_object_or_404(deliveries, pk=delivery_id).pk)
        count = sender.resend(deliveries)
        messages.success(
            request,
            ngettext(
                "%(count)d toimitus lähetetään uudelleen.",
                "%(count)d toimitusta lähetetään uudelleen.",
                count,
            )
            % {"count": count},
        )
        return redirect(_log_url(endpoint))


def admin_urls():
    """Mounted under /admin/ (behind Wagtail's admin access check)."""
    patterns = [
        path("<int:endpoint_id>/", DeliveryLogView.as_view(), name="endpoint"),
        path("<int:endpoint_id>/resend/", ResendView.as_view(), name="resend_failed"),
        path("<int:endpoint_id>/resend/<int:delivery_id>/", ResendView.as_view(), name="resend"),
    ]
    return [path("webhook-deliveries/", include((patterns, "webhooks_log")))]

"""API tokens: Wagtail's own, with an optional expiry, and their admin.

Server-side frontends authenticate with ``wagtail.models.APIToken`` (cms.api).
Wagtail records each token's last use (``last_used_at``, written at most once
per ``WAGTAILAPI_TOKEN_LAST_USED_INTERVAL`` seconds, so a busy frontend does
not write on every request) and lets a token be revoked; the expiry is ours
(cms.models.APITokenExpiry). An expired token authenticates nobody, is not
marked as used, and is refused with its own reason.

The admin under Settings → API tokens is Wagtail's, with the expiry added to
the listing (beside "Last used") and, optionally, to the creation form.
``manage.py create_api_token --expires-in-days N`` sets it from the command line.
"""

from datetime import UTC

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.api.v3.auth import BearerTokenAuth
from wagtail.users.views import api_tokens as wagtail_views

from cms.models import APITokenExpiry


def expires_at(api_token):
    """When the token expires, or None if it never does."""
    try:
        return api_token.expiry.expires_at
    except APITokenExpiry.DoesNotExist:
        return None


def expiry_passed(api_token, now=None):
    """The token's expiry if it has passed (the token no longer works), else None."""
    expiry = expires_at(api_token)
    if expiry is not None and expiry <= (now or timezone.now()):
        return expiry
    return None


def set_expiry(api_token, when):
    """Make the token expire at ``when`` (None: never)."""
    if when is None:
        APITokenExpiry.objects.filter(token=api_token).delete()
    else:
        APITokenExpiry.objects.update_or_create(token=api_token, defaults={"expires_at": when})
    # The cached reverse relation would otherwise keep answering the old expiry.
    api_token._state.fields_cache.pop("expiry", None)


def format_expiry(when):
    """An expiry as callers read it: UTC, ISO 8601, to the second."""
    return when.astimezone(UTC).isoformat(timespec="seconds")


class ExpiringBearerTokenAuth(BearerTokenAuth):
    """Wagtail's bearer-token authentication that also refuses expired tokens."""

    def authenticate(self, request, token):
        api_token = super().authenticate(request, token)
        if api_token is not None and expiry_passed(api_token):
            request.user = AnonymousUser()
            return None
        return api_token

    def _touch_last_used(self, api_token):
        if not expiry_passed(api_token):
            super()._touch_last_used(api_token)


# --- Admin: Settings → API tokens ------------------------------------------------


class APITokenForm(wagtail_views.APITokenForm):
    expires_at = forms.DateTimeField(
        label=gettext_lazy("Voimassa asti"),
        required=False,
        widget=AdminDateTimeInput,
        help_text=gettext_lazy("Tyhjä: avain on voimassa, kunnes se perutaan."),
    )

    def clean_expires_at(self):
        when = self.cleaned_data.get("expires_at")
        if when is not None and when <= timezone.now():
            raise ValidationError(gettext_lazy("Valitse tuleva ajankohta."))
        return when


class IndexView(wagtail_views.IndexView):
    @cached_property
    def columns(self):
        columns = list(super().columns)
        position = next(
            (index for index, column in enumerate(columns) if column.name == "revoked_at"),
            len(columns),
        )
        columns.insert(position, Column("expires_at", label=gettext_lazy("Voimassa asti")))
        return columns

    def get_queryset(self):
        return super().get_queryset().annotate(expires_at=F("expiry__expires_at"))


class CreateView(wagtail_views.CreateView):
    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            set_expiry(self.object, form.cleaned_data.get("expires_at"))
        return response


class APITokenViewSet(wagtail_views.APITokenViewSet):
    index_view_class = IndexView
    add_view_class = CreateView

    def get_form_class(self, for_update=False):
        if for_update:
            return super().get_form_class(for_update=True)
        return APITokenForm

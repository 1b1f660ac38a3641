"""Draft preview for editors (esikatselu), on the frontend or built in.

One setting chooses the way:

- ``FRONTEND_PREVIEW_URL`` set: wagtail-headless-preview's flow. Clicking
  preview stores the previewed form state as a ``PagePreview`` under a signed
  token and shows ``FRONTEND_PREVIEW_URL?content_type=app.model&token=…`` in
  the preview panel; the frontend reads the draft with
  ``page(token:, contentType:)`` (cms.delivery_schema). The token is the
  credential: it carries no user, so a server-side frontend can use it.
- unset (the default, e.g. ``make run``): Wagtail's own template preview with
  the simple templates under ``<app>/templates/<app>/preview/`` and
  ``cms/templates/preview/``, so editors still see a readable page.

headless-preview checks a token's signature but not its age, and deletes the
stored previews only after a day or two; a token here is valid for
``PREVIEW_TOKEN_MAX_AGE`` seconds.
"""

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_noop
from wagtail_headless_preview.models import HeadlessPreviewMixin, PagePreview

from cms.frontend import FrontendPage
from cms.security_headers import site_policy_only

# Translated where it is raised, into the caller's language (cms.api).
INVALID_TOKEN = gettext_noop("Preview token is invalid or expired")


class InvalidPreviewToken(Exception):
    """A token that is forged, expired, unknown or for another content type."""


def frontend_configured():
    return bool(settings.FRONTEND_PREVIEW_URL)


class PreviewablePage(FrontendPage, HeadlessPreviewMixin):
    """Base of every page type: preview and live pages on the frontend when there is one,
    else in Wagtail (cms.frontend)."""

    def get_client_root_url(self, request):
        # One frontend renders every site and locale, so headless-preview's
        # per-hostname CLIENT_URLS would only repeat this setting.
        return settings.FRONTEND_PREVIEW_URL

    def serve_preview(self, request, mode_name):
        if frontend_configured():
            return super().serve_preview(request, mode_name)
        # Past headless-preview's override, to Wagtail's template preview. It shows
        # editors' content, so it keeps to the site's strict policy, not the admin's.
        response = super(HeadlessPreviewMixin, self).serve_preview(request, mode_name)
        return site_policy_only(response)

    def get_preview_template(self, request, mode_name):
        # The same templates as the built-in public pages; base.html marks a preview.
        return self.page_templates()


def previewed_page(token, content_type=None):
    """The draft stored under ``token``, optionally required to be of ``content_type``.

    ``content_type`` uses either notation, ``catalogue.ServicePage`` (grapple)
    or ``catalogue.servicepage`` (headless-preview's link). Raises
    InvalidPreviewToken for anything but a live token of that type.
    """
    try:
        PreviewablePage.get_preview_signer().unsign(token, max_age=settings.PREVIEW_TOKEN_MAX_AGE)
        preview = PagePreview.objects.select_related("content_type").get(token=token)
    except (signing.BadSignature, PagePreview.DoesNotExist):  # SignatureExpired included
        raise InvalidPreviewToken from None
    stored_type = f"{preview.content_type.app_label}.{preview.content_type.model}"
    if content_type and content_type.strip().lower() != stored_type:
        raise InvalidPreviewToken
    return preview.as_page()

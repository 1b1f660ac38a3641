"""The browser security headers Django does not write itself.

- ``Content-Security-Policy``: django-csp's middleware with the site's one
  strict policy (``settings.CONTENT_SECURITY_POLICY``: scripts, styles,
  fonts and connections from this origin only, no inline script, nothing
  from a CDN), which GraphiQL, the preview templates and the favourites'
  print page keep to. Wagtail's admin still renders inline ``<script>``
  (date pickers, inline panels, chooser panels) and ``style`` attributes, so
  its pages get the allowances of ``settings.ADMIN_CONTENT_SECURITY_POLICY``
  added on top — the admin only, and never a previewed page
  (``site_policy_only``).
- ``Permissions-Policy``: the powerful browser features (camera, microphone,
  geolocation, payment, USB…) are off for the site and anything it frames
  (``settings.PERMISSIONS_POLICY``).

HSTS, ``nosniff``, the referrer policy and the TLS redirect are Django's
SecurityMiddleware, configured in settings.
"""

from functools import cache

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.urls import reverse

PERMISSIONS_POLICY_HEADER = "Permissions-Policy"
_SITE_POLICY_ONLY = "_csp_site_policy_only"


@cache
def admin_prefix():
    return reverse("wagtailadmin_home")


def site_policy_only(response):
    """Serve an admin response under the site's strict policy, without the admin's
    allowances: for previews, which show editors' content rather than the admin."""
    setattr(response, _SITE_POLICY_ONLY, True)
    return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware; admin pages get ``ADMIN_CONTENT_SECURITY_POLICY`` on top."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if (
            not report_only
            and parts.update is None
            and request.path_info.startswith(admin_prefix())
            and not getattr(response, _SITE_POLICY_ONLY, False)
        ):
            parts.update = settings.ADMIN_CONTENT_SECURITY_POLICY
        return parts


def permissions_policy(features):
    """The header value for ``{feature: [allowed origins]}``: ``camera=(), fullscreen=(self)``."""
    return ", ".join(f"{feature}=({' '.join(origins)})" for feature, origins in features.items())


class PermissionsPolicyMiddleware:
    """Adds ``Permissions-Policy`` to every response that has none."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault(PERMISSIONS_POLICY_HEADER, self.header)
        return response

"""Where a published page is read: on the frontend, or in Wagtail's built-in templates.

- ``FRONTEND_BASE_URL`` set (optionally per locale, ``FRONTEND_BASE_URL_SV``
  and so on): a page's URL is the frontend's address of the page, the site's
  page path on the frontend's origin. ``url``, ``full_url`` and so the admin's
  "View live" links all lead there.
- unset (the default, e.g. ``make run``): Wagtail serves every live page with
  the simple templates the built-in preview uses (cms.preview), so links in
  the admin always open a readable page. Wagtail's serving keeps its rules:
  drafts are never served, and a restricted page (the internal section) sends
  an anonymous visitor to the login. A translation has the path of its
  Finnish page; the reader's language (LocaleMiddleware) picks the tree.
"""

from django.conf import settings
from wagtail.coreutils import camelcase_to_underscore

from cms import localisation


def frontend_base_url(locale_id):
    """The frontend's base URL for a page's locale, or None when there is none."""
    # The process's locale table: no query per page in a list of URLs.
    language_code = localisation.locale_by_id(locale_id).language_code
    per_locale = getattr(settings, f"FRONTEND_BASE_URL_{language_code.upper()}", None)
    base = per_locale or settings.FRONTEND_BASE_URL
    return base.rstrip("/") if base else None


class FrontendPage:
    """Page mixin: URLs on the frontend when there is one, else built-in templates."""

    def get_url_parts(self, request=None):
        parts = super().get_url_parts(request=request)
        if parts is None or parts[2] is None:
            return parts
        base = frontend_base_url(self.locale_id)
        if base is None:
            return parts
        site_id, _root_url, page_path = parts
        return site_id, base, page_path

    def get_url(self, request=None, current_site=None):
        # Wagtail gives a path alone when the page is on the current site; on
        # the frontend's origin only the full address leads to the page.
        if frontend_base_url(self.locale_id):
            return self.get_full_url(request=request)
        return super().get_url(request=request, current_site=current_site)

    url = property(get_url)

    def get_template(self, request, *args, **kwargs):
        return self.page_templates()

    def page_templates(self):
        """``<app>/preview/<page_type>.html`` if the type has one, else ``preview/page.html``."""
        app_label = self._meta.app_label
        name = camelcase_to_underscore(type(self).__name__)
        return [f"{app_label}/preview/{name}.html", "preview/page.html"]

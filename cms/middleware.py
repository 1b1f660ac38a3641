"""Middleware of the project (see MIDDLEWARE in cms.settings)."""

import logging

from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from wagtail.admin import messages
from wagtail.admin.modal_workflow import render_modal_workflow
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.models import Page

logger = logging.getLogger(__name__)


class AdminValidationErrorMiddleware:
    """Shows a model's refusal in the Wagtail admin as a message instead of a server error.

    Page models guard their own rules in ``clean()`` (a service needs a
    responsible person before it goes live), and ``Page.save()`` enforces them
    on every publish. Wagtail's editor turns them into form errors, but its
    other publishing paths do not: approving a workflow task from the
    dashboard (which publishes when the last task is approved) or bulk
    publishing let the ValidationError escape. The action has been rolled
    back by then; this tells the user why and sends them to the page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ValidationError) or request.method != "POST":
            return None
        if not request.path.startswith(reverse("wagtailadmin_home")):
            return None
        page = self._page(request)
        # Wagtail's admin views speak the user's admin language only while they run.
        with translation.override(self._admin_language(request)):
            text = " ".join(exception.messages)
        if page is not None:
            text = f"”{page.get_admin_display_title()}”: {text}"
        logger.info("Admin action refused at %s: %s", request.path, text)
        messages.error(request, text)
        target = self._target(request, page)
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            # Workflow action modals expect this JSON step, then follow "redirect".
            return render_modal_workflow(
                request, "", None, {}, json_data={"step": "success", "redirect": target}
            )
        return redirect(target)

    @staticmethod
    def _admin_language(request):
        profile = getattr(request.user, "wagtail_userprofile", None)
        return profile.get_preferred_language() if profile else translation.get_language()

    @staticmethod
    def _page(request):
        page_id = request.resolver_match and request.resolver_match.kwargs.get("page_id")
        return page_id and Page.objects.filter(pk=page_id).first()

    @staticmethod
    def _target(request, page):
        if page is not None:
            return reverse("wagtailadmin_pages:edit", args=[page.pk])
        if next_url := get_valid_next_url_from_request(request):
            return next_url
        referer = request.headers.get("referer")
        if referer and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return referer
        return reverse("wagtailadmin_home")

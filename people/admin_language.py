"""The admin speaks Finnish unless the person has chosen Swedish or English.

Wagtail falls back to the request's language when a person has not chosen
one, and Django's LocaleMiddleware takes that from the browser's
Accept-Language (which the API rightly follows). For the admin the default is
Finnish, the source language of the content and of the project's wording;
each person's own choice in their account settings still wins.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation


class FinnishAdminMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(reverse("wagtailadmin_home")):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        return self.get_response(request)

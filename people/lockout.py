"""The page of a locked-out sign-in (django-axes's ``AXES_LOCKOUT_CALLABLE``).

After ``LOGIN_FAILURE_LIMIT`` failed sign-ins of one user name from one IP
address, django-axes refuses that pair for ``LOGIN_LOCKOUT_MINUTES``, even with
the right password, and every further try starts the wait again. The person
sees this page (429, with ``Retry-After``) in the admin's sign-in layout and
language; an administrator can lift the lockout at once with ``manage.py
axes_reset_username USERNAME``. The lockout is in the audit log (people.audit).
"""

import math

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext, ngettext


def lockout_response(request, original_response=None, credentials=None):
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    response = render(
        request,
        "cms/refused.html",
        {
            "title": gettext("Kirjautuminen estetty"),
            "message": ngettext(
                "Kirjautuminen tällä käyttäjätunnuksella on estetty liian monen "
                "epäonnistuneen yrityksen vuoksi. Yritä uudelleen %(minutes)d minuutin "
                "kuluttua tai pyydä pääkäyttäjää poistamaan esto.",
                "Kirjautuminen tällä käyttäjätunnuksella on estetty liian monen "
                "epäonnistuneen yrityksen vuoksi. Yritä uudelleen %(minutes)d minuutin "
                "kuluttua tai pyydä pääkäyttäjää poistamaan esto.",
                minutes,
            )
            % {"minutes": minutes},
        },
        status=429,
    )
    response["Retry-After"] = str(minutes * 60)
    return response

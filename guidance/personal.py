"""A signed-in user's own settings: reading and changing them, and the search defaults they give.

The home area (kotialue) fills in a ``services`` request that gives no
``filter`` (omitted or null; ``filter: {}`` asks for everything):

- the filter becomes ``{municipalities: <the home area's municipalities>}``;
- when the order is RELEVANCE and there is no ``query``, the services the
  area's landing page features (guidance.landing) come first, in its order.

Nothing else is defaulted: exclusions, validity, locale and limits stay as
given, and a request with any filter is taken as it is. The answer says what
was filled in (``ServiceResults.defaults``). ``locations`` builds its request
the same way, so the map shows what the list shows.

Answers that depend on a home area are cached per home area, never per
user: ``cache_variant`` joins the answer cache's key (cms.response_cache).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from catalogue.models import EmploymentArea, Municipality
from cms import localisation
from guidance import landing
from guidance.models import PersonalSettings
from search.filters import Defaults

_REQUEST_ATTRIBUTE = "_guidance_personal_settings"


def _signed_in(user):
    return user is not None and user.is_authenticated and user.is_active


def settings_of(user):
    """The user's settings; an unsaved default (no home area, list view) when there are none."""
    if not _signed_in(user):
        return PersonalSettings()
    found = PersonalSettings.objects.select_related("home_area").filter(user=user).first()
    return found or PersonalSettings(user=user)


def _for_request(request):
    """The request user's settings, read once per request."""
    if not hasattr(request, _REQUEST_ATTRIBUTE):
        setattr(request, _REQUEST_ATTRIBUTE, settings_of(getattr(request, "user", None)))
    return getattr(request, _REQUEST_ATTRIBUTE)


def area_by_code(code):
    """The Finnish employment area with this code; a ValidationError naming the codes if none."""
    areas = EmploymentArea.objects.filter(locale=localisation.default_locale())
    area = areas.filter(code=code).first()
    if area is None:
        codes = ", ".join(areas.order_by("code").values_list("code", flat=True))
        raise ValidationError(
            gettext("Unknown employment area '%(code)s'. Employment areas: %(codes)s.")
            % {"code": code, "codes": codes}
        )
    return area


@transaction.atomic
def update(user, **changes):
    """Save the given settings (``home_area``: an area code or None; ``result_view``)."""
    current = settings_of(user)
    if "home_area" in changes:
        code = changes["home_area"]
        current.home_area = area_by_code(code) if code else None
    if "result_view" in changes:
        current.result_view = changes["result_view"]
    current.full_clean(exclude=["user"])
    current.save()
    return current


def cache_variant(request):
    """``cms.response_cache.vary_on``: the home area, which changes ``services`` answers."""
    user = getattr(request, "user", None)
    if not _signed_in(user):
        return ""
    home_area = _for_request(request).home_area
    return f"home-area:{home_area.code}" if home_area else ""


def service_search_defaults(request):
    """``service_search_defaults`` hook: the caller's home area as search.filters.Defaults."""
    home_area = _for_request(request).home_area
    if home_area is None:
        return None
    municipalities = Municipality.objects.filter(
        employment_area=home_area, locale=home_area.locale
    ).order_by("code")
    page = landing.live_landing_of_area(home_area.code)
    return Defaults(
        area=home_area.code,
        municipalities=tuple(municipalities.values_list("code", flat=True)),
        pinned=tuple(str(key) for key in landing.featured_keys(page)) if page else (),
    )

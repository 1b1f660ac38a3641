"""GET /api/locations.geojson: the service locations as an RFC 7946 FeatureCollection.

For map frontends that read GeoJSON rather than GraphQL. The parameters are
those of ``services`` (search.filters) under their GeoJSON names, plus
``bbox`` and ``near``; integrations.locations finds the locations. Callers
are told apart as on /graphql/: a bearer token, the session cookie, or
anonymous; each sees what cms.visibility lets them see. Anonymous answers
are cached by browsers and CDNs like anonymous GraphQL GET answers
(cms.response_cache.http_caching: Cache-Control, ETag, 304).
"""

import json

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_safe
from graphql import GraphQLError

from catalogue.models import OrganisationPage, ServicePage
from cms import deadline, graphql_guards, localisation, response_cache
from cms.api import EXTENSIONS_ATTRIBUTE, TokenRejected, bearer_user, message_language
from cms.visibility import for_request
from integrations.locations import BoundingBox, GeoPoint, find_locations
from search import filters

GEOJSON = "application/geo+json"
# Query parameters naming ``services`` filters (ServiceFilter), by their filter name.
FILTER_PARAMETERS = {
    "category": "categories",
    "municipality": "municipalities",
    "lifeSituation": "life_situations",
    "method": "methods",
    "language": "languages",
    "organisation": "organisations",
}
OTHER_PARAMETERS = ("audience", "query", "locale", "bbox", "near", "limit", "offset")


class BadParameter(Exception):
    """A query parameter the caller got wrong; the message says which and how."""


@require_safe
def locations_geojson(request):
    with translation.override(message_language(request)):
        response = _answer(request)
        response.headers.setdefault("Content-Language", translation.get_language())
    degraded = getattr(request, EXTENSIONS_ATTRIBUTE, None)
    clean = response.status_code == 200 and not degraded
    return response_cache.http_caching(request, response, clean)


def _answer(request):
    try:
        token_user = bearer_user(request)
    except TokenRejected as rejection:
        response = _error(str(rejection), 401)
        response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        return response
    if token_user is not None:
        request.user = token_user
    try:
        with deadline.request_deadline(settings.GRAPHQL_DEADLINE_SECONDS):
            return _feature_collection(request)
    except BadParameter as mistake:
        return _error(str(mistake), 400)
    except GraphQLError as mistake:  # the services vocabulary's and the locale rule's refusals
        return _error(mistake.message, 400)
    except deadline.DeadlineExceeded as timeout:
        return _error(str(timeout), 503)
    except DatabaseError as error:
        if not deadline.is_statement_timeout(error):
            raise
        return _error(str(deadline.DeadlineExceeded()), 503)


def _error(message, status):
    return JsonResponse({"errors": [{"message": message}]}, status=status)


def _feature_collection(request):
    parameters = request.GET
    unknown = sorted(set(parameters) - set(FILTER_PARAMETERS) - set(OTHER_PARAMETERS))
    if unknown:
        raise BadParameter(
            gettext("Unknown parameter '%(name)s'. Known parameters: %(known)s.")
            % {"name": unknown[0], "known": ", ".join([*FILTER_PARAMETERS, *OTHER_PARAMETERS])}
        )
    search = filters.ServiceSearch(
        locale=localisation.requested_locale(_text(parameters, "locale")),
        visibility=for_request(request),
        text=(_text(parameters, "query", settings.GRAPHQL_MAX_SEARCH_TEXT) or "").strip(),
        filter=_service_filter(parameters),
    )
    search.validate()
    bbox = _numbers(parameters, "bbox", BoundingBox, "minLon,minLat,maxLon,maxLat")
    near = _numbers(parameters, "near", GeoPoint, "lon,lat")
    maximum = settings.MAP_GEOJSON_MAX_FEATURES
    limit = _integer(parameters, "limit", maximum, maximum)
    offset = _integer(parameters, "offset", 0, settings.GRAPHQL_MAX_RESULT_WINDOW)
    found = find_locations(request, search, offset, limit, bbox=bbox, near=near)
    body = {
        "type": "FeatureCollection",
        "features": _features(request, found.items),
        # Foreign members (RFC 7946, 6.1), named as OGC API - Features names them.
        "numberMatched": found.total,
        "numberReturned": len(found.items),
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")), content_type=GEOJSON
    )


def _text(parameters, name, maximum=None):
    """The parameter's one value, or None; a repeated or malformed value is an error."""
    values = parameters.getlist(name)
    if not values:
        return None
    if len(values) > 1:
        raise BadParameter(gettext("Give %(name)s only once.") % {"name": name})
    if problems := graphql_guards.value_problems(values[0], name, maximum):
        raise BadParameter(problems[0])
    return values[0]


def _service_filter(parameters):
    """The ServiceFilter the parameters ask for: a list parameter may be repeated or
    comma-separated (``municipality=091,049``)."""
    wanted = {}
    for parameter, name in FILTER_PARAMETERS.items():
        values = [
            value.strip()
            for given in parameters.getlist(parameter)
            for value in given.split(",")
            if value.strip()
        ]
        if problems := graphql_guards.value_problems(values, parameter):
            raise BadParameter(problems[0])
        if values:
            wanted[name] = values
    if (audience := _text(parameters, "audience")) is not None:
        if audience.lower() not in ServicePage.Audience.values:
            raise BadParameter(
                gettext("audience must be one of %(values)s (got '%(value)s').")
                % {"values": ", ".join(ServicePage.Audience.values), "value": audience}
            )
        wanted["audience"] = audience.lower()
    return wanted


def _numbers(parameters, name, kind, shape):
    """``kind`` built from a comma-separated list of numbers, or None when not given."""
    text = _text(parameters, name)
    if text is None:
        return None
    parts = text.split(",")
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        numbers = None
    if numbers is None or len(numbers) != len(shape.split(",")):
        raise BadParameter(
            gettext("%(name)s must be %(shape)s in decimal degrees (got '%(value)s').")
            % {"name": name, "shape": shape, "value": text[:100]}
        )
    return kind(*numbers)


def _integer(parameters, name, default, maximum):
    text = _text(parameters, name)
    if text is None:
        return default
    if not text.isdigit() or len(text) > 9 or int(text) > maximum:
        raise BadParameter(
            gettext("%(name)s must be a whole number from 0 to %(maximum)d (got '%(value)s').")
            % {"name": name, "maximum": maximum, "value": text[:100]}
        )
    return int(text)


def _features(request, locations):
    """The locations as GeoJSON Features (services and organisations read once for all)."""
    services = {
        page.pk: page
        for page in ServicePage.objects.filter(pk__in={location.page_id for location in locations})
    }
    step = ServicePage.steplen
    organisations = {
        organisation.path: organisation
        for organisation in OrganisationPage.objects.filter(
            for_request(request).page_filter(),
            path__in={page.path[:-step] for page in services.values()},
        )
    }
    urls = {pk: page.get_full_url(request) for pk, page in services.items()}
    features = []
    for location in locations:
        service = services[location.page_id]
        organisation = organisations.get(service.path[:-step])
        properties = {
            "name": location.name,
            "address": location.address,
            "postalCode": location.postal_code,
            "city": location.city,
            "phone": location.phone,
            "email": location.email,
            "website": location.website,
            "serviceKey": service.key,
            "serviceTitle": service.title,
            "serviceUrl": urls[service.pk],
            "locale": localisation.locale_by_id(service.locale_id).language_code,
            "organisationKey": organisation.key if organisation else None,
            "organisationName": organisation.title if organisation else None,
        }
        if location.distance is not None:
            properties["distance"] = location.distance
        features.append(
            {
                "type": "Feature",
                "id": location.pk,
                # RFC 7946, 3.1.1: longitude first.
                "geometry": {
                    "type": "Point",
                    "coordinates": [location.longitude, location.latitude],
                },
                "properties": properties,
            }
        )
    return features

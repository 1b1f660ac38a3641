"""The open-data feed: the published catalogue as Open Referral HSDS 3.0, read-only JSON.

``GET /open-data/hsds/`` and the HSDS API's paths below it (services,
organizations, service_at_locations, taxonomies, taxonomy_terms, and locations
besides), paged in the API's paged-response shape; docs/integrations.md is the
consumer's guide. What is published and its shapes: integrations.hsds.

Every answer is JSON, a caller's mistake included: an unknown parameter,
language, page or record is a 400 or 404 saying what was wrong. Page sizes are
bounded (``HSDS_MAX_PAGE_SIZE``), and a page costs the same number of queries
whatever its size, so no anonymous request holds the server for long.
"""

import re

from django.conf import settings
from django.http import JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from graphql import GraphQLError

from cms import localisation
from integrations import hsds

COMMON = ("page", "per_page", "lang")


class FeedError(Exception):
    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


def _answer(data, feed=None):
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    if feed is not None:
        response["Content-Language"] = feed.language
    patch_cache_control(response, public=True, max_age=settings.HTTP_CACHE_MAX_AGE)
    return response


def _error(message, status):
    return JsonResponse({"errors": [{"message": message}]}, status=status)


def endpoint(*parameters):
    """A GET-only view taking these query parameters (and ``lang``); errors answered in JSON."""

    def wrap(view):
        def run(request, **kwargs):
            if request.method not in ("GET", "HEAD"):
                response = _error(gettext("The open-data feed is read-only: use GET."), 405)
                response["Allow"] = "GET, HEAD"
                return response
            try:
                unknown = sorted(set(request.GET) - {"lang", *parameters})
                if unknown:
                    raise FeedError(
                        gettext("Unknown parameter %(names)s. This address takes: %(known)s.")
                        % {"names": ", ".join(unknown), "known": ", ".join(["lang", *parameters])}
                    )
                return view(request, _feed(request), **kwargs)
            except FeedError as error:
                return _error(error.message, error.status)

        # Nothing is written, so there is no request to forge: a POST gets the read-only
        # 405 above, not the CSRF refusal.
        return csrf_exempt(run)

    return wrap


def _feed(request):
    code = request.GET.get("lang")
    if code is None:
        return hsds.Feed(localisation.default_locale())
    try:
        return hsds.Feed(localisation.requested_locale(code))
    except GraphQLError as error:  # the locale rule's own message names the languages there are
        raise FeedError(error.message) from None


def _number(request, name, default, highest=None):
    raw = request.GET.get(name)
    if raw is None:
        return default
    # At most nine ASCII digits: int() of a long or non-ASCII digit string would fail.
    if not re.fullmatch(r"[0-9]{1,9}", raw) or int(raw) < 1 or int(raw) > (highest or int(raw)):
        limit = f"1–{highest}" if highest is not None else gettext("1 or more")
        raise FeedError(
            gettext("%(name)s must be a whole number %(limit)s, not '%(value)s'.")
            % {"name": name, "limit": limit, "value": raw}
        )
    return int(raw)


def _full(request):
    raw = request.GET.get("full", "false").lower()
    if raw not in ("true", "false"):
        raise FeedError(gettext("full must be true or false, not '%(value)s'.") % {"value": raw})
    return raw == "true"


def _page(request, total, fetch):
    """One page of ``total`` records; ``fetch(offset, limit)`` gives that page's records."""
    page = _number(request, "page", 1)
    per_page = _number(request, "per_page", settings.HSDS_PAGE_SIZE, settings.HSDS_MAX_PAGE_SIZE)
    pages = -(-total // per_page)
    if page > max(pages, 1):
        raise FeedError(
            gettext(
                "There is no page %(page)s: %(total)s records make %(pages)s pages of %(size)s."
            )
            % {"page": page, "total": total, "pages": pages, "size": per_page},
            status=404,
        )
    return hsds.paged(total, page, per_page, fetch((page - 1) * per_page, per_page))


def _not_found(kind, id):
    return FeedError(gettext("No %(kind)s with id '%(id)s'.") % {"kind": kind, "id": id}, 404)


def _find(ids, id, kind):
    """The key whose stable id is ``id`` (ids are derived, so they are looked up, not parsed)."""
    for key, found in ids:
        if found == id:
            return key
    raise _not_found(kind, id)


@endpoint()
def index(request, feed):
    """The API's self-description (the HSDS API's ``/``)."""
    return _answer(
        {
            "version": hsds.HSDS_VERSION,
            "description": "Palvelumanuaali: employment services of the Uusimaa region "
            "as Open Referral HSDS 3.0.",
            "publisher": {"name": "Palvelumanuaali"},
        },
        feed,
    )


@endpoint(*COMMON, "full")
def services(request, feed):
    full = _full(request)
    found = feed.services()

    def fetch(offset, limit):
        return [
            feed.service(page, full) for page in feed.load_services(found[offset : offset + limit])
        ]

    return _answer(_page(request, found.count(), fetch), feed)


@endpoint()
def service(request, feed, id):
    found = feed.services()
    keys = ((key, hsds.stable_id("service", key)) for key in found.values_list("key", flat=True))
    key = _find(keys, id, "service")
    return _answer(feed.service(feed.load_services(found.filter(key=key))[0], full=True), feed)


@endpoint(*COMMON)
def organizations(request, feed):
    found = feed.organisations()

    def fetch(offset, limit):
        return [
            feed.organisation(page)
            for page in feed.load_organisations(found[offset : offset + limit])
        ]

    return _answer(_page(request, found.count(), fetch), feed)


@endpoint()
def organization(request, feed, id):
    found = feed.organisations()
    keys = (
        (key, hsds.stable_id("organization", key)) for key in found.values_list("key", flat=True)
    )
    key = _find(keys, id, "organization")
    page = feed.load_organisations(found.filter(key=key))[0]
    services = feed.services().filter(path__startswith=page.path)
    return _answer(feed.organisation(page, services=services), feed)


@endpoint(*COMMON)
def locations(request, feed):
    found = feed.locations()

    def fetch(offset, limit):
        return [
            feed.location(location.page, location, location.position)
            for location in feed.load_locations(found[offset : offset + limit])
        ]

    return _answer(_page(request, found.count(), fetch), feed)


def _one_location(feed, id, kind):
    rows = feed.locations().values_list("page__key", "position")
    ids = (((key, n), hsds.stable_id("service", key, kind, n)) for key, n in rows)
    key, position = _find(ids, id, kind)
    location = feed.load_locations(feed.locations().filter(page__key=key, position=position))[0]
    return location, position


@endpoint()
def location(request, feed, id):
    location, position = _one_location(feed, id, "location")
    return _answer(feed.location(location.page, location, position), feed)


@endpoint(*COMMON, "full")
def service_at_locations(request, feed):
    full = _full(request)
    found = feed.locations()

    def fetch(offset, limit):
        return [
            feed.service_at_location(location.page, location, location.position, with_service=full)
            for location in feed.load_locations(found[offset : offset + limit])
        ]

    return _answer(_page(request, found.count(), fetch), feed)


@endpoint()
def service_at_location(request, feed, id):
    location, position = _one_location(feed, id, "service_at_location")
    return _answer(
        feed.service_at_location(location.page, location, position, with_service=True), feed
    )


@endpoint(*COMMON)
def taxonomies(request, feed):
    found = [feed.taxonomy(taxonomy) for taxonomy in hsds.TAXONOMIES]
    return _answer(
        _page(request, len(found), lambda offset, limit: found[offset : offset + limit]), feed
    )


@endpoint()
def taxonomy(request, feed, id):
    for taxonomy in hsds.TAXONOMIES:
        if hsds.stable_id("taxonomy", taxonomy.key) == id:
            return _answer(feed.taxonomy(taxonomy), feed)
    raise _not_found("taxonomy", id)


@endpoint(*COMMON)
def taxonomy_terms(request, feed):
    found = feed.terms()

    def fetch(offset, limit):
        return [
            feed.taxonomy_term(taxonomy, term) for taxonomy, term in found[offset : offset + limit]
        ]

    return _answer(_page(request, len(found), fetch), feed)


@endpoint()
def taxonomy_term(request, feed, id):
    for taxonomy, term in feed.terms():
        if feed.taxonomy_term(taxonomy, term)["id"] == id:
            return _answer(feed.taxonomy_term(taxonomy, term), feed)
    raise _not_found("taxonomy term", id)


def unknown(request, rest):
    return _error(
        gettext("No such address in the open-data feed: %(path)s.") % {"path": request.path}, 404
    )

"""Service locations on a map (toimipisteet kartalla): the one query behind the GeoJSON
endpoint (integrations.views) and the ``locations`` root field (integrations.schema).

Which services: a ``services`` request (search.filters.ServiceSearch) run on
the delivery engine, so filters, their validation, validity windows, the
locale rule and the visibility rule mean exactly what they mean for
``services``. Then the locations of those services that have coordinates,
inside the bounding box when one is given, in the order ``services`` lists
their services (and each service's own order of locations), or nearest
first from the ``near`` point.

Distance is the haversine great-circle distance on a sphere of the Earth's
mean radius. Against the WGS84 ellipsoid it errs by at most about 0.5 %
(Helsinki railway station to Tapiola: 7,520 m against 7,547 m), so it can
only misorder offices whose distances differ by less than that. The
catalogue has about a thousand locations, so they are measured and sorted in
Python after one SQL query; the services search is bounded by
``GRAPHQL_MAX_RESULT_WINDOW``.
"""

import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext
from graphql import GraphQLError

from catalogue.models import ServiceLocation
from search import backends

# The mean Earth radius (IUGG), in metres.
EARTH_RADIUS = 6_371_008.8


def _check_coordinate(name, value, limit):
    if not math.isfinite(value) or not -limit <= value <= limit:
        raise GraphQLError(
            gettext("%(name)s must be a number from -%(limit)d to %(limit)d (got %(value)s).")
            % {"name": name, "limit": limit, "value": value}
        )


@dataclass(frozen=True)
class BoundingBox:
    """West, south, east and north edges in degrees (WGS84), as RFC 7946 orders a bbox."""

    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    def __post_init__(self):
        for name in ("min_lon", "max_lon"):
            _check_coordinate(f"bbox {_camel(name)}", getattr(self, name), 180)
        for name in ("min_lat", "max_lat"):
            _check_coordinate(f"bbox {_camel(name)}", getattr(self, name), 90)
        if self.min_lat > self.max_lat:
            raise GraphQLError(gettext("bbox: minLat must not be greater than maxLat."))

    def q(self):
        """The locations inside the box (edges included)."""
        inside = Q(latitude__gte=self.min_lat, latitude__lte=self.max_lat)
        if self.min_lon <= self.max_lon:
            return inside & Q(longitude__gte=self.min_lon, longitude__lte=self.max_lon)
        # RFC 7946, 5.2: a box across the antimeridian has its west edge east of its east edge.
        return inside & (Q(longitude__gte=self.min_lon) | Q(longitude__lte=self.max_lon))


@dataclass(frozen=True)
class GeoPoint:
    lon: float
    lat: float

    def __post_init__(self):
        _check_coordinate("near lon", self.lon, 180)
        _check_coordinate("near lat", self.lat, 90)

    def distance_to(self, lon, lat):
        """Great-circle distance in metres (haversine)."""
        phi1, phi2 = math.radians(self.lat), math.radians(lat)
        half_dphi = (phi2 - phi1) / 2
        half_dlambda = math.radians(lon - self.lon) / 2
        a = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
        return 2 * EARTH_RADIUS * math.asin(min(1.0, math.sqrt(a)))


def _camel(name):
    first, *rest = name.split("_")
    return first + "".join(part.title() for part in rest)


@dataclass
class FoundLocations:
    """One page of located locations; ``distance`` (whole metres) is set on each when
    ``near`` was given, else None."""

    items: list  # ServiceLocation
    total: int


def find_locations(request, search, offset, limit, bbox=None, near=None):
    """The page ``offset``…``offset + limit`` of the locations of the services ``search``
    (already validated) finds, inside ``bbox``, nearest to ``near`` first when given."""
    found = backends.run(request, "services", search, 0, settings.GRAPHQL_MAX_RESULT_WINDOW)
    rank = {pk: position for position, pk in enumerate(found.ids)}
    locations = ServiceLocation.objects.filter(
        page_id__in=found.ids, latitude__isnull=False, longitude__isnull=False
    )
    if bbox is not None:
        locations = locations.filter(bbox.q())
    located = list(locations)
    for location in located:
        location.distance = (
            round(near.distance_to(location.longitude, location.latitude)) if near else None
        )
    located.sort(key=lambda location: (rank[location.page_id], location.sort_order or 0))
    if near is not None:
        located.sort(key=lambda location: location.distance)  # stable: ties keep that order
    return FoundLocations(items=located[offset : offset + limit], total=len(located))

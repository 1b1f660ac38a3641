"""The ``locations`` root field: service locations for map frontends.

The GraphQL twin of /api/locations.geojson (integrations.views): the same
``services`` arguments (search.schema.service_search), plus ``bbox`` and
`near`; integrations.locations finds the locations. Each item's service is
loaded as a `services` list loads its items (catalogue.schema.load_services),
so a page of 100 locations costs the queries of a page of 10.
"""

import graphene
from grapple.registry import registry

from catalogue.models import ServicePage
from catalogue.schema import load_services
from cms.delivery_schema import Selection
from integrations.locations import BoundingBox as Box
from integrations.locations import GeoPoint as Point
from integrations.locations import find_locations
from search import filters
from search.schema import ServiceFilter, ServiceValidity, service_search


def _service_type():
    return registry.pages[ServicePage]


class BoundingBox(graphene.InputObjectType):
    """Edges in decimal degrees (WGS84). A box across the antimeridian has minLon > maxLon."""

    min_lon = graphene.Float(required=True, description="West edge")
    min_lat = graphene.Float(required=True, description="South edge")
    max_lon = graphene.Float(required=True, description="East edge")
    max_lat = graphene.Float(required=True, description="North edge")


class GeoPoint(graphene.InputObjectType):
    """A point in decimal degrees (WGS84)."""

    lon = graphene.Float(required=True)
    lat = graphene.Float(required=True)


class MapLocation(graphene.ObjectType):
    """A location (toimipiste) of a service, with coordinates."""

    name = graphene.String(required=True)
    address = graphene.String(required=True)
    postal_code = graphene.String(required=True)
    city = graphene.String(required=True)
    latitude = graphene.Float(required=True)
    longitude = graphene.Float(required=True)
    phone = graphene.String(required=True)
    email = graphene.String(required=True)
    website = graphene.String(required=True)
    distance = graphene.Int(
        description="Great-circle distance from `near` in whole metres; null without `near`."
    )
    service = graphene.Field(_service_type, required=True)

    def resolve_service(location, info):
        return location.delivered_service


class LocationResults(graphene.ObjectType):
    total_count = graphene.Int(required=True)
    locale = graphene.String(
        required=True,
        description="The locale asked for; each service says the one it is served in.",
    )
    items = graphene.List(graphene.NonNull(MapLocation), required=True)


class LocationsQuery(graphene.ObjectType):
    locations = graphene.Field(
        LocationResults,
        required=True,
        locale=graphene.String(),
        query=graphene.String(),
        filter=ServiceFilter(),
        exclude=ServiceFilter(),
        validity=graphene.List(
            graphene.NonNull(ServiceValidity),
            default_value=[filters.CURRENT],
            description="Which validity windows to list (EXPIRED: signed-in users only).",
        ),
        bbox=BoundingBox(description="Only locations inside this box."),
        near=GeoPoint(description="Nearest first, with `distance`."),
        limit=graphene.Int(default_value=20),
        offset=graphene.Int(default_value=0),
        description=(
            "Locations with coordinates of the services `services` would list with these "
            "arguments, in that order, or nearest first from `near`."
        ),
    )

    def resolve_locations(root, info, limit, offset, bbox=None, near=None, **arguments):
        # limit and offset were checked before execution (cms.graphql_guards).
        search = service_search(info, **arguments)
        found = find_locations(
            info.context,
            search,
            offset,
            limit,
            bbox=Box(**bbox) if bbox else None,
            near=Point(**near) if near else None,
        )
        if "service" in Selection.of(info, "items"):
            pks = list(dict.fromkeys(location.page_id for location in found.items))
            services = load_services(info, pks, Selection.of(info, "items", "service"))
            by_pk = {service.pk: service for service in services}
            for location in found.items:
                location.delivered_service = by_pk[location.page_id]
        return LocationResults(
            total_count=found.total, locale=search.locale.language_code, items=found.items
        )


def add_locations_query(query_mixins):
    """``register_schema_query`` hook."""
    query_mixins.append(LocationsQuery)

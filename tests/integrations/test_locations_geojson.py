"""Service locations on a map: /api/locations.geojson and the ``locations`` root field.

A small catalogue of offices around Helsinki and Espoo: public services with
located offices (and one office without coordinates), and services nobody
anonymous may see — a draft, one restricted to the internal section's groups,
one behind a password.
"""

import json
from pathlib import Path

import geojson
import pytest
from conftest import reindex
from django.db import connection
from django.test import Client
from wagtail.models import APIToken, PageViewRestriction

from exchange.importer import import_document

pytestmark = [pytest.mark.django_db]

URL = "/api/locations.geojson"

# Helsinki Central Station and Tapiola, Espoo (WGS84, Wikipedia's coordinates): 7,547 m
# apart along the WGS84 ellipsoid (Vincenty's formula); a sphere is within 0.5 % of it.
STATION = (24.94139, 60.17194)
TAPIOLA = (24.80556, 60.175)
STATION_TO_TAPIOLA = 7_547

PUBLIC_OFFICES = {"Rautatieasema", "Itäkeskus", "Tapiola", "Kallio"}
HIDDEN_OFFICES = {"Luonnospiste", "Sisäinen piste", "Salasanapiste"}


def _office(name, lon, lat, **fields):
    return {"name": name, "lon": lon, "lat": lat, "city": "Helsinki", **fields}


def _service(key, organisation, title, locations, **fields):
    return {
        "key": key,
        "organisation": organisation,
        "status": fields.pop("status", "published"),
        "audience": fields.pop("audience", "person"),
        "responsible": "owner@example.org",
        "municipalities": fields.pop("municipalities", ["091"]),
        "categories": fields.pop("categories", ["job-search-support"]),
        "locations": locations,
        "locales": {"fi": {"title": title}, **fields.pop("locales", {})},
        **fields,
    }


@pytest.fixture
def offices(site_tree):
    from catalogue.models import ServiceLocation, ServicePage

    import_document(
        {
            "version": 1,
            "organisations": [
                {
                    "key": "helsinki",
                    "kind": "municipality",
                    "locales": {"fi": {"name": "Helsingin työllisyyspalvelut"}},
                },
                {"key": "espoo", "kind": "municipality", "locales": {"fi": {"name": "Espoo"}}},
            ],
            "services": [
                _service(
                    "work-trial",
                    "helsinki",
                    "Työkokeilu",
                    [
                        _office("Rautatieasema", *STATION, address="Kaivokatu 1"),
                        _office("Itäkeskus", 25.0811, 60.2103),
                    ],
                    languages=["fi", "sv"],
                    locales={"sv": {"title": "Arbetsprövning"}},
                ),
                _service(
                    "career-coaching",
                    "espoo",
                    "Uravalmennus",
                    [_office("Tapiola", *TAPIOLA, city="Espoo"), {"name": "Puhelinpalvelu"}],
                    municipalities=["049"],
                    categories=["career-planning"],
                    methods=["remote"],
                ),
                _service(
                    "youth-workshop",
                    "helsinki",
                    "Nuorten työpaja",
                    [_office("Kallio", 24.9497, 60.1841)],
                    audience="employer",
                    lifeSituations=["young-adult"],
                ),
                _service(
                    "draft-service",
                    "helsinki",
                    "Luonnos",
                    [_office("Luonnospiste", 24.9400, 60.1700)],
                    status="draft",
                ),
                _service(
                    "internal-service",
                    "helsinki",
                    "Sisäinen",
                    [_office("Sisäinen piste", 24.94, 60.17)],
                ),
                _service(
                    "password-service",
                    "helsinki",
                    "Salasana",
                    [_office("Salasanapiste", 24.94, 60.17)],
                ),
            ],
        }
    )
    # Restricted as the internal section is: to the experts', producers' and
    # administrators' groups.
    internal = PageViewRestriction.objects.get(page=site_tree.internal)
    restricted = PageViewRestriction.objects.create(
        page=ServicePage.objects.get(key="internal-service"),
        restriction_type=PageViewRestriction.GROUPS,
    )
    restricted.groups.set(internal.groups.all())
    PageViewRestriction.objects.create(
        page=ServicePage.objects.get(key="password-service"),
        restriction_type=PageViewRestriction.PASSWORD,
        password="salasana",
    )
    ServiceLocation.objects.filter(name="Rautatieasema").update(
        phone="09 123 4567", email="tyokokeilu@example.org", website="https://example.org/tk"
    )
    reindex()


@pytest.fixture
def expert(role_user):
    client = Client()
    client.force_login(role_user("expert"))
    return client


def _geojson(client, **parameters):
    response = client.get(URL, parameters)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/geo+json"
    return response.json()


def _names(collection):
    return [feature["properties"]["name"] for feature in collection["features"]]


# --- GeoJSON --------------------------------------------------------------------------


def test_the_map_output_is_valid_geojson_with_a_point_per_located_office(client, offices):
    response = client.get(URL)

    collection = geojson.loads(response.content.decode())
    assert collection.is_valid, collection.errors()
    assert collection["type"] == "FeatureCollection"
    assert set(_names(collection)) == PUBLIC_OFFICES  # Puhelinpalvelu has no coordinates
    assert collection["numberMatched"] == collection["numberReturned"] == 4
    station = next(f for f in collection["features"] if f["properties"]["name"] == "Rautatieasema")
    assert station["geometry"] == {"type": "Point", "coordinates": list(STATION)}
    properties = station["properties"]
    assert {key: properties[key] for key in properties if key != "serviceUrl"} == {
        "name": "Rautatieasema",
        "address": "Kaivokatu 1",
        "postalCode": "",
        "city": "Helsinki",
        "phone": "09 123 4567",
        "email": "tyokokeilu@example.org",
        "website": "https://example.org/tk",
        "serviceKey": "work-trial",
        "serviceTitle": "Työkokeilu",
        "locale": "fi",
        "organisationKey": "helsinki",
        "organisationName": "Helsingin työllisyyspalvelut",
    }
    assert properties["serviceUrl"].startswith("http")
    assert properties["serviceUrl"].endswith("/helsinki/work-trial/")
    assert "distance" not in properties


def test_a_swedish_map_names_services_in_swedish_where_translated(client, offices):
    titles = {
        f["properties"]["serviceKey"]: (f["properties"]["serviceTitle"], f["properties"]["locale"])
        for f in _geojson(client, locale="sv")["features"]
    }

    assert titles["work-trial"] == ("Arbetsprövning", "sv")
    assert titles["career-coaching"] == ("Uravalmennus", "fi")


def test_the_bounding_box_keeps_only_the_offices_inside_it(client, offices):
    # Central Helsinki: the station and Kallio, not Itäkeskus (east) nor Tapiola (west).
    inside = _geojson(client, bbox="24.90,60.15,25.00,60.20")

    assert set(_names(inside)) == {"Rautatieasema", "Kallio"}
    for feature in inside["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert 24.90 <= lon <= 25.00 and 60.15 <= lat <= 60.20
    assert _names(_geojson(client, bbox="10,50,11,51")) == []
    # RFC 7946, 5.2: west of the east edge means across the antimeridian.
    across = _geojson(client, bbox="24.9,60.0,-179,60.3")
    assert set(_names(across)) == {"Rautatieasema", "Kallio", "Itäkeskus"}


def test_near_orders_offices_by_distance_and_says_how_far_each_is(client, offices):
    collection = _geojson(client, near=f"{STATION[0]},{STATION[1]}")

    # Itäkeskus is about 8.9 km away, further than Tapiola.
    assert _names(collection) == ["Rautatieasema", "Kallio", "Tapiola", "Itäkeskus"]
    distances = [f["properties"]["distance"] for f in collection["features"]]
    assert distances == sorted(distances)
    assert distances[0] == 0
    assert abs(distances[2] - STATION_TO_TAPIOLA) <= STATION_TO_TAPIOLA * 0.005


def test_near_and_limit_give_the_nearest_offices_and_the_total(client, offices):
    collection = _geojson(client, near=f"{TAPIOLA[0]},{TAPIOLA[1]}", limit=2)

    assert _names(collection) == ["Tapiola", "Rautatieasema"]
    assert (collection["numberMatched"], collection["numberReturned"]) == (4, 2)
    assert _names(_geojson(client, near=f"{TAPIOLA[0]},{TAPIOLA[1]}", limit=2, offset=2)) == [
        "Kallio",
        "Itäkeskus",
    ]


def test_the_services_filters_choose_the_offices(client, offices, delivery_engine):
    assert set(_names(_geojson(client, municipality="049"))) == {"Tapiola"}
    assert set(_names(_geojson(client, municipality="049,091"))) == PUBLIC_OFFICES
    assert set(_names(_geojson(client, category="career-planning"))) == {"Tapiola"}
    assert set(_names(_geojson(client, audience="EMPLOYER"))) == {"Kallio"}
    assert set(_names(_geojson(client, organisation="helsinki", audience="person"))) == {
        "Rautatieasema",
        "Itäkeskus",
    }
    assert set(_names(_geojson(client, query="uravalmennus"))) == {"Tapiola"}
    assert set(_names(_geojson(client, method="remote"))) == {"Tapiola"}
    assert set(_names(_geojson(client, language="sv"))) == {"Rautatieasema", "Itäkeskus"}
    assert set(_names(_geojson(client, lifeSituation="young-adult"))) == {"Kallio"}


def test_anonymous_callers_never_see_offices_of_drafts_or_restricted_services(client, offices):
    names = set(_names(_geojson(client))) | set(_names(_geojson(client, near="24.94,60.17")))

    assert names == PUBLIC_OFFICES
    assert not names & HIDDEN_OFFICES


def test_a_signed_in_expert_also_sees_offices_of_internal_services_but_no_drafts(
    expert, offices, delivery_engine
):
    names = set(_names(_geojson(expert)))

    assert names == PUBLIC_OFFICES | {"Sisäinen piste"}


def test_a_frontend_with_an_experts_api_token_sees_what_the_expert_sees(client, offices, role_user):
    _api_token, token = APIToken.create_token(user=role_user("expert"), name="map")

    response = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token}")

    assert set(_names(response.json())) == PUBLIC_OFFICES | {"Sisäinen piste"}
    assert "public" not in response["Cache-Control"]


def test_a_bad_api_token_is_refused_not_read_as_anonymous(client, offices):
    response = client.get(URL, HTTP_AUTHORIZATION="Bearer wagtail_not-a-token")

    assert response.status_code == 401
    assert response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("parameters", "named"),
    [
        ({"bbox": "24.9,60.1,25.0"}, "bbox"),
        ({"bbox": "a,b,c,d"}, "bbox"),
        ({"bbox": "24.9,60.3,25.0,60.1"}, "minLat"),
        ({"bbox": "24.9,60.1,25.0,91"}, "maxLat"),
        ({"bbox": "nan,60.1,25.0,60.2"}, "minLon"),
        ({"near": "24.9"}, "near"),
        ({"near": "200,60"}, "near lon"),
        ({"municipality": "999"}, "999"),
        ({"category": "no-such-category"}, "no-such-category"),
        ({"audience": "robots"}, "audience"),
        ({"locale": "xx"}, "xx"),
        ({"limit": "5000"}, "limit"),
        ({"limit": "-1"}, "limit"),
        ({"offset": "ten"}, "offset"),
        ({"municipalty": "091"}, "municipalty"),
        ({"query": "x" * 201}, "query"),
    ],
)
def test_a_mistaken_parameter_is_a_400_that_says_what_was_wrong(client, offices, parameters, named):
    response = client.get(URL, parameters)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert named in response.json()["errors"][0]["message"]
    assert "no-store" in response["Cache-Control"]


def test_a_swedish_caller_is_told_in_swedish(client, offices):
    response = client.get(URL, {"bbox": "24.9,60.3,25.0,60.1"}, HTTP_ACCEPT_LANGUAGE="sv")

    assert response.json()["errors"][0]["message"] == "bbox: minLat får inte vara större än maxLat."


def test_anonymous_answers_are_cached_like_anonymous_graphql_answers(client, expert, offices):
    response = client.get(URL, {"municipality": "091"})

    assert "public" in response["Cache-Control"]
    assert (
        client.get(URL, {"municipality": "091"}, HTTP_IF_NONE_MATCH=response["ETag"]).status_code
        == 304
    )
    assert "private" in expert.get(URL)["Cache-Control"]


# --- GraphQL --------------------------------------------------------------------------

LOCATIONS = """
query ($filter: ServiceFilter, $bbox: BoundingBox, $near: GeoPoint, $limit: Int, $locale: String) {
  locations(filter: $filter, bbox: $bbox, near: $near, limit: $limit, locale: $locale) {
    totalCount
    locale
    items {
      name address city latitude longitude phone email website distance
      service { key title locale organisation { key } }
    }
  }
}"""


def _ask(client, document, **variables):
    response = client.post(
        "/graphql/",
        data=json.dumps({"query": document, "variables": variables}),
        content_type="application/json",
    )
    return response.json()


def _locations(client, **variables):
    body = _ask(client, LOCATIONS, **variables)
    assert "errors" not in body, body["errors"]
    return body["data"]["locations"]


def test_the_locations_field_orders_by_distance_from_near(client, offices):
    found = _locations(client, near={"lon": STATION[0], "lat": STATION[1]})

    assert [item["name"] for item in found["items"]] == [
        "Rautatieasema",
        "Kallio",
        "Tapiola",
        "Itäkeskus",
    ]
    tapiola = found["items"][2]
    assert abs(tapiola["distance"] - STATION_TO_TAPIOLA) <= STATION_TO_TAPIOLA * 0.005
    assert tapiola["service"] == {
        "key": "career-coaching",
        "title": "Uravalmennus",
        "locale": "fi",
        "organisation": {"key": "espoo"},
    }
    assert found["totalCount"] == 4


def test_the_locations_field_takes_the_services_filters_and_a_bounding_box(
    client, offices, delivery_engine
):
    helsinki = _locations(client, filter={"municipalities": ["091"]})
    assert {item["name"] for item in helsinki["items"]} == {"Rautatieasema", "Itäkeskus", "Kallio"}
    assert {item["distance"] for item in helsinki["items"]} == {None}

    boxed = _locations(
        client,
        filter={"municipalities": ["091"]},
        bbox={"minLon": 24.9, "minLat": 60.15, "maxLon": 25.0, "maxLat": 60.2},
    )
    assert {item["name"] for item in boxed["items"]} == {"Rautatieasema", "Kallio"}

    swedish = _locations(client, locale="sv", filter={"municipalities": ["091"]}, limit=1)
    assert swedish["locale"] == "sv"
    assert swedish["items"][0]["service"]["title"] in {"Arbetsprövning", "Nuorten työpaja"}
    assert swedish["totalCount"] == 3


def test_the_locations_field_shows_each_caller_what_they_may_see(client, expert, offices):
    anonymous = {item["name"] for item in _locations(client, limit=100)["items"]}
    signed_in = {item["name"] for item in _locations(expert, limit=100)["items"]}

    assert anonymous == PUBLIC_OFFICES
    assert signed_in == PUBLIC_OFFICES | {"Sisäinen piste"}


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"bbox": {"minLon": 24.9, "minLat": 61, "maxLon": 25, "maxLat": 60}}, "minLat"),
        ({"near": {"lon": 24.9, "lat": 95}}, "near lat"),
        ({"filter": {"municipalities": ["999"]}}, "999"),
        ({"limit": 101}, "limit"),
    ],
)
def test_a_mistaken_locations_argument_is_a_graphql_error(client, offices, variables, named):
    body = _ask(client, LOCATIONS, **variables)

    assert body.get("data") is None or body["data"].get("locations") is None
    assert named in body["errors"][0]["message"]


def test_the_map_query_document_answers_with_the_nearest_offices_in_view(client, offices):
    document = (
        Path(__file__).resolve().parents[2] / "graphql/queries/locations.graphql"
    ).read_text()
    body = _ask(
        client,
        document,
        filter={"municipalities": ["091", "049"]},
        bbox={"minLon": 24.78, "minLat": 60.13, "maxLon": 25.25, "maxLat": 60.30},
        near={"lon": TAPIOLA[0], "lat": TAPIOLA[1]},
    )

    assert "errors" not in body, body["errors"]
    items = body["data"]["locations"]["items"]
    assert [item["name"] for item in items] == ["Tapiola", "Rautatieasema", "Kallio", "Itäkeskus"]
    assert items[0]["service"]["organisation"] == {"key": "espoo", "title": "Espoo"}


# --- Query counts -----------------------------------------------------------------------


@pytest.fixture
def many_offices(site_tree):
    """60 services with two located offices each."""
    import_document(
        {
            "version": 1,
            "organisations": [
                {"key": key, "kind": "municipality", "locales": {"fi": {"name": key.title()}}}
                for key in ("helsinki", "espoo")
            ],
            "services": [
                _service(
                    f"service-{number:03d}",
                    ("helsinki", "espoo")[number % 2],
                    f"Palvelu {number}",
                    [
                        _office(f"Piste {number}a", 24.8 + number / 500, 60.1 + number / 1000),
                        _office(f"Piste {number}b", 24.9 + number / 500, 60.2 + number / 1000),
                    ],
                    municipalities=["091", "049"][: 1 + number % 2],
                )
                for number in range(60)
            ],
        }
    )
    reindex()


LOCATIONS_WITH_SERVICES = """
query ($limit: Int) {
  locations(limit: $limit, near: {lon: 24.94, lat: 60.17}) {
    totalCount
    items {
      name distance
      service {
        key title url locale availableLocales
        organisation { key title contacts { name } }
        municipalities { code name } categories { slug name } locations { name }
      }
    }
  }
}"""


def _statements(client, limit):
    statements = []

    def recording(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(recording):
        body = _ask(client, LOCATIONS_WITH_SERVICES, limit=limit)
    assert "errors" not in body, body["errors"]
    return statements, body["data"]["locations"]["items"]


@pytest.mark.parametrize("caller", ["anonymous", "expert"])
def test_a_page_of_100_locations_costs_the_queries_of_a_page_of_10(
    many_offices, caller, role_user, delivery_engine
):
    client = Client()
    if caller == "expert":
        client.force_login(role_user("expert"))
    _statements(client, 10)  # fills the process's caches of locales and restrictions

    ten, small = _statements(client, 10)
    hundred, large = _statements(client, 100)

    assert (len(small), len(large)) == (10, 100)
    assert len({item["service"]["key"] for item in large}) > 50
    assert len(hundred) == len(ten)


def test_a_geojson_answer_of_100_features_costs_the_queries_of_one_of_10(client, many_offices):
    def statements(limit):
        recorded = []

        def recording(execute, sql, params, many, context):
            recorded.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(recording):
            features = _geojson(client, limit=limit, near="24.94,60.17")["features"]
        return recorded, features

    statements(10)  # fills the process's caches of locales and restrictions
    ten, small = statements(10)
    hundred, large = statements(100)

    assert (len(small), len(large)) == (10, 100)
    assert len(hundred) == len(ten)

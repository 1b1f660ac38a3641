"""HSDS 3.0's field rules as JSON Schema, for checking what the open-data feed publishes.

Written from the specification's rules (openreferral/specification, branch
3.0, schema/*.json and the API's paged response): the required fields of each
object, their types, formats (uuid ids, URIs, ISO dates, HH:MM times) and
enumerations (service status, location and address types, schedule freq,
byday days). Only the objects and fields the feed uses are described;
HSDS allows fields beyond them.
"""

from jsonschema import Draft202012Validator

UUID = {"type": "string", "format": "uuid"}
URI = {"type": "string", "pattern": r"^https?://[^\s]+$"}
DATE = {"type": "string", "format": "date"}
TIME = {"type": "string", "pattern": r"^([01]\d|2[0-4]):[0-5]\d$"}
EMAIL = {"type": "string", "format": "email"}
STRING = {"type": "string"}
NUMBER = {"type": "number"}
DAY = "(MO|TU|WE|TH|FR|SA|SU)"


def _array(ref):
    return {"type": "array", "items": {"$ref": f"#/$defs/{ref}"}}


DEFS = {
    "phone": {
        "type": "object",
        "required": ["id", "number"],
        "properties": {
            "id": UUID,
            "location_id": UUID,
            "contact_id": UUID,
            "number": STRING,
        },
    },
    "contact": {
        "type": "object",
        "required": ["id"],
        "properties": {
            "id": UUID,
            "organization_id": UUID,
            "service_id": UUID,
            "location_id": UUID,
            "name": STRING,
            "email": EMAIL,
            "phones": _array("phone"),
        },
    },
    "schedule": {
        "type": "object",
        "required": ["id"],
        "properties": {
            "id": UUID,
            "location_id": UUID,
            "valid_from": DATE,
            "valid_to": DATE,
            "freq": {"enum": ["WEEKLY", "MONTHLY"]},
            "byday": {"type": "string", "pattern": f"^{DAY}(,{DAY})*$"},
            "opens_at": TIME,
            "closes_at": TIME,
            "description": STRING,
        },
    },
    "address": {
        "type": "object",
        "required": [
            "id",
            "address_1",
            "city",
            "state_province",
            "postal_code",
            "country",
            "address_type",
        ],
        "properties": {
            "id": UUID,
            "location_id": UUID,
            "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
            "address_type": {"enum": ["physical", "postal", "virtual"]},
        },
    },
    "location": {
        "type": "object",
        "required": ["id", "location_type"],
        "properties": {
            "id": UUID,
            "location_type": {"enum": ["physical", "postal", "virtual"]},
            "organization_id": UUID,
            "name": STRING,
            "latitude": {"type": "number", "minimum": -90, "maximum": 90},
            "longitude": {"type": "number", "minimum": -180, "maximum": 180},
            "external_identifier": STRING,
            "external_identifier_type": STRING,
            "addresses": _array("address"),
            "phones": _array("phone"),
            "contacts": _array("contact"),
            "schedules": _array("schedule"),
        },
    },
    "taxonomy": {
        "type": "object",
        "required": ["id", "name", "description"],
        "properties": {"id": UUID, "name": STRING, "description": STRING, "uri": URI},
    },
    "taxonomy_term": {
        "type": "object",
        "required": ["id", "name", "description"],
        "properties": {
            "id": UUID,
            "code": STRING,
            "name": STRING,
            "description": STRING,
            "taxonomy": STRING,
            "taxonomy_id": UUID,
            "language": STRING,
            "term_uri": URI,
        },
    },
    "attribute": {
        "type": "object",
        "required": ["id"],
        "properties": {
            "id": UUID,
            "link_id": UUID,
            "link_entity": STRING,
            "taxonomy_term_id": UUID,
            "taxonomy_term": {"$ref": "#/$defs/taxonomy_term"},
        },
    },
    "language": {
        "type": "object",
        "required": ["id"],
        "properties": {"id": UUID, "service_id": UUID, "name": STRING, "code": STRING},
    },
    "service_area": {
        "type": "object",
        "required": ["id"],
        "properties": {"id": UUID, "service_id": UUID, "name": STRING, "uri": URI},
    },
    "service_at_location": {
        "type": "object",
        "required": ["id"],
        "properties": {
            "id": UUID,
            "service_id": UUID,
            "location_id": UUID,
            "location": {"$ref": "#/$defs/location"},
            "service": {"$ref": "#/$defs/service"},
        },
    },
    "organization_identifier": {
        "type": "object",
        "required": ["id", "identifier_type", "identifier"],
        "properties": {"id": UUID, "organization_id": UUID},
    },
    "organization": {
        "type": "object",
        "required": ["id", "name", "description"],
        "properties": {
            "id": UUID,
            "name": STRING,
            "description": STRING,
            "email": EMAIL,
            "website": URI,
            "organization_identifiers": _array("organization_identifier"),
            "contacts": _array("contact"),
            "services": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "name", "status"],
                    "properties": {"id": UUID},
                },
            },
        },
    },
    "service": {
        "type": "object",
        "required": ["id", "name", "status"],
        "properties": {
            "id": UUID,
            "organization_id": UUID,
            "name": STRING,
            "description": STRING,
            "url": URI,
            "email": EMAIL,
            "status": {"enum": ["active", "inactive", "defunct", "temporarily closed"]},
            "application_process": STRING,
            "fees_description": STRING,
            "eligibility_description": STRING,
            "minimum_age": NUMBER,
            "maximum_age": NUMBER,
            "assured_date": DATE,
            "organization": {"$ref": "#/$defs/organization"},
            "contacts": _array("contact"),
            "languages": _array("language"),
            "service_areas": _array("service_area"),
            "attributes": _array("attribute"),
            "service_at_locations": _array("service_at_location"),
        },
    },
}

PAGE = {
    "type": "object",
    "required": [
        "total_items",
        "total_pages",
        "page_number",
        "size",
        "first_page",
        "last_page",
        "empty",
        "contents",
    ],
    "properties": {
        "total_items": {"type": "integer", "minimum": 0},
        "total_pages": {"type": "integer", "minimum": 0},
        "page_number": {"type": "integer", "minimum": 1},
        "size": {"type": "integer", "minimum": 0},
        "first_page": {"type": "boolean"},
        "last_page": {"type": "boolean"},
        "empty": {"type": "boolean"},
        "contents": {"type": "array"},
    },
}


def violations(document, kind, paged=False):
    """What in ``document`` breaks the rules of ``kind`` (an HSDS object), as messages."""
    item = {"$ref": f"#/$defs/{kind}"}
    schema = (
        {**PAGE, "properties": {**PAGE["properties"], "contents": {"type": "array", "items": item}}}
        if paged
        else item
    )
    validator = Draft202012Validator(
        {**schema, "$defs": DEFS}, format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    return [
        f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in validator.iter_errors(document)
    ]

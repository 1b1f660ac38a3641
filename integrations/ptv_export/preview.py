"""Preview: what would be sent for a service, field by field against what PTV holds now.

PTV answers a GET in its output shape (classifications as objects with a
``uri``, organisations with role types, areas with names); each field is
brought to the input shape first, so only real differences show.
"""

import json
from dataclasses import dataclass, field

from integrations.ptv_export.client import PtvClient, PtvError
from integrations.ptv_export.mapping import MappingError, build_payload

URI_LISTS = ("serviceClasses", "ontologyTerms", "targetGroups", "lifeEvents", "industrialClasses")


@dataclass
class FieldDiff:
    name: str
    ours: object
    theirs: object

    @property
    def changed(self):
        return self.ours != self.theirs


@dataclass
class Preview:
    payload: dict = None
    error: str = ""  # why the service cannot be mapped
    ptv_error: str = ""  # why PTV's version could not be read
    in_ptv: bool = False
    fields: list = field(default_factory=list)

    @property
    def changed_fields(self):
        return [diff.name for diff in self.fields if diff.changed]

    def as_json(self):
        return json.dumps(self.payload, ensure_ascii=False, indent=2)


def preview(record, client=None):
    result = Preview()
    try:
        result.payload = build_payload(record)
    except MappingError as error:
        result.error = str(error)
        return result
    if result.payload is None:
        result.error = f"{record.page.title}: no live, public version to export"
        return result
    theirs = {}
    if record.ptv_id:
        try:
            client = client or PtvClient()
            theirs = to_input_shape(client.get_service(record.ptv_id))
            result.in_ptv = True
        except PtvError as error:
            result.ptv_error = error.message
    result.fields = [
        FieldDiff(name, _sorted(value), _sorted(theirs.get(name)))
        for name, value in result.payload.items()
    ]
    return result


def to_input_shape(service):
    """A v11 service as PTV outputs it, in the shape of the v11 input fields."""
    shaped = dict(service)
    for name in URI_LISTS:
        if name in service:
            shaped[name] = [item.get("uri") for item in service[name] or []]
    if "areas" in service:
        codes = {}
        for area in service["areas"] or []:
            found = [area["code"]] if area.get("code") else []
            found += [m.get("code") for m in area.get("municipalities") or []]
            codes.setdefault(area.get("type"), set()).update(found)
        shaped["areas"] = [
            {"type": kind, "areaCodes": sorted(values)} for kind, values in codes.items()
        ]
    if "organizations" in service:
        producers = {}
        for link in service["organizations"] or []:
            org_id = (link.get("organization") or {}).get("id") or link.get("organizationId")
            if link.get("roleType") == "Responsible":
                shaped["mainResponsibleOrganization"] = org_id
            elif link.get("roleType") == "Producer":
                producers.setdefault(link.get("provisionType"), []).append(org_id)
        shaped["serviceProducers"] = [
            {"provisionType": kind, "organizations": sorted(ids)} for kind, ids in producers.items()
        ]
    return shaped


def _sorted(value):
    """Lists compared as sets: PTV does not keep our order."""
    if isinstance(value, list):
        return sorted((_sorted(item) for item in value), key=lambda item: json.dumps(item))
    if isinstance(value, dict):
        return {key: _sorted(item) for key, item in value.items()}
    return value

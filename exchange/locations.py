"""A service's locations (toimipisteet) in the exchange format, and what an import keeps of them.

Export and import convert a ``ServiceLocation`` with ``read_location`` and
``write_location``. A location linked to PTV or a map source
(``ptv_id``/``servicemap_id``, catalogue.location_sources) holds fields that
interface maintains; an import never overwrites those nor drops the link or
its bookkeeping (``source_fields``, ``synced_at``):

- the document's locations are paired with the page's by ``ptvId``, then
  ``servicemapId``, then by name, then by position (``pair``); a pair never
  joins two different links, and by position only an unlinked location is
  paired;
- a paired location keeps its link when the document leaves it out (an older
  document), and the values of its maintained fields; a document value that
  differs from such a field is ignored with a notice (``reconcile``);
- a linked location the document does not list is kept, after the others,
  with a notice: removing a linked location is an editor's explicit act in the
  admin.

Locations without links are written from the document as they always were.
"""

from catalogue.location_sources import LINK_FIELDS, maintained_fields, source_label
from catalogue.models import ServiceLocation

# The exchange name of each field, in the format's order.
LOCATION_FIELDS = {
    "name": "name",
    "address": "address",
    "postalCode": "postal_code",
    "city": "city",
    "lat": "latitude",
    "lon": "longitude",
    "phone": "phone",
    "email": "email",
    "website": "website",
    "openingHours": "opening_hours",
    "ptvId": "ptv_id",
    "servicemapId": "servicemap_id",
}
EXCHANGE_NAMES = {attribute: name for name, attribute in LOCATION_FIELDS.items()}
LINKS = {"ptvId": "ptv_id", "servicemapId": "servicemap_id"}
_NUMBERS = ("latitude", "longitude")


def _opening_hours_out(entries):
    return [
        {
            "type": entry.get("type") or "DaysOfTheWeek",
            "validFrom": entry.get("valid_from") or None,
            "validTo": entry.get("valid_to") or None,
            "isClosed": bool(entry.get("is_closed")),
            "isAlwaysOpen": bool(entry.get("is_always_open")),
            "hours": [
                {
                    "dayFrom": day.get("day_from") or None,
                    "dayTo": day.get("day_to") or None,
                    "from": day.get("from") or None,
                    "to": day.get("to") or None,
                }
                for day in entry.get("hours") or []
                if isinstance(day, dict)
            ],
            "info": entry.get("info") or "",
        }
        # The admin's box takes any JSON: export what has the shape, never fail on the rest.
        for entry in (entries if isinstance(entries, list) else [])
        if isinstance(entry, dict)
    ]


def _opening_hours_in(entries):
    """The stored shape (docs/integrations.md): snake_case, empty strings for no day or time."""
    return [
        {
            "type": entry["type"],
            "valid_from": entry["validFrom"],
            "valid_to": entry["validTo"],
            "is_closed": entry["isClosed"],
            "is_always_open": entry["isAlwaysOpen"],
            "hours": [
                {
                    "day_from": day["dayFrom"] or "",
                    "day_to": day["dayTo"] or "",
                    "from": day["from"] or "",
                    "to": day["to"] or "",
                }
                for day in entry["hours"]
            ],
            "info": entry["info"],
        }
        for entry in entries
    ]


def read_value(location, attribute):
    """One field of a location in exchange form."""
    value = getattr(location, attribute)
    if attribute == "opening_hours":
        return _opening_hours_out(value)
    if attribute in _NUMBERS:
        return value
    return value or None


def read_location(location):
    """The location in exchange form, as export writes it."""
    return {name: read_value(location, attribute) for name, attribute in LOCATION_FIELDS.items()}


def write_location(location, place, keep=()):
    """Set the location's fields from a canonical place, except the attributes in ``keep``."""
    for name, attribute in LOCATION_FIELDS.items():
        if attribute in keep:
            continue
        value = place[name]
        if attribute == "opening_hours":
            value = _opening_hours_in(value)
        elif attribute not in _NUMBERS:
            value = value or ""
        setattr(location, attribute, value)
    return location


def _compatible(place, location):
    """Whether pairing would not join two different links of one source."""
    return all(
        place[name] in (None, getattr(location, attribute)) or not getattr(location, attribute)
        for name, attribute in LINKS.items()
    )


def pair(places, locations):
    """(each place's existing location or None, the existing locations left over)."""
    free = list(locations)
    paired = [None] * len(places)

    def take(index, found):
        paired[index] = found
        free.remove(found)

    for name, attribute in LINKS.items():
        for index, place in enumerate(places):
            if paired[index] is None and place[name]:
                found = next((x for x in free if getattr(x, attribute) == place[name]), None)
                if found is not None:
                    take(index, found)
    for index, place in enumerate(places):
        if paired[index] is None:
            found = next(
                (x for x in free if x.name == place["name"] and _compatible(place, x)), None
            )
            if found is not None:
                take(index, found)
    # By position only an unlinked location: a new location typed into the document
    # never takes over a linked one.
    for index in range(len(places)):
        if paired[index] is None and index < len(locations):
            candidate = locations[index]
            if candidate in free and not _linked(candidate):
                take(index, candidate)
    return paired, free


def _linked(location):
    return any(getattr(location, attribute) for attribute in LINKS.values())


def _describe(location):
    links = ", ".join(
        f"{source_label(source)} {getattr(location, attribute)}"
        for source, attribute in LINK_FIELDS.items()
        if getattr(location, attribute)
    )
    return f'"{location.name}" ({links})'


def reconcile(places, locations, label):
    """The places an import writes over ``locations``, and its notices.

    ``label`` names the record in notices (``services[work-trial]``).
    """
    paired, left = pair(places, locations)
    effective, notices = [], []
    for index, (place, location) in enumerate(zip(places, paired, strict=True)):
        if location is None or not _linked(location):
            effective.append(place)
            continue
        place = dict(place)
        for name, attribute in LINKS.items():
            if place[name] is None:
                place[name] = read_value(location, attribute)
        for attribute, source in maintained_fields(location).items():
            name = EXCHANGE_NAMES[attribute]
            current = read_value(location, attribute)
            if place[name] != current:
                notices.append(
                    f"{label}.locations[{index}].{name}: maintained by {source_label(source)}"
                    f" for {_describe(location)}; the document's value is ignored"
                )
                place[name] = current
        effective.append(place)
    for location in left:
        if _linked(location):
            notices.append(
                f"{label}.locations: {_describe(location)} is not in the document but is"
                " linked to an interface; it is kept (remove it in the admin)"
            )
            effective.append(read_location(location))
    return effective, notices


def build(places, locations):
    """The page's new locations: its paired ones updated (keeping what interfaces maintain)
    and new ones for the rest."""
    paired, _ = pair(places, locations)
    built = []
    for index, (place, location) in enumerate(zip(places, paired, strict=True)):
        if location is None:
            location = write_location(ServiceLocation(), place)
        else:
            location = write_location(location, place, keep=maintained_fields(location))
        # modelcluster keeps a reused row's old position: the document's order decides.
        location.sort_order = index
        built.append(location)
    return built

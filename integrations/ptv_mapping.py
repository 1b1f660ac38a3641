"""A PTV service-location channel in the shape of a ``catalogue.ServiceLocation``, per language.

PTV's texts are lists of ``{language, value, type}``; each page takes its own
language's text, else the Finnish one, else whatever there is. A field PTV
leaves empty comes back as ``None`` (PTV does not maintain it for this location);
a field PTV gives in an unusable shape is left out, with an error naming it.
"""

from datetime import datetime

from integrations.geo import tm35fin_to_wgs84

FALLBACK_LANGUAGE = "fi"
NAME_TYPE = "Name"
# Visiting addresses come first; a postal address only when there is no other.
ADDRESS_TYPES = ("Location", "Visiting")


class BadValue(ValueError):
    """A value PTV gives that cannot be used; names the field."""

    def __init__(self, field, message):
        super().__init__(f"{field}: {message}")
        self.field = field


def localised(items, language, key="value"):
    """The item's text in ``language``, else Finnish, else the first one there is."""
    items = [item for item in items or [] if item.get(key)]
    for wanted in (language, FALLBACK_LANGUAGE):
        for item in items:
            if item.get("language") == wanted:
                return item[key].strip()
    return items[0][key].strip() if items else None


def _localised_item(items, language):
    items = list(items or [])
    for wanted in (language, FALLBACK_LANGUAGE):
        for item in items:
            if item.get("language") == wanted:
                return item
    return items[0] if items else None


def _street_address(channel):
    addresses = channel.get("addresses") or []
    preferred = [a for a in addresses if a.get("type") in ADDRESS_TYPES] or addresses
    for address in preferred:
        if address.get("streetAddress"):
            return address["streetAddress"]
    return None


def _coordinates(street):
    northing, easting = street.get("latitude"), street.get("longitude")
    if not northing or not easting:
        return None, None
    try:
        return tm35fin_to_wgs84(float(northing), float(easting))
    except (TypeError, ValueError):
        raise BadValue(
            "latitude", f"coordinates {northing!r}, {easting!r} are not numbers"
        ) from None


def _phone(channel, language):
    phones = [p for p in channel.get("phoneNumbers") or [] if p.get("number")]
    phones = [p for p in phones if (p.get("type") or "Phone") != "Fax"]
    phone = _localised_item(phones, language)
    if phone is None:
        return None
    number = phone["number"].strip()
    prefix = (phone.get("prefixNumber") or "").strip()
    if prefix and not phone.get("isFinnishServiceNumber"):
        number = f"{prefix} {number.lstrip('0')}"
    return number


def _day(value):
    """``2026-12-24T00:00:00`` (or with a zone) → ``2026-12-24``."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        raise BadValue("opening_hours", f"date {value!r} is not a date") from None


def _opening_hours(channel, language):
    hours = []
    for entry in channel.get("serviceHours") or []:
        hours.append(
            {
                "type": entry.get("serviceHourType") or "DaysOfTheWeek",
                "valid_from": _day(entry.get("validFrom")),
                "valid_to": _day(entry.get("validTo")),
                "is_closed": bool(entry.get("isClosed")),
                "is_always_open": bool(entry.get("isAlwaysOpen")),
                "hours": [
                    {
                        "day_from": day.get("dayFrom") or "",
                        "day_to": day.get("dayTo") or "",
                        "from": day.get("from") or "",
                        "to": day.get("to") or "",
                    }
                    for day in entry.get("openingHour") or []
                ],
                "info": localised(entry.get("additionalInformation"), language) or "",
            }
        )
    return hours or None


def location_values(channel, language):
    """``({field: value or None}, [BadValue, ...])`` of one channel in one language.

    A value that cannot be read is left out (the location keeps what it has)
    and its error returned, so the rest of the record is still used.
    """
    names = [n for n in channel.get("serviceChannelNames") or [] if n.get("type") == NAME_TYPE]
    values = {"name": localised(names or channel.get("serviceChannelNames"), language)}
    errors = []
    street = _street_address(channel) or {}
    number = (street.get("streetNumber") or "").strip()
    street_name = localised(street.get("street"), language)
    values["address"] = " ".join(part for part in (street_name, number) if part) or None
    values["postal_code"] = (street.get("postalCode") or "").strip() or None
    values["city"] = localised(street.get("postOffice"), language)
    try:
        values["latitude"], values["longitude"] = _coordinates(street)
    except BadValue as error:
        errors.append(error)
    values["phone"] = _phone(channel, language)
    values["email"] = localised(channel.get("emails"), language)
    values["website"] = localised(channel.get("webPages"), language, key="url")
    try:
        values["opening_hours"] = _opening_hours(channel, language)
    except BadValue as error:
        errors.append(error)
    return values, errors

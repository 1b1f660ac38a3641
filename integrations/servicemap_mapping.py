"""A Service Map (TPR) unit in the shape of a ``catalogue.ServiceLocation``, per language.

Texts come as ``name_fi``, ``name_sv``, ``name_en``: each page takes its own
language's, else the Finnish one. The unit's coordinates are already WGS84.
Opening hours are not taken: the unit resource carries them only as free text.
"""

FALLBACK_LANGUAGE = "fi"


def _text(unit, name, language):
    for wanted in (language, FALLBACK_LANGUAGE):
        value = unit.get(f"{name}_{wanted}")
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _number(value):
    if value in (None, ""):
        return None
    return round(float(value), 6)


def location_values(unit, language):
    """``({field: value or None}, [errors])`` of one unit in one language."""
    errors = []
    values = {
        "name": _text(unit, "name", language),
        "address": _text(unit, "street_address", language),
        "postal_code": (unit.get("address_zip") or "").strip() or None,
        "city": _text(unit, "address_city", language),
        # Several numbers come separated by commas: the first is the location's.
        "phone": (unit.get("phone") or "").split(",")[0].strip() or None,
        "email": (unit.get("email") or "").strip() or None,
        "website": _text(unit, "www", language),
    }
    try:
        values["latitude"] = _number(unit.get("latitude"))
        values["longitude"] = _number(unit.get("longitude"))
    except (TypeError, ValueError):
        values.pop("latitude", None)
        errors.append(
            f"latitude: coordinates {unit.get('latitude')!r}, {unit.get('longitude')!r} "
            "are not numbers"
        )
    return values, errors

"""Where a service location's data comes from, and which of its fields an interface maintains.

A location (``ServiceLocation``) may be linked to a PTV service channel
(``ptv_id``), to a map-source unit (``servicemap_id``), to both, or to neither
(typed by hand). ``source_fields`` records which fields an interface has
written (``{"address": "ptv", ...}``); those are the interface's to maintain
and the admin shows them read-only. A field stays the interface's only while
the location is still linked to it: removing the link gives every field back
to the editors.

The interfaces themselves live in ``integrations``; they register their names
and, where there is one, the address where a field is edited at its source.
"""

from django.utils.translation import gettext_lazy as _

# The link field of each source.
LINK_FIELDS = {"ptv": "ptv_id", "servicemap": "servicemap_id"}
# The fields an interface may maintain.
MAINTAINABLE_FIELDS = (
    "name",
    "address",
    "postal_code",
    "city",
    "latitude",
    "longitude",
    "phone",
    "email",
    "website",
    "opening_hours",
)

_labels = {"ptv": _("PTV"), "servicemap": _("palvelukartta")}
_edit_urls = {}


def register_source(source, label, edit_url=None):
    """Name a source for the admin; ``edit_url(link_id)`` gives where its data is edited."""
    _labels[source] = label
    if edit_url is not None:
        _edit_urls[source] = edit_url


def source_label(source):
    return _labels.get(source, source)


def edit_url(location, source):
    make = _edit_urls.get(source)
    link = getattr(location, LINK_FIELDS.get(source, ""), "")
    return make(link) if make and link else None


def maintained_fields(location):
    """``{field: source}`` of the fields an interface maintains on this location now."""
    return {
        field: source
        for field, source in (location.source_fields or {}).items()
        if field in MAINTAINABLE_FIELDS
        and source in LINK_FIELDS
        and getattr(location, LINK_FIELDS[source], "")
    }

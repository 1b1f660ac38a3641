"""Admin panels of the catalogue's own making."""

from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, InlinePanel

from catalogue.forms import ServiceLocationForm
from catalogue.location_sources import edit_url, source_label

MAINTAINED_BY = _("Ylläpidetään lähteessä %(source)s; ei muokattavissa täällä.")
EDIT_AT_SOURCE = _("Muokkaa: %(source)s")
CLOSED = _("suljettu")


class ReadOnlyFieldPanel(FieldPanel):
    """A field editors see but do not edit, with words for an empty value.

    Wagtail shows an empty read-only value as the text "None".
    """

    def __init__(self, field_name, empty_text="", **kwargs):
        kwargs["read_only"] = True
        super().__init__(field_name, **kwargs)
        self.empty_text = empty_text

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "empty_text": self.empty_text}

    def format_value_for_display(self, value):
        if value is None or value == "":
            return self.empty_text
        return super().format_value_for_display(value)


class LocationsPanel(InlinePanel):
    """The service's locations, each through ``ServiceLocationForm`` (maintained fields locked)."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["form"] = ServiceLocationForm
        return options


class LocationFieldPanel(FieldPanel):
    """A location field: read-only, naming its source, where an interface maintains it.

    For PTV the note links to the location's page in PTV, where it is edited.
    """

    class BoundPanel(FieldPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            maintained = getattr(self.form, "maintained", {})
            source = maintained.get(self.field_name)
            if self.bound_field is None or source is None:
                return
            self.read_only = True
            url = edit_url(self.instance, source)
            note = MAINTAINED_BY % {"source": source_label(source)}
            if url:
                self.help_text = format_html(
                    '{} <a href="{}" target="_blank" rel="noopener">{}</a>',
                    note,
                    url,
                    EDIT_AT_SOURCE % {"source": source_label(source)},
                )
            else:
                self.help_text = note

    def format_value_for_display(self, value):
        if isinstance(value, list):  # opening hours
            return "; ".join(_opening_hours_line(entry) for entry in value) or "–"
        if value is None or value == "":
            return "–"
        return super().format_value_for_display(value)


def _opening_hours_line(entry):
    days = ", ".join(
        f"{h.get('day_from', '')} {h.get('from', '')}–{h.get('to', '')}".strip()
        for h in entry.get("hours", [])
    )
    if entry.get("is_closed"):
        days = str(CLOSED)
    period = " – ".join(d for d in (entry.get("valid_from"), entry.get("valid_to")) if d)
    return " ".join(part for part in (period, days, entry.get("info", "")) if part)

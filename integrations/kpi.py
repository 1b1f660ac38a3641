"""The plan's figures for the steering group (ohjausryhmä), as a report and a CSV.

Each figure is one function in ``FIGURES`` returning a ``Figure``; adding a
figure is adding a function there.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from catalogue.location_sources import maintained_fields
from catalogue.models import ServiceLocation
from integrations import ptv_export


@dataclass
class Figure:
    key: str
    label: str
    count: int
    total: int | None = None  # the count is a share of this, when there is one
    goal: str = ""

    @property
    def share(self):
        """The count as a percentage of the total, one decimal (None without a total)."""
        if not self.total:
            return None
        return round(100 * self.count / self.total, 1)


def locations_from_interfaces():
    """Of the locations of live services, those whose data an interface maintains (goal 80 %).

    Counted once per location: on the Finnish pages (translations hold copies).
    """
    locations = ServiceLocation.objects.filter(
        page__live=True, page__locale=Locale.get_default()
    ).only("ptv_id", "servicemap_id", "source_fields")
    total = maintained = 0
    for location in locations:
        total += 1
        maintained += bool(maintained_fields(location))
    return Figure(
        key="locations_from_interfaces",
        label=_("Toimipisteet, joiden tiedot tulevat rajapinnoista"),
        count=maintained,
        total=total,
        goal=_("80 %"),
    )


def services_exported_to_ptv():
    """Services whose last export to PTV succeeded (goal: at least 40 municipal services)."""
    return Figure(
        key="services_exported_to_ptv",
        label=_("PTV:hen viedyt palvelut"),
        count=ptv_export.figures().exported,
        goal=_("vähintään 40 kunnan palvelua"),
    )


def services_never_exported_to_ptv():
    """Live public services never exported to PTV: what is left to mark, or to fix."""
    return Figure(
        key="services_never_exported_to_ptv",
        label=_("Julkaistut palvelut, joita ei ole koskaan viety PTV:hen"),
        count=ptv_export.figures().never_exported,
    )


# The figures of the report, in order.
FIGURES = [locations_from_interfaces, services_exported_to_ptv, services_never_exported_to_ptv]


def figures():
    return [figure() for figure in FIGURES]

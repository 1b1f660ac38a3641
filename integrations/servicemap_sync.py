"""The map-source import (``manage.py servicemap_sync``): locations not in PTV from the
Service Map.

Every location linked by ``servicemap_id`` is read unit by unit on every run
(the unit resource has no "changed since" query); an unchanged unit writes
nothing. Provenance, precedence (PTV wins where both give a field),
revisions and run logging are those of ``location_writer`` and ``runs``.
A unit the Service Map no longer has is reported by name and its location
kept as it is.
"""

from django.conf import settings

from catalogue.models import ServiceLocation
from integrations import location_writer
from integrations.models import IntegrationRun
from integrations.runs import logged_run
from integrations.servicemap_client import ServiceMapClient
from integrations.servicemap_mapping import location_values

SOURCE = "servicemap"
USERNAME = "Palvelukartta-integraatio"


def is_configured():
    return bool(settings.SERVICEMAP_API_URL)


def run(*, client=None):
    """One logged run; returns its ``IntegrationRun``."""
    with logged_run(IntegrationRun.Interface.SERVICEMAP, full=True) as log:
        client = client or ServiceMapClient.from_settings()
        linked = sorted(
            set(
                ServiceLocation.objects.exclude(servicemap_id="").values_list(
                    "servicemap_id", flat=True
                )
            )
        )
        units, missing = {}, []
        for unit_id in linked:
            unit = client.unit(unit_id)
            if unit is None:
                missing.append(f"{SOURCE} {unit_id}: the Service Map has no such unit")
            else:
                units[unit_id] = unit
        result = location_writer.write(
            SOURCE,
            units,
            lambda link, language: (
                location_values(units[link], language) if link in units else None
            ),
            location_writer.integration_user(USERNAME),
        )
        refused = missing + result.refused
        log.counts = {
            "fetched": len(units),
            "updated": result.updated_pages,
            "unchanged": result.unchanged_pages,
            "refused": len(refused),
        }
        log.message = "\n".join(refused)
    return log

"""The PTV fetch (``manage.py ptv_sync``): service locations from PTV into the manual.

For every organisation linked to PTV (``OrganisationPage.ptv_id``) the run
lists its service locations in PTV, changed since the start of the last
successful run (all of them with ``full``), plus every location linked here
that has never been fetched (a newly linked one whose PTV record has not
changed lately); a full run refreshes every linked location. Only channels
some ``ServiceLocation.ptv_id`` links to are fetched in full. Everything is
fetched before anything is written, so PTV failing half-way leaves the manual
exactly as it was.
"""

from datetime import timedelta

from django.conf import settings

from catalogue.models import OrganisationPage, ServiceLocation
from integrations import location_writer
from integrations.models import IntegrationRun
from integrations.ptv_client import PtvClient
from integrations.ptv_mapping import location_values
from integrations.runs import logged_run

SOURCE = "ptv"
USERNAME = "PTV-integraatio"
# Asked for a little before the last run began: the clocks of PTV and this server may
# differ. Fetching a record again costs little; an unchanged one writes nothing.
OVERLAP = timedelta(minutes=10)


def is_configured():
    return bool(settings.PTV_API_URL)


def run(*, full=False, client=None):
    """One logged run; returns its ``IntegrationRun``."""
    last = None if full else IntegrationRun.last_success(IntegrationRun.Interface.PTV_FETCH)
    since = last.started_at - OVERLAP if last else None
    with logged_run(IntegrationRun.Interface.PTV_FETCH, full=since is None, since=since) as log:
        client = client or PtvClient.from_settings()
        channels = _fetch(client, since)
        result = location_writer.write(
            SOURCE,
            channels,
            lambda link, language: (
                location_values(channels[link], language) if link in channels else None
            ),
            location_writer.integration_user(USERNAME),
        )
        log.counts = {
            "fetched": len(channels),
            "updated": result.updated_pages,
            "unchanged": result.unchanged_pages,
            "refused": len(result.refused),
        }
        log.message = "\n".join(result.refused)
    return log


def _fetch(client, since):
    """``{channel GUID: channel}`` of the linked service locations to bring up to date."""
    linked = set(ServiceLocation.objects.exclude(ptv_id="").values_list("ptv_id", flat=True))
    # A full run refreshes every linked location, an incremental one those never fetched.
    wanted = (
        set(linked)
        if since is None
        else set(
            ServiceLocation.objects.exclude(ptv_id="")
            .filter(synced_at__isnull=True)
            .values_list("ptv_id", flat=True)
        )
    )
    # Translations of an organisation carry the same GUID.
    organisations = set(
        OrganisationPage.objects.exclude(ptv_id="").values_list("ptv_id", flat=True)
    )
    for organisation in sorted(organisations):
        wanted.update(
            guid for guid in client.service_location_ids(organisation, since) if guid in linked
        )
    return {
        channel["id"]: channel
        for channel in client.service_channels(sorted(wanted))
        if channel.get("id")
        and channel.get("serviceChannelType", "ServiceLocation") == "ServiceLocation"
    }

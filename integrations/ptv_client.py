"""Reading service locations from PTV (Suomi.fi Finnish Service Catalogue), Open API v11.

Reads are anonymous. Lists are paged: ``{pageNumber, pageSize, pageCount,
itemList}``, pages numbered from 1 (``?page=``). An organisation's service
locations are listed by ``ServiceChannel/organization/{id}/type/ServiceLocation``
as ``{id, name}`` items, ``?date=`` (UTC, ``yyyy-MM-ddTHH:mm:ss``) keeping those
created or changed since then; their details come from ``ServiceChannel/list``,
at most 100 GUIDs a request.
"""

from django.conf import settings

from integrations.http_json import ExternalServiceError, JsonClient

DETAILS_PER_REQUEST = 100
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S"
# A stop against an answer whose page count never ends.
MAX_PAGES = 1000


class PtvClient(JsonClient):
    @classmethod
    def from_settings(cls):
        return cls(
            settings.PTV_API_URL,
            timeout=settings.INTEGRATION_TIMEOUT_SECONDS,
            retries=settings.INTEGRATION_RETRIES,
        )

    def pages(self, path, params=None):
        """Every item of a paged list, following ``pageCount``."""
        number = 1
        while True:
            answer = self.get(path, {**(params or {}), "page": number})
            if not isinstance(answer, dict) or "pageCount" not in answer:
                raise ExternalServiceError(f"{self.url(path)}: not a paged list")
            yield from answer.get("itemList") or []
            if number >= (answer.get("pageCount") or 0) or number >= MAX_PAGES:
                return
            number += 1

    def service_location_ids(self, organisation_id, since=None):
        """GUIDs of the organisation's published service locations (changed since ``since``)."""
        params = {"date": since.strftime(DATE_FORMAT)} if since else {}
        path = f"ServiceChannel/organization/{organisation_id}/type/ServiceLocation"
        return [item["id"] for item in self.pages(path, params) if item.get("id")]

    def service_channels(self, ids):
        """The channels' full records, fetched in batches."""
        ids = list(ids)
        channels = []
        for start in range(0, len(ids), DETAILS_PER_REQUEST):
            batch = ids[start : start + DETAILS_PER_REQUEST]
            answer = self.get("ServiceChannel/list", {"guids": ",".join(batch)})
            if not isinstance(answer, list):
                raise ExternalServiceError(f"{self.url('ServiceChannel/list')}: not a list")
            channels.extend(answer)
        return channels

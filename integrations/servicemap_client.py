"""Reading units from Helsinki's Service Map (TPR, palvelukarttaws REST API v4).

``GET unit/{id}`` answers one unit: ``name_fi/sv/en``,
``street_address_fi/sv/en``, ``address_zip``, ``address_city_fi/sv/en``,
``latitude``/``longitude`` (WGS84 degrees), ``phone`` (numbers separated by
commas), ``email``, ``www_fi/sv/en``, ``accessibility_viewpoints`` and more.
Reads are anonymous.
"""

from django.conf import settings

from integrations.http_json import ExternalServiceError, JsonClient, NotFound


class ServiceMapClient(JsonClient):
    @classmethod
    def from_settings(cls):
        return cls(
            settings.SERVICEMAP_API_URL,
            timeout=settings.INTEGRATION_TIMEOUT_SECONDS,
            retries=settings.INTEGRATION_RETRIES,
        )

    def unit(self, unit_id):
        """The unit, or ``None`` when the Service Map has no such unit."""
        try:
            answer = self.get(f"unit/{unit_id}/")
        except NotFound:
            return None
        if not isinstance(answer, dict):
            raise ExternalServiceError(f"{self.url(f'unit/{unit_id}/')}: not a unit")
        return answer

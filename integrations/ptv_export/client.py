"""A small HTTP client for PTV's Open API v11 service endpoints (writes need a bearer token).

``POST /v11/Service`` creates a service, ``PUT /v11/Service/sourceId/{sourceId}``
updates the one we created, ``GET /v11/Service/{id}`` reads what PTV holds.
PTV answers a refused write with HTTP 400 and a dictionary of property name →
messages; those messages are what administrators see.
"""

import json
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings

USER_AGENT = "Palvelumanuaali-PTV-export/1"


class PtvError(Exception):
    """A request PTV did not carry out. ``rejected``: PTV refused the content (4xx other
    than authentication); otherwise PTV or the way to it failed and a later try may work."""

    def __init__(self, message, status=None):
        super().__init__(message)
        self.message = message
        self.status = status

    @property
    def rejected(self):
        return (
            self.status is not None and 400 <= self.status < 500 and self.status not in (401, 403)
        )


class PtvClient:
    def __init__(
        self,
        base_url=None,
        token=None,
        token_url=None,
        username=None,
        password=None,
        organisation=None,
        timeout=None,
    ):
        self.base_url = (base_url or settings.PTV_EXPORT_API_URL).rstrip("/")
        self.token = token if token is not None else settings.PTV_EXPORT_TOKEN
        self.token_url = token_url if token_url is not None else settings.PTV_EXPORT_TOKEN_URL
        self.username = username if username is not None else settings.PTV_EXPORT_USERNAME
        self.password = password if password is not None else settings.PTV_EXPORT_PASSWORD
        self.organisation = (
            organisation if organisation is not None else settings.PTV_EXPORT_API_ORGANISATION
        )
        self.timeout = timeout or settings.PTV_EXPORT_TIMEOUT

    @property
    def can_write(self):
        return bool(self.token or self.token_url)

    def create_service(self, payload):
        return self._request("POST", "/v11/Service", payload, auth=True)

    def update_service(self, source_id, payload):
        path = f"/v11/Service/sourceId/{urllib.parse.quote(source_id, safe='')}"
        return self._request("PUT", path, payload, auth=True)

    def get_service(self, ptv_id):
        return self._request("GET", f"/v11/Service/{urllib.parse.quote(ptv_id, safe='')}")

    def _bearer(self):
        if not self.token:
            if not self.token_url:
                raise PtvError("no PTV credentials: set PTV_EXPORT_TOKEN or PTV_EXPORT_TOKEN_URL")
            credentials = {"username": self.username, "password": self.password}
            if self.organisation:
                credentials["apiUserOrganisation"] = self.organisation
            answer = self._send("POST", self.token_url, credentials, {})
            # The production sign-in answers serviceToken, the training environment ptvToken.
            token = (
                answer.get("serviceToken") or answer.get("ptvToken") or answer.get("access_token")
            )
            if not token:
                raise PtvError("PTV's sign-in answered without a token")
            self.token = token
        return self.token

    def _request(self, method, path, body=None, auth=False):
        headers = {"Authorization": f"Bearer {self._bearer()}"} if auth else {}
        return self._send(method, self.base_url + path, body, headers)

    def _send(self, method, url, body, headers):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            url,
            data=data,
            method=method,
            headers={
                "Accept": "application/json",
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
                **headers,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as error:
            with error:
                raise PtvError(_error_message(error.code, error.read()), error.code) from None
        except TimeoutError:
            raise PtvError(f"PTV did not answer within {self.timeout} s") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            if isinstance(reason, TimeoutError):
                raise PtvError(f"PTV did not answer within {self.timeout} s") from None
            raise PtvError(f"PTV could not be reached: {reason}") from None
        try:
            return json.loads(raw) if raw else {}
        except ValueError:
            raise PtvError("PTV answered with something other than JSON") from None


def _error_message(status, raw):
    """PTV's own words: a 400 is {property: [messages]}; other errors carry a message or text."""
    text = raw.decode("utf-8", "replace").strip()
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    if isinstance(body, dict):
        if all(isinstance(value, list) for value in body.values()) and body:
            parts = [f"{key}: {' '.join(str(v) for v in value)}" for key, value in body.items()]
            return f"HTTP {status}: " + "; ".join(parts)
        for key in ("message", "errorMessage", "ErrorMessage", "title"):
            if body.get(key):
                return f"HTTP {status}: {body[key]}"
    return f"HTTP {status}: {text[:500]}" if text else f"HTTP {status}"

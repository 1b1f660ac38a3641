"""Reading JSON over HTTP from an external system: a timeout, bounded retries, one error class.

Both interfaces (PTV, the map source) only read, anonymously. A failed
attempt (no answer within the timeout, a connection error, a 5xx answer, or a
body that is not JSON) is tried again after a wait that doubles each time; a
4xx answer is the caller's mistake and is not retried. When every attempt
fails, ``ExternalServiceError`` says what happened and where; the caller
writes nothing and logs the run as failed.
"""

import json
import time
import urllib.error
import urllib.parse
import urllib.request

USER_AGENT = "Palvelumanuaali-Integrations/1"


class ExternalServiceError(Exception):
    """An external system did not answer usefully (after the retries)."""


class NotFound(ExternalServiceError):
    """The external system has no such record (HTTP 404)."""


class JsonClient:
    def __init__(self, base_url, *, timeout=10, retries=2, backoff=1.0):
        if not base_url.lower().startswith(("https://", "http://")):
            raise ExternalServiceError(f"only http and https addresses are called: {base_url!r}")
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff

    def url(self, path, params=None):
        url = urllib.parse.urljoin(self.base_url, path.lstrip("/"))
        if params:
            url += "?" + urllib.parse.urlencode(params)
        return url

    def get(self, path, params=None):
        """The decoded JSON of ``GET base_url/path?params``."""
        url = self.url(path, params)
        attempt = 0
        while True:
            try:
                return self._get_once(url)
            except _Retryable as error:
                if attempt >= self.retries:
                    raise ExternalServiceError(
                        f"{url}: {error} ({attempt + 1} attempts)"
                    ) from error
                time.sleep(self.backoff * 2**attempt)
                attempt += 1

    def _get_once(self, url):
        request = urllib.request.Request(
            url, headers={"Accept": "application/json", "User-Agent": USER_AGENT}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as error:
            error.close()
            if error.code >= 500:
                raise _Retryable(f"HTTP {error.code}") from error
            if error.code == 404:
                raise NotFound(f"{url}: HTTP 404") from error
            raise ExternalServiceError(f"{url}: HTTP {error.code}") from error
        except (TimeoutError, urllib.error.URLError, ConnectionError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise _Retryable(f"no answer ({reason or error.__class__.__name__})") from error
        try:
            return json.loads(body)
        except ValueError as error:
            raise _Retryable("the answer is not JSON") from error


class _Retryable(Exception):
    pass

"""Stand-in servers for the integration tests: PTV's Open API v11 and the Service Map
(TPR REST v4), each a real HTTP server on 127.0.0.1 answering with the documented shapes.

The clients reach them over real HTTP, so nothing of the clients is mocked.
Failures are scripted per request: ``server.failures = ["500", "timeout", "not-json"]``
spends one entry per request, then the server answers normally again.
"""

import contextlib
import copy
import json
import math
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from open_data_catalogue import TRILINGUAL, add_location_details
from ptv_export_data import ORG_GUID
from ptv_export_standin import TOKEN, PtvExportStandIn

from catalogue.models import ServicePage
from integrations.ptv_export.client import PtvClient

HERE = Path(__file__).parent
# Longer than the clients' timeout in these tests (INTEGRATION_TIMEOUT_SECONDS=1).
SLOW_SECONDS = 1.5


def fixture(name):
    return json.loads((HERE / name).read_text())


class StandIn:
    """A JSON server: ``answer(path, query)`` returns ``(status, body)``."""

    def __init__(self):
        self.requests = []  # (path, {name: value})
        self.failures = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                url = urlsplit(self.path)
                query = {key: values[0] for key, values in parse_qs(url.query).items()}
                stand_in.requests.append((url.path, query))
                failure = stand_in.failures.pop(0) if stand_in.failures else None
                if failure == "timeout":
                    time.sleep(SLOW_SECONDS)
                    return self._send(200, b"[]")
                if failure == "500":
                    return self._send(500, b'{"message": "Internal Server Error"}')
                if failure == "not-json":
                    return self._send(200, b"<html>Service unavailable</html>")
                status, body = stand_in.answer(url.path, query)
                self._send(status, json.dumps(body).encode())

            def _send(self, status, body):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                # The client may have given up waiting.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def paths(self):
        return [path for path, _ in self.requests]


class PtvStandIn(StandIn):
    """``/api/v11/``: organisations' service-location lists (paged) and channel details.

    ``channels`` holds full channel records by GUID; ``modified`` the time each
    was last changed (a ``?date=`` list keeps those changed since).
    """

    page_size = 2

    def __init__(self):
        super().__init__()
        self.channels = {}
        self.modified = {}
        self.organisations = {}  # organisation GUID -> [channel GUIDs]

    def add(self, organisation, channel, modified="2026-11-30T08:15:00"):
        self.channels[channel["id"]] = channel
        self.modified[channel["id"]] = modified
        self.organisations.setdefault(organisation, []).append(channel["id"])
        return channel

    def answer(self, path, query):
        parts = path.strip("/").split("/")
        if parts[:3] != ["api", "v11", "ServiceChannel"]:
            return 404, {"message": "not found"}
        if parts[3:4] == ["organization"] and parts[5:] == ["type", "ServiceLocation"]:
            ids = [
                guid
                for guid in self.organisations.get(parts[4], [])
                if "date" not in query or self.modified[guid] >= query["date"]
            ]
            number = int(query.get("page", 1))
            start = (number - 1) * self.page_size
            return 200, {
                "pageNumber": number,
                "pageSize": self.page_size,
                "pageCount": math.ceil(len(ids) / self.page_size),
                "itemList": [
                    {"id": guid, "name": self.channels[guid]["serviceChannelNames"][0]["value"]}
                    for guid in ids[start : start + self.page_size]
                ]
                or None,
            }
        if parts[3:] == ["list"]:
            guids = query.get("guids", "").split(",")
            return 200, [self.channels[g] for g in guids if g in self.channels]
        return 404, {"message": "not found"}


class ServiceMapStandIn(StandIn):
    """``/palvelukarttaws/rest/v4/unit/{id}``: one unit of the Service Map (TPR)."""

    def __init__(self):
        super().__init__()
        self.units = {}

    def answer(self, path, query):
        parts = path.strip("/").split("/")
        if parts[:4] == ["palvelukarttaws", "rest", "v4", "unit"] and len(parts) == 5:
            unit = self.units.get(parts[4])
            return (200, unit) if unit else (404, {"detail": "Not found."})
        return 404, {"detail": "Not found."}


@pytest.fixture
def ptv(settings):
    server = PtvStandIn()
    settings.PTV_API_URL = f"{server.url}/api/v11/"
    settings.INTEGRATION_TIMEOUT_SECONDS = 1
    settings.INTEGRATION_RETRIES = 0
    yield server
    server.close()


@pytest.fixture
def servicemap(settings):
    server = ServiceMapStandIn()
    settings.SERVICEMAP_API_URL = f"{server.url}/palvelukarttaws/rest/v4/"
    settings.INTEGRATION_TIMEOUT_SECONDS = 1
    settings.INTEGRATION_RETRIES = 0
    yield server
    server.close()


@pytest.fixture
def ptv_export_server():
    """The stand-in for PTV's service writes; the API user may write for ``ORG_GUID``."""
    server = PtvExportStandIn(organisations=[ORG_GUID])
    yield server
    server.close()


@pytest.fixture
def ptv_export_client(ptv_export_server):
    return PtvClient(base_url=ptv_export_server.api_url, token=TOKEN, timeout=2)


@pytest.fixture
def ptv_channel():
    """A service-location channel in the shape of PTV's V11VmOpenApiServiceLocationChannel."""
    return copy.deepcopy(fixture("ptv_service_location.json"))


@pytest.fixture
def servicemap_unit():
    """A unit in the shape of the TPR REST v4 ``unit`` resource."""
    return copy.deepcopy(fixture("servicemap_unit.json"))


@pytest.fixture
def trilingual_service(small_catalogue):
    """Job-search coaching in Finnish, Swedish and English, at two locations."""
    from exchange.importer import import_document

    import_document(copy.deepcopy(TRILINGUAL))
    add_location_details()
    return ServicePage.objects.get(key="job-coaching", locale__language_code="fi")

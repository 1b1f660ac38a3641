"""Fixtures of the webhook tests: real HTTP receivers on 127.0.0.1, endpoints, pages.

Each receiver is a small ``http.server`` in a thread; the sender reaches it
over real HTTP, so nothing of the client is mocked.
"""

import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Received:
    path: str
    headers: object  # case-insensitive, as receivers read them
    body: bytes


class Receiver:
    """Records every POST; answers with the scripted statuses in turn, then 200."""

    def __init__(self):
        self.requests = []
        self.statuses = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append(Received(self.path, self.headers, body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", f"{receiver.url}elsewhere/")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    started = Receiver()
    yield started
    started.close()


@pytest.fixture
def internal_receiver():
    started = Receiver()
    yield started
    started.close()


@pytest.fixture
def endpoint(db, receiver):
    from webhooks.models import WebhookEndpoint

    return WebhookEndpoint.objects.create(name="Julkinen frontend", url=receiver.url)


@pytest.fixture
def organisation(site_tree):
    from people.organisations import create_organisation

    return create_organisation("helsinki", "Helsingin työllisyyspalvelut")[0]

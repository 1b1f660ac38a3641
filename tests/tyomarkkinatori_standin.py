"""A stand-in for Työmarkkinatori's client profile API on 127.0.0.1.

It answers in the shape guidance.background expects (its docstring is the
specification): a client's profile for the access token of their sign-in,
only the parts asked for in ``fields`` and covered by the client's consent,
403 ``consent_refused`` for a client who has not consented, 401 for a token
it does not know. A test may make it slow (``delay``) or answer something
else entirely (``raw``). Every request is recorded.
"""

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Client:
    profile: dict
    # The parts (Työmarkkinatori's names) the client has consented to share; None: all.
    consented: set | None = None
    refused: bool = False


@dataclass
class Request:
    path: str
    fields: list
    authorization: str


class TyomarkkinatoriStandIn:
    def __init__(self):
        self.clients = {}  # access token → Client
        self.delay = 0.0  # seconds before answering
        self.raw = None  # (status, body bytes) to answer instead of a profile
        self.requests = []
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                standin._answer(self)

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # a caller that gave up waiting closed the connection: expected here

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/api/v1/jobseeker/profile"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def _answer(self, handler):
        url = urlsplit(handler.path)
        fields = parse_qs(url.query).get("fields", [""])[0].split(",")
        authorization = handler.headers.get("Authorization", "")
        self.requests.append(Request(url.path, [f for f in fields if f], authorization))
        if self.delay:
            time.sleep(self.delay)
        status, body = self.raw or self._profile(authorization.removeprefix("Bearer "), fields)
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
        except OSError:
            pass  # the caller gave up waiting

    def _profile(self, token, fields):
        client = self.clients.get(token)
        if client is None:
            return 401, json.dumps({"error": "invalid_token"}).encode()
        if client.refused:
            return 403, json.dumps({"error": "consent_refused"}).encode()
        allowed = (
            client.consented if client.consented is not None else set(map(_part, client.profile))
        )
        answer = {
            name: value
            for name, value in client.profile.items()
            if _part(name) in fields and _part(name) in allowed
        }
        return 200, json.dumps(answer).encode()


def _part(name):
    """The part of the profile an answer's field belongs to (a birth year stands for an age)."""
    return "age" if name == "birthYear" else name

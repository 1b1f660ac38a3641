"""A stand-in for PTV's Open API v11 service writes, served on 127.0.0.1 for the export tests.

It answers as PTV's controllers and input models document: bearer token
required for writes, ``POST /api/v11/Service`` creates (400 when the sourceId
exists), ``PUT /api/v11/Service/sourceId/{sourceId}`` updates, ``GET
/api/v11/Service/{id}`` returns the output shape (classifications as objects
with ``uri``, areas with ``code``, organisations with role types). Refusals
are PTV's 400 dictionaries of property → messages. Tests can make the next
answers a 500 or a delay beyond the client's timeout.
"""

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN = "export-token-123"
UNAUTHORISED = "Authentication required (bearer token missing from header or not valid)."
USERNAME, PASSWORD = "api-user@example.org", "secret"
URI_LISTS = ("serviceClasses", "ontologyTerms", "targetGroups", "lifeEvents", "industrialClasses")
REQUIRED = (
    "FundingType",
    "AreaType",
    "ServiceDescriptions",
    "Languages",
    "ServiceProducers",
    "PublishingStatus",
    "MainResponsibleOrganization",
    "Type",
)
LIMITS = {"Summary": 150, "Description": 2500, "UserInstruction": 2500}


class PtvExportStandIn:
    def __init__(self, organisations):
        self.organisations = set(organisations)  # PTV GUIDs the API user may write for
        self.services = {}  # id → stored service in the output shape
        self.by_source = {}
        self.requests = []  # (method, path, body)
        self.scripted = []  # next answers: ("status", code) or ("delay", seconds)
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, status, body):
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _handle(self, method):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length)) if length else None
                standin.requests.append((method, self.path, body))
                if standin.scripted:
                    kind, value = standin.scripted.pop(0)
                    if kind == "delay":
                        time.sleep(value)
                    else:
                        return self._answer(
                            value, {"message": "An error has occured on the server."}
                        )
                status, answer = standin.route(method, self.path, self.headers, body)
                self._answer(status, answer)

            def do_GET(self):
                self._handle("GET")

            def do_POST(self):
                self._handle("POST")

            def do_PUT(self):
                self._handle("PUT")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.api_url = f"{self.url}/api"
        self.token_url = f"{self.url}/api/auth/api-login"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def writes(self):
        return [(method, path) for method, path, _ in self.requests if method in ("POST", "PUT")]

    def route(self, method, path, headers, body):
        if path == "/api/auth/api-login" and method == "POST":
            if (body or {}).get("username") == USERNAME and body.get("password") == PASSWORD:
                return 200, {"serviceToken": TOKEN}
            return 401, {"message": "Invalid credentials"}
        if path.startswith("/api/v11/Service/") and method == "GET":
            service = self.services.get(path.rsplit("/", 1)[1])
            if service is None:
                return 404, {"message": "Entity not found with given identifier."}
            return 200, service
        if headers.get("Authorization") != f"Bearer {TOKEN}":
            return 401, {"message": UNAUTHORISED}
        if path == "/api/v11/Service" and method == "POST":
            source_id = body.get("sourceId")
            if source_id in self.by_source:
                message = (
                    f"The external source '{source_id}' already exists. Please use update endpoint!"
                )
                return 400, {"SourceId": [message]}
            return self._store(str(uuid.uuid4()), body)
        if path.startswith("/api/v11/Service/sourceId/") and method == "PUT":
            source_id = path.rsplit("/", 1)[1]
            if source_id not in self.by_source:
                message = (
                    f"The external source '{source_id}' does not exists. "
                    "Please use POST endpoint or other sourceId!"
                )
                return 400, {"sourceId": [message]}
            return self._store(self.by_source[source_id], {**body, "sourceId": source_id})
        return 404, {"message": "Invalid version number."}

    def _store(self, ptv_id, body):
        errors = validate(body, self.organisations)
        if errors:
            return 400, errors
        service = {key: value for key, value in body.items() if key not in URI_LISTS}
        for name in URI_LISTS:
            service[name] = [
                {"uri": uri, "code": uri.rsplit("/", 1)[1]} for uri in body.get(name, [])
            ]
        service["areas"] = [
            {"type": area["type"], "code": code}
            for area in body["areas"]
            for code in area["areaCodes"]
        ]
        service["organizations"] = [
            {"organization": {"id": body["mainResponsibleOrganization"]}, "roleType": "Responsible"}
        ] + [
            {
                "organization": {"id": org},
                "roleType": "Producer",
                "provisionType": p["provisionType"],
            }
            for p in body["serviceProducers"]
            for org in p["organizations"]
        ]
        for key in ("mainResponsibleOrganization", "serviceProducers"):
            service.pop(key)
        service["id"] = ptv_id
        self.services[ptv_id] = service
        self.by_source[body["sourceId"]] = ptv_id
        return 200, service


def validate(body, organisations):
    """The rules of V9VmOpenApiServiceIn that a test can break, with PTV's messages."""
    errors = {}
    for name in REQUIRED:
        key = name[0].lower() + name[1:]
        if body.get(key) in (None, "", []):
            errors[name] = [f"The {name} field is required."]
    if not any(item.get("type") == "Name" for item in body.get("serviceNames") or []):
        errors["ServiceNames"] = ["Type - Required value 'Name' was not found!"]
    for item in body.get("serviceNames") or []:
        if len(item["value"]) > 100:
            errors["ServiceNames"] = ["Maximum length of property 'Value' must be '100'."]
    for item in body.get("serviceDescriptions") or []:
        limit = LIMITS.get(item["type"])
        if limit and len(item["value"]) > limit:
            errors["ServiceDescriptions"] = [
                f"Maximum length of property 'Value' must be '{limit}'."
            ]
    organisation = body.get("mainResponsibleOrganization")
    if organisation and organisation not in organisations:
        errors["MainResponsibleOrganization"] = [
            f"Organization '{organisation}' is not a valid user organization. "
            "You do not have permission to update data!"
        ]
    return errors

"""A stand-in OpenID Connect provider on 127.0.0.1, for the client sign-in's tests.

It plays Suomi.fi e-Identification's part in the authorization code flow:
discovery, the authorization endpoint (where the person "identifies" as
``subject`` at once), the token endpoint (client_secret_post, PKCE S256)
issuing an RS256-signed ID token, the JWKS endpoint with the signing key,
and a userinfo endpoint that would tell the person's personal identity code
and name to whoever asked. Every request is recorded, so tests can show what
the service manual asked for — and what it did not.

The attributes set in ``__init__`` let a test make it misbehave.
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

# What the provider's userinfo would give: the service manual must never see it.
PERSONAL_IDENTITY_CODE = "010190-999X"
USERINFO_NAME = ("Hilkka-Standin", "Vastaajalainen")


def _signing_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class OpenIDProviderStandIn:
    def __init__(self, client_id="palvelumanuaali", client_secret="stand-in-secret"):
        self.client_id = client_id
        self.client_secret = client_secret
        self.key = _signing_key()
        self.kid = "standin-key-1"
        self.subject = "pairwise-subject-0001"
        # Claims to put into (or, with None, take out of) the next ID tokens.
        self.id_token_changes = {}
        # Another key to sign with, to forge a token the JWKS does not vouch for.
        self.forging_key = None
        # A status for the token endpoint to answer instead (e.g. 500).
        self.token_status = None
        # A body for the JWKS endpoint to answer instead of the key set.
        self.jwks_answer = None
        self.requests = []
        self._codes = {}
        self._access_tokens = {}
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                provider._handle(self, "GET")

            def do_POST(self):
                provider._handle(self, "POST")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.issuer = self.url
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def settings(self):
        """The settings a deployment takes from the provider's discovery and registration."""
        return {
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.url}/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.url}/token",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.url}/jwks",
            "OIDC_OP_ISSUER": self.issuer,
            "OIDC_RP_SIGN_ALGO": "RS256",
        }

    def paths(self):
        return [path for _, path in self.requests]

    # --- Endpoints ------------------------------------------------------------------

    def _handle(self, handler, method):
        url = urlsplit(handler.path)
        self.requests.append((method, url.path))
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if method == "POST":
            length = int(handler.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in parse_qs(handler.rfile.read(length).decode()).items()}
        routes = {
            ("GET", "/.well-known/openid-configuration"): lambda: self._discovery(),
            ("GET", "/authorize"): lambda: self._authorize(query),
            ("POST", "/token"): lambda: self._token(form),
            ("GET", "/jwks"): lambda: self._jwks(),
            ("GET", "/userinfo"): lambda: self._userinfo(handler.headers),
        }
        route = routes.get((method, url.path))
        status, headers, body = route() if route else (404, {}, {"error": "not_found"})
        payload = json.dumps(body).encode() if body is not None else b""
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)

    def _discovery(self):
        return (
            200,
            {},
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.url}/authorize",
                "token_endpoint": f"{self.url}/token",
                "jwks_uri": f"{self.url}/jwks",
                "userinfo_endpoint": f"{self.url}/userinfo",
                "subject_types_supported": ["pairwise"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
            },
        )

    def _authorize(self, query):
        if query.get("client_id") != self.client_id or query.get("response_type") != "code":
            return 400, {}, {"error": "invalid_request"}
        if "openid" not in query.get("scope", "").split():
            return 400, {}, {"error": "invalid_scope"}
        code = secrets.token_urlsafe(16)
        self._codes[code] = {
            "subject": self.subject,
            "nonce": query.get("nonce"),
            "redirect_uri": query["redirect_uri"],
            "challenge": query.get("code_challenge"),
            "scope": query["scope"],
        }
        target = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
        return 302, {"Location": target}, None

    def _token(self, form):
        if self.token_status:
            return self.token_status, {}, {"error": "server_error"}
        grant = self._codes.pop(form.get("code"), None)
        if (
            grant is None
            or form.get("grant_type") != "authorization_code"
            or form.get("redirect_uri") != grant["redirect_uri"]
        ):
            return 400, {}, {"error": "invalid_grant"}
        if (form.get("client_id"), form.get("client_secret")) != (
            self.client_id,
            self.client_secret,
        ):
            return 401, {}, {"error": "invalid_client"}
        if grant["challenge"] and grant["challenge"] != _s256(form.get("code_verifier", "")):
            return 400, {}, {"error": "invalid_grant"}
        access_token = secrets.token_urlsafe(24)
        self._access_tokens[access_token] = grant["subject"]
        return (
            200,
            {},
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 600,
                "id_token": self._id_token(grant),
            },
        )

    def _id_token(self, grant):
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": grant["subject"],
            "aud": self.client_id,
            "iat": now,
            "exp": now + 600,
            "nonce": grant["nonce"],
            "acr": "http://ftn.ficora.fi/2017/loa3",
        }
        for name, value in self.id_token_changes.items():
            if value is None:
                claims.pop(name, None)
            else:
                claims[name] = value
        return jwt.encode(
            claims, self.forging_key or self.key, algorithm="RS256", headers={"kid": self.kid}
        )

    def _jwks(self):
        if self.jwks_answer is not None:
            return 200, {}, self.jwks_answer
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return 200, {}, {"keys": [{**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def _userinfo(self, headers):
        token = headers.get("Authorization", "").removeprefix("Bearer ")
        subject = self._access_tokens.get(token)
        if subject is None:
            return 401, {}, {"error": "invalid_token"}
        given, family = USERINFO_NAME
        return (
            200,
            {},
            {
                "sub": subject,
                "personal_identity_code": PERSONAL_IDENTITY_CODE,
                "given_name": given,
                "family_name": family,
            },
        )


def _s256(verifier):
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def sign_in(client, provider, next_url="/palvelut/"):
    """Walk a person through the client sign-in with a Django test ``client``: to the
    provider, who identifies them as ``provider.subject`` at once, and back to the
    callback. Returns the callback's response."""
    start = client.get("/client/oidc/authenticate/", {"next": next_url})
    assert start.status_code == 302, start
    assert start["Location"].startswith(f"{provider.url}/authorize?")
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302, at_provider.text
    callback = urlsplit(at_provider.headers["Location"])
    return client.get(f"{callback.path}?{callback.query}")

"""Rate limits on /graphql/ and on the admin's sign-in and password reset views.

Who is counted:

- an anonymous caller of /graphql/ by client IP (an IPv6 client by its /64,
  which one machine can fill with addresses at will);
- a caller with ``Authorization: Bearer <token>`` by that token, with the
  higher ``RATE_LIMIT_GRAPHQL_SIGNED_IN``: a server-side frontend renders for
  all its visitors through one token. Tokens the view refuses (401) are also
  counted by the caller's IP, at the anonymous rate, and an IP past that limit
  is refused before its tokens are looked at, so inventing tokens does not buy
  fresh counters;
- a caller signed in with the session cookie by user;
- sign-in and password reset submissions (POST) by client IP. Guessing one
  person's password is django-axes's concern (people.lockout); this limit is
  for one address trying many.

Each limit is a fixed window (``RATE_LIMIT_… = REQUESTS/SECONDS``): a counter
per identity and window in the default cache, created with ``cache.add`` and
raised with ``cache.incr``, both atomic in Valkey/Redis, so every process and
pod shares it (CACHE_URL). A caller over the limit gets 429 with
``Retry-After`` (seconds to the next window); on /graphql/ the body is JSON in
the API's error shape. Health checks and everything else are never counted.
When the cache does not answer, requests pass (logged once when it starts and
once when it ends): an outage of the cache must not become one of the site.

Client IP: ``REMOTE_ADDR``, unless ``TRUSTED_PROXY_COUNT`` says that many
proxies in front append to ``X-Forwarded-For``; then the address the outermost
of them saw, i.e. that many entries from the right. Entries further left are
whatever the client sent and are never trusted.
"""

import hashlib
import ipaddress
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext, ngettext

logger = logging.getLogger(__name__)

GRAPHQL = "graphql"
REFUSED_TOKENS = "refused-tokens"
LOGIN = "login"
# Admin views whose submissions count against RATE_LIMIT_LOGIN (Wagtail's URL names).
LOGIN_VIEWS = {
    "wagtailadmin_login",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_confirm",
}
UNCOUNTED_METHODS = {"GET", "HEAD", "OPTIONS"}
KEY_PREFIX = "ratelimit"


def client_ip(request):
    """The caller's IP address as text (also django-axes's ``AXES_CLIENT_IP_CALLABLE``)."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if hops:
            # Fewer hops than proxies: the farthest one there is.
            candidate = hops[-min(proxies, len(hops))]
            if _valid_ip(candidate):
                return candidate
    return remote


def _valid_ip(text):
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _ip_identity(request):
    address = client_ip(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return f"ip:{address or 'unknown'}"
    if ip.version == 6:
        if ip.ipv4_mapped:
            return f"ip:{ip.ipv4_mapped}"
        return f"net:{ipaddress.ip_network(f'{ip}/64', strict=False).network_address}"
    return f"ip:{ip}"


def _bearer_token(request):
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def _token_identity(token):
    # A digest, so the cache never holds a usable token.
    return "token:" + hashlib.sha256(token.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Limit:
    """One counter: ``requests`` per ``seconds`` for one identity in one scope."""

    scope: str
    identity: str
    requests: int
    seconds: int

    def key(self, now):
        return f"{KEY_PREFIX}:{self.scope}:{self.identity}:{int(now // self.seconds)}"

    def retry_after(self, now):
        """Whole seconds until this window ends (at least 1)."""
        return max(1, math.ceil((int(now // self.seconds) + 1) * self.seconds - now))


class _CacheHealth:
    """Logs a cache outage once when it starts and once when it ends."""

    down = False

    @classmethod
    def failed(cls, error):
        if not cls.down:
            cls.down = True
            logger.warning("Rate limits are off: the cache does not answer (%r)", error)

    @classmethod
    def answered(cls):
        if cls.down:
            cls.down = False
            logger.warning("Rate limits are on again: the cache answers")


def hit(limit, now=None):
    """Count one request; the number of requests in this window so far (0 if the cache is down)."""
    now = time.time() if now is None else now
    key = limit.key(now)
    try:
        # The key outlives its window by a little, so incr never meets an expired key.
        cache.add(key, 0, timeout=limit.seconds + 5)
        try:
            count = cache.incr(key)
        except ValueError:  # evicted between add and incr
            cache.add(key, 1, timeout=limit.seconds + 5)
            count = 1
    except Exception as error:  # any cache failure: let the request through
        _CacheHealth.failed(error)
        return 0
    _CacheHealth.answered()
    return count


def peek(limit, now=None):
    """The number of requests counted in this window, without counting one."""
    now = time.time() if now is None else now
    try:
        return cache.get(limit.key(now), 0)
    except Exception as error:
        _CacheHealth.failed(error)
        return 0


def _scope(request):
    match = request.resolver_match
    name = match.url_name if match else None
    if name == GRAPHQL:
        return GRAPHQL if request.method != "OPTIONS" else None
    if name in LOGIN_VIEWS and request.method not in UNCOUNTED_METHODS:
        return LOGIN
    return None


def _anonymous_limit(request, scope=GRAPHQL):
    requests, seconds = settings.RATE_LIMIT_GRAPHQL_ANONYMOUS
    return Limit(scope, _ip_identity(request), requests, seconds)


def limit_for(request):
    """The limit a request counts against, or None (everything outside the limited views)."""
    scope = _scope(request)
    if scope == LOGIN:
        requests, seconds = settings.RATE_LIMIT_LOGIN
        return Limit(LOGIN, _ip_identity(request), requests, seconds)
    if scope != GRAPHQL:
        return None
    return caller_limit(
        request,
        GRAPHQL,
        anonymous=settings.RATE_LIMIT_GRAPHQL_ANONYMOUS,
        signed_in=settings.RATE_LIMIT_GRAPHQL_SIGNED_IN,
    )


def caller_limit(request, scope, *, anonymous, signed_in):
    """The limit of one /graphql/ caller in ``scope``, counted as the endpoint counts callers:
    by API token or signed-in user at the ``signed_in`` rate, else by client IP at the
    ``anonymous`` rate (each ``(requests, seconds)``).

    Also for limits of one action beside the endpoint's own (guidance's feedback),
    which resolvers check with ``hit``.
    """
    token = _bearer_token(request)
    if token is not None:
        return Limit(scope, _token_identity(token), *signed_in)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return Limit(scope, f"user:{user.pk}", *signed_in)
    return Limit(scope, _ip_identity(request), *anonymous)


def _message(limit, retry_after):
    return ngettext(
        "Too many requests: at most %(requests)d in %(seconds)d seconds. "
        "Try again in %(retry)d second.",
        "Too many requests: at most %(requests)d in %(seconds)d seconds. "
        "Try again in %(retry)d seconds.",
        retry_after,
    ) % {"requests": limit.requests, "seconds": limit.seconds, "retry": retry_after}


def too_many_requests(request, limit, retry_after):
    """429 with Retry-After: JSON in the API's error shape on /graphql/, a page elsewhere."""
    if limit.scope in (GRAPHQL, REFUSED_TOKENS):
        # The API's language rule (cms.api): the caller's, English when none is named.
        from cms.api import message_language

        with translation.override(message_language(request)):
            response = JsonResponse({"errors": [{"message": _message(limit, retry_after)}]})
    else:
        minutes = math.ceil(retry_after / 60)
        response = render(
            request,
            "cms/refused.html",
            {
                "title": gettext("Liian monta yritystä"),
                "message": ngettext(
                    "Tästä osoitteesta on yritetty kirjautua liian monta kertaa. "
                    "Yritä uudelleen %(minutes)d minuutin kuluttua.",
                    "Tästä osoitteesta on yritetty kirjautua liian monta kertaa. "
                    "Yritä uudelleen %(minutes)d minuutin kuluttua.",
                    minutes,
                )
                % {"minutes": minutes},
            },
        )
    response.status_code = 429
    response["Retry-After"] = str(retry_after)
    return response


class RateLimitMiddleware:
    """Counts the limited views' requests and answers 429 past a limit (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        refused_token = getattr(request, "_rate_limit_token", False) and response.status_code == 401
        if refused_token:
            hit(_anonymous_limit(request, REFUSED_TOKENS))
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.RATE_LIMITS_ENABLED:
            return None
        limit = limit_for(request)
        if limit is None:
            return None
        now = time.time()
        if limit.identity.startswith("token:"):
            request._rate_limit_token = True
            refused = _anonymous_limit(request, REFUSED_TOKENS)
            if peek(refused, now) >= refused.requests:
                return too_many_requests(request, refused, refused.retry_after(now))
        if hit(limit, now) > limit.requests:
            logger.info("Rate limit %s exceeded by %s", limit.scope, limit.identity)
            return too_many_requests(request, limit, limit.retry_after(now))
        return None

"""Rate limits on /graphql/ and the admin's sign-in views (cms.ratelimit).

The counters live in the default cache: the real Valkey/Redis server when
CACHE_URL is set (CI), local memory otherwise; nothing here replaces it. Each
test uses addresses of its own, so counters never carry over, and the clock is
held at a known point of a window so that no test straddles two.
"""

import itertools
import json
import logging
import time
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from wagtail.models import APIToken

from cms import ratelimit
from cms.env import env_rate

QUERY = json.dumps({"query": "{ __typename }"})
WINDOW = 60
_addresses = itertools.count(1)


def new_address():
    """An address no other test has used in this run."""
    number = next(_addresses) + int(time.time()) % 10_000 * 100
    return f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"


@pytest.fixture
def clock(monkeypatch):
    """cms.ratelimit's clock, 10 seconds into a window; ``clock.now`` moves it."""
    clock = SimpleNamespace(now=(time.time() // WINDOW) * WINDOW + 10)
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: clock.now))
    return clock


@pytest.fixture
def limits(settings, clock, db):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMIT_GRAPHQL_ANONYMOUS = (3, WINDOW)
    settings.RATE_LIMIT_GRAPHQL_SIGNED_IN = (5, WINDOW)
    settings.RATE_LIMIT_LOGIN = (2, WINDOW)
    settings.TRUSTED_PROXY_COUNT = 0
    return settings


def ask(address, *, token=None, client=None, **headers):
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return (client or Client()).post(
        "/graphql/",
        data=QUERY,
        content_type="application/json",
        headers=headers,
        REMOTE_ADDR=address,
    )


def statuses(address, times, **kwargs):
    return [ask(address, **kwargs).status_code for _ in range(times)]


# --- /graphql/ -------------------------------------------------------------------------


def test_an_anonymous_caller_is_limited_by_address(limits):
    address = new_address()
    assert statuses(address, 4) == [200, 200, 200, 429]
    assert ask(new_address()).status_code == 200


def test_a_refused_caller_is_told_in_json_when_to_come_back(limits):
    address = new_address()
    statuses(address, 3)
    response = ask(address)
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "50"
    assert response.json() == {
        "errors": [
            {"message": "Too many requests: at most 3 in 60 seconds. Try again in 50 seconds."}
        ]
    }


def test_the_refusal_is_in_the_callers_language(limits):
    address = new_address()
    statuses(address, 3)
    message = ask(address, **{"Accept-Language": "fi"}).json()["errors"][0]["message"]
    assert message.startswith("Liian monta pyyntöä")


def test_the_next_window_starts_afresh(limits, clock):
    address = new_address()
    assert statuses(address, 4)[-1] == 429
    clock.now += 50
    assert ask(address).status_code == 200


def test_a_token_has_its_own_higher_limit_whatever_its_address(limits, role_user):
    address = new_address()
    _, token = APIToken.create_token(user=role_user("expert"), name="frontend")
    statuses(address, 4)
    assert ask(address).status_code == 429
    assert statuses(address, 6, token=token) == [200] * 5 + [429]


def test_two_tokens_are_counted_apart(limits, role_user):
    address = new_address()
    _, first = APIToken.create_token(user=role_user("expert"), name="first")
    _, second = APIToken.create_token(user=role_user("expert"), name="second")
    assert statuses(address, 6, token=first)[-1] == 429
    assert ask(address, token=second).status_code == 200


def test_invented_tokens_are_limited_by_address_at_the_anonymous_rate(limits):
    address = new_address()
    invented = [APIToken.generate_token() for _ in range(4)]
    codes = [ask(address, token=token).status_code for token in invented]
    assert codes == [401, 401, 401, 429]
    assert ask(new_address(), token=APIToken.generate_token()).status_code == 401


def test_a_signed_in_user_is_counted_by_user_not_address(limits, role_user):
    address = new_address()
    statuses(address, 4)
    browser = Client()
    browser.force_login(role_user("expert"))
    assert statuses(address, 6, client=browser) == [200] * 5 + [429]


def test_health_checks_are_never_limited(limits):
    address = new_address()
    statuses(address, 4)
    for path in ["/health/live", "/health/ready"] * 5:
        assert Client().get(path, REMOTE_ADDR=address).status_code == 200


def test_nothing_is_limited_when_rate_limits_are_off(limits):
    limits.RATE_LIMITS_ENABLED = False
    assert set(statuses(new_address(), 6)) == {200}


# --- sign-in and password reset ------------------------------------------------------


def test_sign_in_attempts_are_limited_by_address_with_a_page_that_says_so(limits):
    address = new_address()
    browser = Client(REMOTE_ADDR=address)
    attempt = {"username": "nobody@example.org", "password": "wrong"}
    assert [browser.post("/admin/login/", attempt).status_code for _ in range(2)] == [200, 200]

    response = browser.post("/admin/login/", attempt)
    assert response.status_code == 429
    assert response["Retry-After"] == "50"
    page = response.content.decode()
    assert "Liian monta yritystä" in page
    assert "Yritä uudelleen 1 minuutin kuluttua." in page

    # Reading the page is not an attempt; other addresses go on.
    assert browser.get("/admin/login/").status_code == 200
    assert Client().post("/admin/login/", attempt, REMOTE_ADDR=new_address()).status_code == 200


def test_password_reset_requests_count_against_the_same_limit(limits):
    address = new_address()
    browser = Client(REMOTE_ADDR=address)
    codes = [
        browser.post("/admin/password_reset/", {"email": "someone@example.org"}).status_code
        for _ in range(3)
    ]
    assert codes == [302, 302, 429]
    assert browser.post("/admin/login/", {"username": "x", "password": "y"}).status_code == 429


# --- the client's address ------------------------------------------------------------


def _request(remote="198.51.100.1", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return SimpleNamespace(META=meta)


@pytest.mark.parametrize(
    "proxies, forwarded, expected",
    [
        (0, None, "198.51.100.1"),
        # Without a trusted proxy the header is the client's own claim.
        (0, "203.0.113.9", "198.51.100.1"),
        (1, "203.0.113.9", "203.0.113.9"),
        # The client wrote the leftmost entry; the router appended the last.
        (1, "192.0.2.66, 203.0.113.9", "203.0.113.9"),
        (2, "192.0.2.66, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "203.0.113.9", "203.0.113.9"),
        (1, "", "198.51.100.1"),
        (1, "not-an-address", "198.51.100.1"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_trusts_only_as_many_hops_as_there_are_proxies(
    settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert ratelimit.client_ip(_request(forwarded=forwarded)) == expected


def test_behind_a_proxy_each_client_is_counted_apart_and_cannot_choose_its_address(limits):
    limits.TRUSTED_PROXY_COUNT = 1
    proxy, client = new_address(), new_address()
    for spoofed in ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"]:
        response = ask(proxy, **{"X-Forwarded-For": f"{spoofed}, {client}"})
    assert response.status_code == 429
    assert ask(proxy, **{"X-Forwarded-For": new_address()}).status_code == 200


def test_an_ipv6_client_is_counted_by_its_64_network(limits):
    assert statuses("2001:db8:1:2::1", 3) == [200] * 3
    assert ask("2001:db8:1:2:ffff::9").status_code == 429
    assert ask("2001:db8:1:3::1").status_code == 200


# --- the counters and the cache ------------------------------------------------------


def test_the_counters_are_in_the_configured_cache(limits, clock):
    address = new_address()
    statuses(address, 2)
    limit = ratelimit.Limit(ratelimit.GRAPHQL, f"ip:{address}", 3, WINDOW)
    assert cache.get(limit.key(clock.now)) == 2


@pytest.mark.cache_server
def test_the_counters_are_shared_through_the_cache_server(limits, clock):
    """What one process counts, every process sees: the counter is in Valkey/Redis."""
    import redis

    assert django_settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    address = new_address()
    statuses(address, 2)
    key = ratelimit.Limit(ratelimit.GRAPHQL, f"ip:{address}", 3, WINDOW).key(clock.now)
    server = redis.Redis.from_url(django_settings.CACHE_URL)
    assert server.get(cache.make_key(key)) == b"2"
    assert 0 < server.ttl(cache.make_key(key)) <= WINDOW + 5


def test_requests_pass_when_the_cache_does_not_answer(limits, caplog):
    limits.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    address = new_address()
    with caplog.at_level(logging.WARNING, logger="cms.ratelimit"):
        assert statuses(address, 5) == [200] * 5
    outage = [record for record in caplog.records if "Rate limits are off" in record.message]
    assert len(outage) == 1


# --- settings -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected", [(None, (300, 60)), ("10/1", (10, 1)), (" 5/3600 ", (5, 3600))]
)
def test_a_rate_is_read_as_requests_per_seconds(monkeypatch, raw, expected):
    if raw is None:
        monkeypatch.delenv("RATE_LIMIT_TEST", raising=False)
    else:
        monkeypatch.setenv("RATE_LIMIT_TEST", raw)
    assert env_rate("RATE_LIMIT_TEST", "300/60") == expected


@pytest.mark.parametrize("raw", ["300", "300/0", "0/60", "many/60", "300 per minute"])
def test_a_malformed_rate_stops_start_up_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("RATE_LIMIT_TEST", raw)
    with pytest.raises(ImproperlyConfigured, match="RATE_LIMIT_TEST"):
        env_rate("RATE_LIMIT_TEST", "300/60")

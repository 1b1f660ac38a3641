"""CACHE_URL (or REDIS_URL) selects the shared Valkey/Redis cache; without it, local memory."""

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "cms" / "settings.py"


@pytest.fixture
def load_settings(monkeypatch):
    def load(**env):
        for name in ("CACHE_URL", "REDIS_URL"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("DEBUG", "1")
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(SETTINGS_FILE))

    return load


def test_without_a_cache_url_each_process_caches_in_its_own_memory(load_settings):
    cache = load_settings()["CACHES"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_a_cache_url_selects_djangos_redis_cache(load_settings):
    cache = load_settings(CACHE_URL="redis://valkey:6379/1")["CACHES"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://valkey:6379/1"
    assert cache["OPTIONS"]["socket_timeout"] <= 1


def test_redis_url_is_read_when_cache_url_is_not_set(load_settings):
    settings = load_settings(REDIS_URL="rediss://cache.example.com:6380/0")
    assert settings["CACHES"]["default"]["LOCATION"] == "rediss://cache.example.com:6380/0"
    settings = load_settings(REDIS_URL="redis://b:6379/0", CACHE_URL="redis://a:6379/0")
    assert settings["CACHES"]["default"]["LOCATION"] == "redis://a:6379/0"


def test_a_cache_url_of_another_kind_stops_start_up(load_settings):
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        load_settings(CACHE_URL="memcached://cache:11211")


def test_the_limits_and_the_lockout_have_defaults_and_read_the_environment(load_settings):
    settings = load_settings()
    assert settings["RATE_LIMITS_ENABLED"] is True
    assert settings["RATE_LIMIT_GRAPHQL_ANONYMOUS"] == (300, 60)
    assert settings["RATE_LIMIT_GRAPHQL_SIGNED_IN"] == (3000, 60)
    assert settings["RATE_LIMIT_LOGIN"] == (20, 300)
    assert settings["TRUSTED_PROXY_COUNT"] == 0
    assert settings["AXES_FAILURE_LIMIT"] == 5

    settings = load_settings(
        RATE_LIMIT_LOGIN="5/60", TRUSTED_PROXY_COUNT="2", LOGIN_FAILURE_LIMIT="10"
    )
    assert settings["RATE_LIMIT_LOGIN"] == (5, 60)
    assert settings["TRUSTED_PROXY_COUNT"] == 2
    assert settings["AXES_FAILURE_LIMIT"] == 10

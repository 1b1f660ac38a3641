"""Typed readers for environment variables, used once each at the top of settings.

Kept apart from the settings module so that tests can exercise the parsing
rules (booleans, lists, required secrets) without reloading Django settings.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


def env_list(name, default=()):
    """A comma-separated list; blanks are dropped so trailing commas are harmless."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_required(name, *, unless=False, fallback=None):
    """A secret with no production default: start-up fails naming the variable.

    ``unless`` allows a development ``fallback`` (e.g. when DEBUG is on).
    """
    value = os.environ.get(name)
    if value:
        return value
    if unless:
        return fallback
    raise ImproperlyConfigured(f"{name} must be set (it has no default outside DEBUG mode)")


def env_rate(name, default):
    """A rate limit written ``REQUESTS/SECONDS`` (``300/60``: 300 requests a minute),
    as a ``(requests, seconds)`` pair."""
    raw = os.environ.get(name)
    text = default if raw is None or raw.strip() == "" else raw
    requests, _, seconds = text.strip().partition("/")
    try:
        rate = int(requests), int(seconds)
    except ValueError:
        rate = (0, 0)
    if rate[0] < 1 or rate[1] < 1:
        raise ImproperlyConfigured(
            f"{name} must be REQUESTS/SECONDS with both above zero (e.g. 300/60), got {raw!r}"
        )
    return rate

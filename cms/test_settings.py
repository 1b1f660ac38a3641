"""Settings for the test suite: the runtime settings plus speed and isolation.

The database, search backend and cache still come from DATABASE_URL,
ELASTICSEARCH_URL and CACHE_URL, so the same suite runs on SQLite, database
search and a local-memory cache locally and on PostgreSQL, Elasticsearch and
Valkey/Redis in CI. Rate limits are off; their tests turn them on.
"""

import os
import uuid

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from cms.settings import *  # noqa: E402,F403
from cms.settings import (  # noqa: E402
    CACHE_URL,
    CACHES,
    DATABASES,
    ELASTICSEARCH_URL,
    WAGTAILSEARCH_BACKENDS,
)

# One id per run: the test database, the index prefix and the cache prefix carry it, so
# runs side by side on the same servers never share state. (pytest-xdist adds its
# worker suffix to the database name on top.)
RUN_ID = uuid.uuid4().hex[:8]
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("TEST", {})["NAME"] = (
        f"test_{DATABASES['default']['NAME']}_{RUN_ID}"
    )

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Without CACHE_URL the runtime settings give a local-memory cache already.
if CACHE_URL:
    # The real server, with a prefix of this run's own, like the index prefix below.
    CACHES["default"]["KEY_PREFIX"] = f"test_{RUN_ID}"
RATE_LIMITS_ENABLED = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

if ELASTICSEARCH_URL:
    # A unique prefix per run keeps parallel or repeated runs from sharing indices.
    ELASTICSEARCH_INDEX_PREFIX = f"test_{RUN_ID}_"
    WAGTAILSEARCH_BACKENDS["default"]["INDEX_PREFIX"] = ELASTICSEARCH_INDEX_PREFIX

# Static files are not collected for tests; WhiteNoise would only warn about it.
MIDDLEWARE = [entry for entry in MIDDLEWARE if not entry.startswith("whitenoise.")]  # noqa: F405

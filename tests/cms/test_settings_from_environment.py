"""Settings are read from the environment, with embedded defaults."""

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "cms" / "settings.py"

ENV_NAMES = [
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "ELASTICSEARCH_URL",
    "ELASTICSEARCH_INDEX_PREFIX",
    "MEDIA_STORAGE",
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_USE_TLS",
    "DEFAULT_FROM_EMAIL",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AZURE_ACCOUNT_NAME",
    "AZURE_ACCOUNT_KEY",
    "AZURE_CONTAINER",
    "MEDIA_ROOT",
    "WAGTAILADMIN_BASE_URL",
]


@pytest.fixture
def load_settings(monkeypatch):
    """Evaluate cms/settings.py afresh under the given environment."""

    def load(**env):
        for name in ENV_NAMES:
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(SETTINGS_FILE))

    return load


def test_defaults_are_the_embedded_setup(load_settings):
    s = load_settings(DEBUG="1")
    assert s["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert str(s["DATABASES"]["default"]["NAME"]).endswith("var/db.sqlite3")
    assert s["WAGTAILSEARCH_BACKENDS"]["default"]["BACKEND"] == "wagtail.search.backends.database"
    assert s["STORAGES"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert s["LANGUAGE_CODE"] == "fi"


def test_production_refuses_to_start_without_a_secret_key(load_settings):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        load_settings(DEBUG="0")


def test_debug_must_be_a_boolean(load_settings):
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be a boolean"):
        load_settings(DEBUG="maybe")


def test_database_url_selects_postgresql(load_settings):
    s = load_settings(SECRET_KEY="x", DATABASE_URL="postgres://u:p@db.example:5433/manual")
    db = s["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["PORT"], db["NAME"], db["USER"]) == ("db.example", 5433, "manual", "u")


def test_elasticsearch_url_selects_the_elasticsearch_backend(load_settings):
    s = load_settings(
        SECRET_KEY="x", ELASTICSEARCH_URL="http://es:9200", ELASTICSEARCH_INDEX_PREFIX="pm_"
    )
    backend = s["WAGTAILSEARCH_BACKENDS"]["default"]
    assert backend["BACKEND"] == "wagtail.search.backends.elasticsearch8"
    assert backend["URLS"] == ["http://es:9200"]
    assert backend["INDEX_PREFIX"] == "pm_"


def test_host_and_origin_lists_are_comma_separated(load_settings):
    s = load_settings(
        SECRET_KEY="x",
        ALLOWED_HOSTS="manual.example.fi, admin.example.fi,",
        CSRF_TRUSTED_ORIGINS="https://manual.example.fi",
    )
    assert s["ALLOWED_HOSTS"] == ["manual.example.fi", "admin.example.fi"]
    assert s["CSRF_TRUSTED_ORIGINS"] == ["https://manual.example.fi"]


def test_email_settings(load_settings):
    s = load_settings(
        SECRET_KEY="x",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="smtp.example.fi",
        EMAIL_PORT="587",
        EMAIL_USE_TLS="true",
        DEFAULT_FROM_EMAIL="manual@example.fi",
    )
    assert s["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (s["EMAIL_HOST"], s["EMAIL_PORT"], s["EMAIL_USE_TLS"]) == ("smtp.example.fi", 587, True)
    assert s["DEFAULT_FROM_EMAIL"] == "manual@example.fi"


def test_email_port_must_be_an_integer(load_settings):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT must be an integer"):
        load_settings(SECRET_KEY="x", EMAIL_PORT="smtp")


def test_s3_media_storage(load_settings):
    s = load_settings(
        SECRET_KEY="x",
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="manual-media",
        AWS_S3_ENDPOINT_URL="https://s3.example.fi",
    )
    storage = s["STORAGES"]["default"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "manual-media"
    assert storage["OPTIONS"]["endpoint_url"] == "https://s3.example.fi"
    assert storage["OPTIONS"]["default_acl"] == "private"


def test_s3_media_storage_needs_a_bucket(load_settings):
    with pytest.raises(ImproperlyConfigured, match="AWS_STORAGE_BUCKET_NAME"):
        load_settings(SECRET_KEY="x", MEDIA_STORAGE="s3")


def test_azure_media_storage(load_settings):
    s = load_settings(
        SECRET_KEY="x", MEDIA_STORAGE="azure", AZURE_ACCOUNT_NAME="acct", AZURE_ACCOUNT_KEY="k"
    )
    storage = s["STORAGES"]["default"]
    assert storage["BACKEND"] == "storages.backends.azure_storage.AzureStorage"
    assert storage["OPTIONS"]["account_name"] == "acct"
    assert storage["OPTIONS"]["azure_container"] == "media"


def test_unknown_media_storage_is_rejected(load_settings):
    with pytest.raises(ImproperlyConfigured, match="MEDIA_STORAGE"):
        load_settings(SECRET_KEY="x", MEDIA_STORAGE="ftp")

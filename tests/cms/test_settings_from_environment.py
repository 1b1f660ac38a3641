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
    "SECURE_SSL_REDIRECT",
    "BEHIND_TLS",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "MEDIA_ORIGINS",
    "AWS_S3_REGION_NAME",
    "FRONTEND_PREVIEW_URL",
    "SIGNED_DOCUMENT_URL_MAX_AGE",
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
    # Wagtail's database backend, its index named for update_index.
    assert s["WAGTAILSEARCH_BACKENDS"]["default"]["BACKEND"] == "search.database_backend"
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


def test_hsts_is_off_unless_the_deployment_is_behind_tls(load_settings):
    assert load_settings(SECRET_KEY="x")["SECURE_HSTS_SECONDS"] == 0
    assert load_settings(SECRET_KEY="x", BEHIND_TLS="1")["SECURE_HSTS_SECONDS"] == 31_536_000
    # Redirecting to HTTPS says the site is served over it.
    assert load_settings(SECRET_KEY="x", SECURE_SSL_REDIRECT="1")["SECURE_HSTS_SECONDS"] > 0


def test_hsts_can_be_tuned_or_turned_off(load_settings):
    s = load_settings(
        SECRET_KEY="x",
        BEHIND_TLS="1",
        SECURE_HSTS_SECONDS="3600",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="1",
        SECURE_HSTS_PRELOAD="1",
    )
    assert (s["SECURE_HSTS_SECONDS"], s["SECURE_HSTS_INCLUDE_SUBDOMAINS"]) == (3600, True)
    assert s["SECURE_HSTS_PRELOAD"] is True
    assert (
        load_settings(SECRET_KEY="x", BEHIND_TLS="1", SECURE_HSTS_SECONDS="0")[
            "SECURE_HSTS_SECONDS"
        ]
        == 0
    )


def test_images_from_the_media_storage_are_allowed_by_the_content_security_policy(load_settings):
    def img_src(**env):
        return load_settings(SECRET_KEY="x", **env)["CONTENT_SECURITY_POLICY"]["DIRECTIVES"][
            "img-src"
        ]

    assert img_src() == ["'self'", "data:"]
    assert img_src(
        MEDIA_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="media", AWS_S3_ENDPOINT_URL="https://s3.fi/"
    )[2:] == ["https://s3.fi", "https://media.s3.fi"]
    assert img_src(
        MEDIA_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="media", AWS_S3_REGION_NAME="eu-north-1"
    )[2:] == ["https://media.s3.eu-north-1.amazonaws.com"]
    assert img_src(MEDIA_STORAGE="azure", AZURE_ACCOUNT_NAME="acct", AZURE_ACCOUNT_KEY="k")[2:] == [
        "https://acct.blob.core.windows.net"
    ]
    assert img_src(MEDIA_ORIGINS="https://media.example.fi")[2:] == ["https://media.example.fi"]


def test_the_admin_may_frame_the_frontends_preview(load_settings):
    s = load_settings(SECRET_KEY="x", FRONTEND_PREVIEW_URL="https://front.example.fi/preview?x=1")
    assert s["ADMIN_CONTENT_SECURITY_POLICY"]["frame-src"] == [
        "'self'",
        "https://front.example.fi",
    ]

"""Settings for Palvelumanuaali, read from the environment (12-factor).

Every environment variable is declared once in the block below, with its type
and default. The defaults give the embedded set-up (SQLite under ``var/`` and
Wagtail's database search); production sets DATABASE_URL, ELASTICSEARCH_URL,
SECRET_KEY and ALLOWED_HOSTS. The README's configuration table lists them all.
"""

from pathlib import Path

import dj_database_url

from cms.env import env_bool, env_int, env_list, env_required, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

# --- Environment -------------------------------------------------------------
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_required("SECRET_KEY", unless=DEBUG, fallback="dev-only-insecure-secret-key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
DATABASE_CONN_MAX_AGE = env_int("DATABASE_CONN_MAX_AGE", 60)
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL")  # unset: Wagtail's database search
ELASTICSEARCH_INDEX_PREFIX = env_str("ELASTICSEARCH_INDEX_PREFIX", "palvelumanuaali_")
ELASTICSEARCH_TIMEOUT = env_int("ELASTICSEARCH_TIMEOUT", 10)
MEDIA_STORAGE = env_str("MEDIA_STORAGE", "local")  # local | s3 | azure
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "palvelumanuaali@localhost")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
REVIEW_INTERVAL_MONTHS = env_int("REVIEW_INTERVAL_MONTHS", 4)
FRONTEND_PREVIEW_URL = env_str("FRONTEND_PREVIEW_URL")  # unset: built-in preview templates

# --- Applications ------------------------------------------------------------
INSTALLED_APPS = [
    "cms",
    "catalogue",
    "guides",
    "people",
    "search",
    "translations",
    "exchange",
    "favourites",
    "wagtail_localize",
    "wagtail_localize.locales",
    "grapple",
    "graphene_django",
    "wagtail_headless_preview",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Serves collected static files (admin CSS/JS) in containers without a web server.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # A publish refused by a page's clean() becomes an admin message, not a 500.
    "cms.middleware.AdminValidationErrorMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ----------------------------------------------------------------
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=DATABASE_CONN_MAX_AGE)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Search ------------------------------------------------------------------
if ELASTICSEARCH_URL:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.elasticsearch8",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX_PREFIX": ELASTICSEARCH_INDEX_PREFIX,
            "TIMEOUT": ELASTICSEARCH_TIMEOUT,
            "OPTIONS": {},
            "INDEX_SETTINGS": {},
        }
    }
else:
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# --- Internationalisation ----------------------------------------------------
# Finnish is the source language; Swedish and English are translations and the
# languages of the admin. EXTRA_CONTENT_LANGUAGES adds further content languages
# (e.g. "ru,et,so,ar,uk"; "code:Name" names one Django does not know); their
# Locales, homes and translator rights come from ``manage.py ensure_locales``.
from django.conf.locale import LANG_INFO  # noqa: E402 (a plain table, safe at settings time)
from django.core.exceptions import ImproperlyConfigured  # noqa: E402

LANGUAGE_CODE = "fi"
ADMIN_LANGUAGES = [("fi", "Suomi"), ("sv", "Svenska"), ("en", "English")]
# Names (in the language itself) of languages Django's table leaves out.
_LANGUAGE_NAMES = {"so": "Soomaali", "ti": "ትግርኛ", "ku": "Kurdî"}


def _content_language(entry):
    code, _, name = entry.partition(":")
    code = code.strip().lower()
    name = name.strip() or _LANGUAGE_NAMES.get(code) or LANG_INFO.get(code, {}).get("name_local")
    if not name:
        raise ImproperlyConfigured(
            f"EXTRA_CONTENT_LANGUAGES: no name known for {code!r}; write it as '{code}:Name'"
        )
    return code, name


EXTRA_CONTENT_LANGUAGES = [
    (code, name)
    for code, name in dict(map(_content_language, env_list("EXTRA_CONTENT_LANGUAGES"))).items()
    if code not in dict(ADMIN_LANGUAGES)
]
WAGTAIL_CONTENT_LANGUAGES = ADMIN_LANGUAGES + EXTRA_CONTENT_LANGUAGES
# Wagtail requires every content language among LANGUAGES; the admin itself
# stays in the languages the project's strings are translated into.
LANGUAGES = WAGTAIL_CONTENT_LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = ADMIN_LANGUAGES
WAGTAIL_I18N_ENABLED = True
# A new translation is created as a draft even when its source is live, so it
# never goes live untranslated (wagtail-localize would copy the live status).
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

# --- Static and media files --------------------------------------------------
STATIC_URL = "/static/"
MEDIA_URL = "/media/"
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]

if MEDIA_STORAGE == "local":
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif MEDIA_STORAGE == "s3":
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_required("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL"),
            "region_name": env_str("AWS_S3_REGION_NAME"),
            "access_key": env_str("AWS_ACCESS_KEY_ID"),
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY"),
            # Documents are served through Wagtail's permission-checking view,
            # so objects stay private and URLs are signed.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif MEDIA_STORAGE == "azure":
    _media_storage = {
        "BACKEND": "storages.backends.azure_storage.AzureStorage",
        "OPTIONS": {
            "account_name": env_required("AZURE_ACCOUNT_NAME"),
            "account_key": env_required("AZURE_ACCOUNT_KEY"),
            "azure_container": env_str("AZURE_CONTAINER", "media"),
            "overwrite_files": False,
        },
    }
else:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"MEDIA_STORAGE must be local, s3 or azure, got {MEDIA_STORAGE!r}")

STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Security ----------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"  # Wagtail's preview renders in an iframe
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Wagtail -----------------------------------------------------------------
WAGTAIL_SITE_NAME = "Palvelumanuaali"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Documents go through Wagtail's serve view so collection privacy is enforced.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True

# --- GraphQL -----------------------------------------------------------------
GRAPHENE = {
    "SCHEMA": "grapple.schema.schema",
    # The visibility rule guards every field (cms.delivery_schema).
    "MIDDLEWARE": ["cms.delivery_schema.VisibilityMiddleware"],
}
GRAPPLE = {
    # Exactly the apps whose models become public GraphQL types.
    "APPS": ["catalogue", "guides"],
    "PAGE_INTERFACE": "cms.delivery_schema.PageInterface",
    "AUTO_CAMELCASE": True,
    "EXPOSE_GRAPHIQL": False,  # GraphiQL is served at /graphql/ itself (cms.urls)
    "PAGE_SIZE": 20,
    "MAX_PAGE_SIZE": 100,
}
# Guard rails of /graphql/ (cms.graphql_guards): the deepest nesting of fields
# and the highest estimated cost (each field times the sizes of the lists
# around it) a query may have; introspection is bounded separately.
GRAPHQL_MAX_DEPTH = env_int("GRAPHQL_MAX_DEPTH", 12)
GRAPHQL_MAX_COST = env_int("GRAPHQL_MAX_COST", 25_000)
# Relevance order of ``services``: the weight of each part of a service's score
# (text match normalised to the best hit, fit to the filters' OR-lists,
# priority and effectiveness as fractions of 100).
SERVICE_RANKING = {"text": 3.0, "fit": 1.0, "priority": 1.0, "effectiveness": 0.5}

# --- Preview -----------------------------------------------------------------
# Editors preview drafts on the frontend at FRONTEND_PREVIEW_URL, which reads
# them with page(token:, contentType:); without it, in Wagtail with built-in
# templates (cms.preview). A preview token is valid for this many seconds.
PREVIEW_TOKEN_MAX_AGE = 60 * 60

# --- Logging -----------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "elastic_transport": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}

# --- Tasks -------------------------------------------------------------------
# Wagtail runs reference-index and file clean-up work as tasks; run them in-process.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

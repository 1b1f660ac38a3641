"""Settings for Palvelumanuaali, read from the environment (12-factor).

Every environment variable is declared once in the block below, with its type
and default. The defaults give the embedded set-up (SQLite under ``var/`` and
Wagtail's database search); production sets DATABASE_URL, ELASTICSEARCH_URL,
SECRET_KEY and ALLOWED_HOSTS. The README's configuration table lists them all.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

from cms.env import env_bool, env_int, env_list, env_rate, env_required, env_str

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
# The address ``make run`` serves on (runserver's); only the default base URL follows it.
HOST = env_str("HOST", "127.0.0.1")
PORT = env_str("PORT", "8000")
# The one base URL of everything printed or mailed (admin login, invitations, notifications).
WAGTAILADMIN_BASE_URL = env_str(
    "WAGTAILADMIN_BASE_URL",
    f"http://{'localhost' if HOST in ('127.0.0.1', '0.0.0.0', '') else HOST}:{PORT}",
)
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "palvelumanuaali@localhost")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# Served over HTTPS, by this app or by the router in front of it: turns HSTS on by default.
BEHIND_TLS = env_bool("BEHIND_TLS", SECURE_SSL_REDIRECT)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60 if BEHIND_TLS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Origins of media URLs other than this site's, for the Content-Security-Policy
# (images in the admin); derived from the S3 or Azure settings when unset.
MEDIA_ORIGINS = env_list("MEDIA_ORIGINS")
# Seconds a signed download link of a restricted document stays valid (cms.signed_documents).
SIGNED_DOCUMENT_URL_MAX_AGE = env_int("SIGNED_DOCUMENT_URL_MAX_AGE", 5 * 60)
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
REVIEW_INTERVAL_MONTHS = env_int("REVIEW_INTERVAL_MONTHS", 4)
FRONTEND_PREVIEW_URL = env_str("FRONTEND_PREVIEW_URL")  # unset: built-in preview templates
# Page URLs ("View live") on the frontend, per locale if set; unset: built-in public templates.
FRONTEND_BASE_URL = env_str("FRONTEND_BASE_URL")
FRONTEND_BASE_URL_SV = env_str("FRONTEND_BASE_URL_SV")
FRONTEND_BASE_URL_EN = env_str("FRONTEND_BASE_URL_EN")
# Shared cache (Valkey or Redis), also holding the rate-limit counters; unset: per-process memory.
CACHE_URL = env_str("CACHE_URL") or env_str("REDIS_URL")
# Reverse proxies in front of the app that append to X-Forwarded-For (0: none, trust REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
RATE_LIMITS_ENABLED = env_bool("RATE_LIMITS_ENABLED", True)
RATE_LIMIT_GRAPHQL_ANONYMOUS = env_rate("RATE_LIMIT_GRAPHQL_ANONYMOUS", "300/60")  # per client IP
RATE_LIMIT_GRAPHQL_SIGNED_IN = env_rate("RATE_LIMIT_GRAPHQL_SIGNED_IN", "3000/60")  # per token/user
RATE_LIMIT_LOGIN = env_rate("RATE_LIMIT_LOGIN", "20/300")  # sign-in and password reset, per IP
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)  # per username + IP, then locked out
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)

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
    "webhooks",
    "integrations",
    "guidance",
    "axes",
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
    # wagtail.users, with optional names and invitations (people.user_admin).
    "people.wagtail_users.UsersAppConfig",
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
    # Content-Security-Policy and Permissions-Policy (cms.security_headers).
    "cms.security_headers.ContentSecurityPolicyMiddleware",
    "cms.security_headers.PermissionsPolicyMiddleware",
    # Serves collected static files (admin CSS/JS) in containers without a web server.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # The admin in Finnish unless a person chose otherwise (people.admin_language).
    "people.admin_language.FinnishAdminMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Per client IP, API token or user, in the shared cache (cms.ratelimit).
    "cms.ratelimit.RateLimitMiddleware",
    # Who is signing in or changing roles, for the audit log (people.audit).
    "people.audit.AuditRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # A publish refused by a page's clean() becomes an admin message, not a 500.
    "cms.middleware.AdminValidationErrorMiddleware",
    # Turns a sign-in lockout into its page (django-axes wants to be last).
    "axes.middleware.AxesMiddleware",
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

# --- Cache -------------------------------------------------------------------
# The shared cache holds the rate-limit counters (cms.ratelimit) and Wagtail's
# caches. Without CACHE_URL each process has its own memory, which is right for
# the single process of ``make run`` but not for several pods.
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"CACHE_URL must be a redis://, rediss:// or unix:// URL, got {CACHE_URL!r}"
        )
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "palvelumanuaali",
            # A cache that does not answer must not hold requests up (cms.ratelimit fails open).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

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
    # Wagtail's database backend; search.database_backend only names its index for update_index.
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.database_backend"}}

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

if not MEDIA_ORIGINS and MEDIA_STORAGE == "s3":
    _s3 = _media_storage["OPTIONS"]
    if _s3["endpoint_url"]:
        _endpoint = urlsplit(_s3["endpoint_url"])
        MEDIA_ORIGINS = [
            f"{_endpoint.scheme}://{_endpoint.netloc}",
            f"{_endpoint.scheme}://{_s3['bucket_name']}.{_endpoint.netloc}",
        ]
    else:
        _regional = f".{_s3['region_name']}" if _s3["region_name"] else ""
        MEDIA_ORIGINS = [f"https://{_s3['bucket_name']}.s3{_regional}.amazonaws.com"]
elif not MEDIA_ORIGINS and MEDIA_STORAGE == "azure":
    MEDIA_ORIGINS = [f"https://{_media_storage['OPTIONS']['account_name']}.blob.core.windows.net"]

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
# Health probes call plain HTTP inside the cluster (and the image's HEALTHCHECK).
SECURE_REDIRECT_EXEMPT = [r"^health/"]
# Content-Security-Policy (cms.security_headers): everything from this origin,
# no inline script, nothing from a CDN (GraphiQL's scripts are self-hosted,
# cms.graphiql_assets); images also from the media storage.
from csp.constants import NONE, SELF, UNSAFE_INLINE  # noqa: E402 (plain constants)


def _origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *MEDIA_ORIGINS],
        "font-src": [SELF, "data:"],  # GraphiQL's stylesheet embeds its fonts
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}
# Added for Wagtail's admin only, which still needs them: inline <script> in
# widgets and panels, style attributes, previews of images being uploaded
# (blob:), and the frontend's preview in an iframe when there is one.
ADMIN_CONTENT_SECURITY_POLICY = {
    "script-src": [UNSAFE_INLINE],
    "style-src": [UNSAFE_INLINE],
    "img-src": ["blob:"],
    "frame-src": [SELF, *([_origin(FRONTEND_PREVIEW_URL)] if FRONTEND_PREVIEW_URL else [])],
}
# Browser features nobody here needs are off, for the site and what it frames.
PERMISSIONS_POLICY = {
    **dict.fromkeys(
        [
            "accelerometer",
            "autoplay",
            "browsing-topics",
            "camera",
            "display-capture",
            "encrypted-media",
            "geolocation",
            "gyroscope",
            "hid",
            "magnetometer",
            "microphone",
            "midi",
            "payment",
            "publickey-credentials-get",
            "screen-wake-lock",
            "serial",
            "usb",
            "xr-spatial-tracking",
        ],
        [],
    ),
    "fullscreen": ["self"],
}
# Locked out after LOGIN_FAILURE_LIMIT failed sign-ins of one username from one
# IP, for LOGIN_LOCKOUT_MINUTES (django-axes; every further try restarts the
# wait). The page says so (people.lockout); ``manage.py axes_reset_username`` unlocks.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # A client's strong identification (guidance.client_login): it answers only the
    # OpenID Connect callback, never a password sign-in, never returns a staff
    # account and grants no permission.
    "guidance.client_login.ClientBackend",
]
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "cms.ratelimit.client_ip"
AXES_LOCKOUT_CALLABLE = "people.lockout.lockout_response"
# The client sign-in's callback has no password to guess: not counted (guidance.client_login).
AXES_WHITELIST_CALLABLE = "guidance.client_login.exempt_from_lockout"
AXES_ENABLE_ADMIN = False  # Django's admin is not served; the audit report shows lockouts
AXES_VERBOSE = False
# An API token's last use is written at most once a minute (cms.api_tokens).
WAGTAILAPI_TOKEN_LAST_USED_INTERVAL = 60
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
# Nothing in the admin loads from other sites (Content-Security-Policy): no
# Gravatar avatars (which would also tell Gravatar who uses the admin), no
# check for new Wagtail releases from the browser.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
# People get in by invitation (people.invitations): an administrator may create a
# user without a password, and "forgotten password" reaches the invited too.
WAGTAILUSERS_PASSWORD_REQUIRED = False
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "people.invitations.PasswordResetForm"

# --- GraphQL -----------------------------------------------------------------
GRAPHENE = {
    # Grapple's schema, the visibility rule guarding every field that returns pages,
    # documents or images (cms.delivery_schema).
    "SCHEMA": "cms.delivery_schema.schema",
    "MIDDLEWARE": ["cms.graphql_guards.DeadlineMiddleware"],
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
# A failed CSRF check on /graphql/ is answered in JSON, like every API error.
CSRF_FAILURE_VIEW = "cms.api.csrf_failure"
GRAPHQL_MAX_DEPTH = env_int("GRAPHQL_MAX_DEPTH", 12)
GRAPHQL_MAX_COST = env_int("GRAPHQL_MAX_COST", 25_000)
# Root fields (aliases included) and aliases anywhere in one request.
GRAPHQL_MAX_ROOT_FIELDS = env_int("GRAPHQL_MAX_ROOT_FIELDS", 10)
GRAPHQL_MAX_ALIASES = env_int("GRAPHQL_MAX_ALIASES", 30)
# Introspection (__schema, __type) for anonymous callers; production may turn it off.
GRAPHQL_ANONYMOUS_INTROSPECTION = env_bool("GRAPHQL_ANONYMOUS_INTROSPECTION", True)
# Server time one request may take: PostgreSQL's statement_timeout, the search
# engine's request timeout and the root fields still to run all follow it.
GRAPHQL_DEADLINE_SECONDS = env_int("GRAPHQL_DEADLINE_SECONDS", 5)
# Whole answers in the shared cache (cms.response_cache): kept at most this many
# seconds (0: off); a publish or any other content change retires them at once.
RESPONSE_CACHE_SECONDS = env_int("RESPONSE_CACHE_SECONDS", 300)
# Cache-Control of anonymous GET answers, for browsers, CDNs and proxies, which no
# publish reaches: how long they may reuse one, and serve it stale while revalidating.
HTTP_CACHE_MAX_AGE = env_int("HTTP_CACHE_MAX_AGE", 60)
HTTP_CACHE_STALE_WHILE_REVALIDATE = env_int("HTTP_CACHE_STALE_WHILE_REVALIDATE", 300)
# Anonymous callers may run only the registered documents of graphql/queries
# (cms.persisted_queries); production turns it on.
GRAPHQL_ANONYMOUS_PERSISTED_ONLY = env_bool("GRAPHQL_ANONYMOUS_PERSISTED_ONLY", False)
# Sizes of what a caller sends, checked before any engine is called.
GRAPHQL_MAX_TOKENS = 10_000  # tokens of the query document (GraphiQL's introspection: ~1,000)
# Characters of the query document: GraphiQL's introspection has ~3,000; comments
# and whitespace count too, which the token limit does not see.
GRAPHQL_MAX_QUERY_LENGTH = 100_000
GRAPHQL_MAX_SEARCH_TEXT = 200  # characters of query / searchQuery
GRAPHQL_MAX_STRING = 2_000  # characters of any other string argument or variable
GRAPHQL_MAX_LIST = 100  # values in one list argument (filter lists, ids)
GRAPHQL_MAX_INPUT_DEPTH = 10  # nesting of variables and input objects
GRAPHQL_MAX_RESULT_WINDOW = 10_000  # offset + limit (Elasticsearch's result window)
# Relevance order of ``services``: the weight of each part of a service's score
# (text match normalised to the best hit, fit to the filters' OR-lists,
# priority and effectiveness as fractions of 100).
SERVICE_RANKING = {"text": 3.0, "fit": 1.0, "priority": 1.0, "effectiveness": 0.5}

# --- Guidance: recommendations ----------------------------------------------
# The most services one ``recommendations`` answer lists (its ``limit``), and how
# long a share link of a client profile stays valid, in seconds (guidance.sharing).
GUIDANCE_MAX_RECOMMENDATIONS = env_int("GUIDANCE_MAX_RECOMMENDATIONS", 100)
GUIDANCE_SHARE_LINK_MAX_AGE = env_int("GUIDANCE_SHARE_LINK_MAX_AGE", 14 * 24 * 60 * 60)

# --- Integrations: map output -------------------------------------------------
# The most features one answer of /api/locations.geojson holds, and how many it holds
# when the caller gives no limit: enough for the whole catalogue's ~1,000 located offices.
MAP_GEOJSON_MAX_FEATURES = env_int("MAP_GEOJSON_MAX_FEATURES", 2_000)

# --- Integrations: open data and Työmarkkinatori ------------------------------
# Työmarkkinatori's online service, for the links to a service's page there
# (integrations.tyomarkkinatori); a test environment points at its own.
TYOMARKKINATORI_BASE_URL = env_str("TYOMARKKINATORI_BASE_URL", "https://tyomarkkinatori.fi")
# Records per page of the open-data feed (integrations.open_data_views): by default,
# and at most, whatever a caller asks for with per_page.
HSDS_PAGE_SIZE = env_int("HSDS_PAGE_SIZE", 50)
HSDS_MAX_PAGE_SIZE = env_int("HSDS_MAX_PAGE_SIZE", 200)

# --- Guidance: effectiveness and feedback -------------------------------------
# Anonymous feedback on services and recommendations (guidance.feedback): how many
# a caller may give, per client IP (anonymous) or per API token or signed-in user,
# counted in the shared cache beside the endpoint's own limits; and the longest text.
RATE_LIMIT_FEEDBACK = env_rate("RATE_LIMIT_FEEDBACK", "20/3600")
RATE_LIMIT_FEEDBACK_SIGNED_IN = env_rate("RATE_LIMIT_FEEDBACK_SIGNED_IN", "200/3600")
FEEDBACK_MAX_TEXT = env_int("FEEDBACK_MAX_TEXT", 1000)  # characters of a feedback text
# The most services one recommendation feedback may name.
FEEDBACK_MAX_SERVICES = env_int("FEEDBACK_MAX_SERVICES", 50)

# --- Guidance: background data and client login ------------------------------
# A client signs in with strong identification through an OpenID Connect provider
# (guidance.client_login; mozilla-django-oidc reads the OIDC_* names). In production
# that is Suomi.fi e-Identification: its discovery document gives the endpoints and
# the ID token's signing algorithm, the service's registration the client id and
# secret. Unset OIDC_RP_CLIENT_ID: no client sign-in (its URLs answer 404); once it
# is set, the rest are required and start-up names any that is missing.
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID", "")
_CLIENT_LOGIN_OFF = not OIDC_RP_CLIENT_ID
OIDC_RP_CLIENT_SECRET = env_required("OIDC_RP_CLIENT_SECRET", unless=_CLIENT_LOGIN_OFF, fallback="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_required(
    "OIDC_OP_AUTHORIZATION_ENDPOINT", unless=_CLIENT_LOGIN_OFF, fallback=""
)
OIDC_OP_TOKEN_ENDPOINT = env_required(
    "OIDC_OP_TOKEN_ENDPOINT", unless=_CLIENT_LOGIN_OFF, fallback=""
)
# Never called: the sign-in needs nothing about the person but the ID token's ``sub``.
OIDC_OP_USER_ENDPOINT = ""
OIDC_OP_JWKS_ENDPOINT = env_required("OIDC_OP_JWKS_ENDPOINT", unless=_CLIENT_LOGIN_OFF, fallback="")
# The ID token's ``iss`` must be this (the provider's issuer identifier), when set.
OIDC_OP_ISSUER = env_str("OIDC_OP_ISSUER", "")
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
# Only ``openid``: the sign-in needs the provider's ``sub`` and nothing else about the person.
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid")
OIDC_USE_PKCE = env_bool("OIDC_USE_PKCE", True)
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)  # seconds per request to the provider
# Where the browser goes after signing in or out (the citizens' frontend); a safe
# ``next`` on this site wins.
CLIENT_LOGIN_REDIRECT_URL = env_str("CLIENT_LOGIN_REDIRECT_URL", "/")
# How long a client's sign-in lasts (the session, and with it the access token).
CLIENT_SESSION_SECONDS = env_int("CLIENT_SESSION_SECONDS", 30 * 60)
# The callback's URL name, for mozilla-django-oidc's redirect_uri (guidance.client_urls).
OIDC_AUTHENTICATION_CALLBACK_URL = "client_oidc_callback"
# Työmarkkinatori's client profile API (guidance.background), called with the signed-in
# client's access token; unset: no background data (``myBackgroundData`` says so).
TYOMARKKINATORI_PROFILE_API_URL = env_str("TYOMARKKINATORI_PROFILE_API_URL", "")
# Seconds one profile request may take; a client meeting waits for it, so it is short.
TYOMARKKINATORI_PROFILE_TIMEOUT_SECONDS = env_int("TYOMARKKINATORI_PROFILE_TIMEOUT_SECONDS", 3)

# --- Preview -----------------------------------------------------------------
# Editors preview drafts on the frontend at FRONTEND_PREVIEW_URL, which reads
# them with page(token:, contentType:); without it, in Wagtail with built-in
# templates (cms.preview). A preview token is valid for this many seconds.
PREVIEW_TOKEN_MAX_AGE = 60 * 60

# --- Integrations: PTV export ------------------------------------------------
# Services marked by administrators are written to the Finnish Service Catalogue
# (PTV) through its Open API v11 (integrations.ptv_export). Writes need a bearer
# token: a fixed PTV_EXPORT_TOKEN, or one fetched from PTV_EXPORT_TOKEN_URL with
# the API user's credentials. Without either, ``ptv_export`` can only --dry-run.
PTV_EXPORT_API_URL = env_str("PTV_EXPORT_API_URL", "https://api.palvelutietovaranto.suomi.fi/api")
PTV_EXPORT_TOKEN = env_str("PTV_EXPORT_TOKEN", "")
PTV_EXPORT_TOKEN_URL = env_str("PTV_EXPORT_TOKEN_URL", "")
PTV_EXPORT_USERNAME = env_str("PTV_EXPORT_USERNAME", "")
PTV_EXPORT_PASSWORD = env_str("PTV_EXPORT_PASSWORD", "")
# The API user's organisation (PTV GUID), when the account serves several.
PTV_EXPORT_API_ORGANISATION = env_str("PTV_EXPORT_API_ORGANISATION", "")
PTV_EXPORT_TIMEOUT = env_int("PTV_EXPORT_TIMEOUT", 30)  # seconds per request

# --- Logging -----------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"without_traceback": {"()": "cms.log_filters.WithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own console handler (DEBUG only) would print every django.* record a
        # second time beside the root's: they go to the root alone.
        "django": {"handlers": [], "level": "INFO"},
        "elastic_transport": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        # django-axes logs every sign-in at INFO; failures and lockouts are WARNINGs.
        "axes": {"level": "WARNING"},
        # A Host header not in ALLOWED_HOSTS is the caller's doing: one line suffices.
        "django.security.DisallowedHost": {"filters": ["without_traceback"]},
    },
}

# --- Tasks -------------------------------------------------------------------
# Wagtail runs reference-index and file clean-up work as tasks; run them in-process.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- Integrations: PTV fetch and map sources ---------------------------------
# Unset base URLs switch an interface off (the "Integraatiot" report says so).
# PTV Open API, e.g. https://api.palvelutietovaranto.suomi.fi/api/v11/ (reads are anonymous).
PTV_API_URL = env_str("PTV_API_URL", "")
# Where an editor changes a PTV-maintained location; {id} is the service channel's GUID.
PTV_EDIT_URL = env_str(
    "PTV_EDIT_URL", "https://palvelutietovaranto.suomi.fi/channels/serviceLocation/{id}"
)
# Helsinki's Service Map / TPR REST API v4, e.g. https://www.hel.fi/palvelukarttaws/rest/v4/.
SERVICEMAP_API_URL = env_str("SERVICEMAP_API_URL", "")
INTEGRATION_TIMEOUT_SECONDS = env_int("INTEGRATION_TIMEOUT_SECONDS", 10)
# Further attempts after a failed request (timeout, 5xx, bad JSON), with doubling waits.
INTEGRATION_RETRIES = env_int("INTEGRATION_RETRIES", 2)

# --- Guidance: employer view and personalisation -----------------------------
# Saved searches one signed-in user may keep (guidance.saved_searches).
SAVED_SEARCHES_PER_USER = env_int("SAVED_SEARCHES_PER_USER", 50)
# Anonymous weekly search counts behind the search-problems report (guidance.search_log):
# off records nothing; counts older than the retention are deleted by
# ``manage.py prune_search_statistics``.
SEARCH_STATISTICS_ENABLED = env_bool("SEARCH_STATISTICS_ENABLED", True)
SEARCH_STATISTICS_RETENTION_WEEKS = env_int("SEARCH_STATISTICS_RETENTION_WEEKS", 52)
# Weeks the search-problems report shows, newest first.
SEARCH_PROBLEMS_WEEKS = env_int("SEARCH_PROBLEMS_WEEKS", 12)
# searchResultOpened reports per caller (client IP; token or user when signed in).
RATE_LIMIT_SEARCH_RESULT_OPENED = env_rate("RATE_LIMIT_SEARCH_RESULT_OPENED", "60/60")

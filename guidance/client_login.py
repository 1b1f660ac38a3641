"""The client's own sign-in (asiakkaan tunnistautuminen) through OpenID Connect.

A citizen identifies themself strongly at an OpenID Connect provider — in
production Suomi.fi e-Identification — so that the service manual may fetch
their background data from Työmarkkinatori with their consent
(guidance.background). mozilla-django-oidc runs the authorization code flow
(state, nonce, PKCE, the ID token's signature against the provider's keys);
this module decides what the sign-in means:

- **A client is known by the provider's ``sub`` alone** (a pairwise,
  pseudonymous identifier). The account is a user named ``client-`` and the
  SHA-256 of the issuer and the sub, in the group *Asiakkaat*, with no
  password, no e-mail address and no name, never staff. The sign-in asks for
  the ``openid`` scope only and never calls the provider's userinfo
  endpoint, so no personal identity code (henkilötunnus) or name reaches the
  service manual, let alone its database.
- **The sign-in is not a sign-in to the service manual.** The session keeps
  the client and their access token under its own key, and Django's own
  sign-in is never made. So every rule that asks whether a caller is signed
  in (cms.visibility, expired services, favourites, persisted queries, the
  rate limits, the admin) sees an anonymous caller: a client sees exactly
  what anyone sees. Only the fields made for clients ask ``client_session``.
- **A staff account can never be reached**: the backend finds only accounts
  named for a sub, and refuses one that is staff, a superuser, has a usable
  password or belongs to any group besides *Asiakkaat*. It answers only the
  callback's call, never a password sign-in, and grants no permission.
- **One identity per session**: a client signing in where a staff member is
  signed in signs the staff member out first, and a staff session is never a
  client's.

Unset ``OIDC_RP_CLIENT_ID`` switches all of it off: the views answer 404.
"""

import hashlib
import logging
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

import jwt
import requests
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group
from django.core.exceptions import SuspiciousOperation
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.views.decorators.http import require_POST
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

logger = logging.getLogger(__name__)

CLIENTS = "Asiakkaat"
USERNAME_PREFIX = "client-"
SESSION_KEY = "guidance_client"


def enabled():
    """Whether client sign-in is configured (settings require the rest once the id is set)."""
    return bool(settings.OIDC_RP_CLIENT_ID)


def client_username(sub, issuer=""):
    """The account name of the client the provider calls ``sub`` (not the identifier as such)."""
    return USERNAME_PREFIX + hashlib.sha256(f"{issuer}\n{sub}".encode()).hexdigest()


def client_accounts():
    """The accounts that are a client's and nothing more: named for a subject, in the
    group "Asiakkaat" and no other, without a password, neither staff nor superuser."""
    return (
        get_user_model()
        .objects.filter(
            username__startswith=USERNAME_PREFIX,
            password__startswith=UNUSABLE_PASSWORD_PREFIX,
            is_staff=False,
            is_superuser=False,
        )
        .annotate(
            groups_held=Count("groups"), client_groups=Count("groups", Q(groups__name=CLIENTS))
        )
        .filter(groups_held=1, client_groups=1)
    )


def is_client_account(user):
    """Whether a user is a client's account and nothing more (no staff right of any kind)."""
    return client_accounts().filter(pk=user.pk).exists()


# --- The signed-in client ----------------------------------------------------------


@dataclass(frozen=True)
class ClientSession:
    """The client signed in to this browser session, and the access token of their sign-in."""

    user: object
    access_token: str


def client_session(request):
    """The request's signed-in client, or None (anonymous, a staff session, feature off)."""
    entry = getattr(request, "session", {}).get(SESSION_KEY)
    if not entry or not enabled():
        return None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return None
    client = get_user_model().objects.filter(pk=entry.get("user"), is_active=True).first()
    if client is None or not is_client_account(client):
        return None
    return ClientSession(client, entry["access_token"])


def sign_in_client(request, user, access_token):
    """Start the client's session: a new session key, their id and token, a short life."""
    if request.user.is_authenticated:
        auth.logout(request)  # one identity per session; this also empties it
    else:
        request.session.cycle_key()  # keep what the browser had (favourites), under a new key
    request.session[SESSION_KEY] = {"user": user.pk, "access_token": access_token}
    request.session.set_expiry(settings.CLIENT_SESSION_SECONDS)
    # The only thing recorded of a sign-in: when the account was last used (for retention).
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    # The frontend sends this cookie's token back with /graphql/ (cms.api requires it
    # of requests that carry the session cookie).
    get_token(request)


def sign_out_client(request):
    if request.session.pop(SESSION_KEY, None) is not None:
        request.session.cycle_key()


# --- The authentication backend ----------------------------------------------------


class ClientBackend(OIDCAuthenticationBackend):
    """Finds or creates the client's account from a verified ID token; nothing else."""

    def __init__(self, *args, **kwargs):
        # Django builds every backend for every sign-in, the staff's too: unconfigured,
        # this one stays idle instead of refusing to be built.
        if enabled():
            super().__init__(*args, **kwargs)

    def authenticate(self, request, **credentials):
        # Only the callback's call (its nonce and PKCE verifier); a password sign-in
        # passes a username and a password and never gets here.
        if not enabled() or request is None or set(credentials) != {"nonce", "code_verifier"}:
            return None
        try:
            return super().authenticate(request, **credentials)
        except (requests.RequestException, SuspiciousOperation, jwt.PyJWTError) as error:
            logger.warning("Client sign-in refused: %s", _reason(error))
            return None
        except (LookupError, TypeError, ValueError) as error:
            # An answer of the provider's without the members it must have (a JWKS
            # without "keys", a token answer that is not an object).
            logger.warning("Client sign-in refused: unreadable answer (%s)", _reason(error))
            return None

    def store_tokens(self, access_token, id_token):
        """Nothing is stored here: the view keeps the access token with the client's
        session, and the ID token is read and dropped."""

    def verify_token(self, token, **kwargs):
        """The library checks the signature and the nonce; this adds the audience, the
        issuer (when ``OIDC_OP_ISSUER`` is set), an expiry and a subject."""
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        if self.OIDC_RP_CLIENT_ID not in (audience if isinstance(audience, list) else [audience]):
            raise SuspiciousOperation("the ID token was issued to another client (aud)")
        if settings.OIDC_OP_ISSUER and payload.get("iss") != settings.OIDC_OP_ISSUER:
            raise SuspiciousOperation("the ID token is from another issuer (iss)")
        if "exp" not in payload or not payload.get("sub"):
            raise SuspiciousOperation("the ID token has no expiry or no subject")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        """The client's account for the ID token's subject; the userinfo endpoint is not
        called, since the sign-in needs nothing about the person but ``sub``."""
        if not access_token:
            raise SuspiciousOperation("the provider gave no access token")
        User = get_user_model()
        username = client_username(payload["sub"], payload.get("iss", ""))
        user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
        if user is None:
            user = _create_client_account(username)
        elif not is_client_account(user):
            # The library logs this and refuses the sign-in.
            raise SuspiciousOperation(f"account {user.pk} is not a client's account")
        # Handed to the callback view with the user, which keeps it in the session.
        user.client_access_token = access_token
        return user

    # Authentication only: this backend grants no permission to anyone.

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        return set()

    def has_perm(self, user_obj, perm, obj=None):
        return False

    def has_module_perms(self, user_obj, app_label):
        return False

    def with_perm(self, perm, is_active=True, include_superusers=True, obj=None):
        return get_user_model().objects.none()


def exempt_from_lockout(request, credentials):
    """``AXES_WHITELIST_CALLABLE``: the callback does not count towards the sign-in lockout.

    There is no password to guess (the code is bound to the browser's state and
    redeemed at the provider), and counting refused callbacks per address would
    lock a whole office out of client sign-in after a few failures of the
    provider. A refused callback is still audited as a failed sign-in.
    """
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name == settings.OIDC_AUTHENTICATION_CALLBACK_URL


def _create_client_account(username):
    user = get_user_model().objects.create_user(username)  # no password: an unusable one
    group, _ = Group.objects.get_or_create(name=CLIENTS)
    # The membership row is written directly: joining "Asiakkaat" is no change of staff
    # rights, and the audit log (people.audit), which follows group changes made through
    # ``user.groups``, would otherwise keep every client's first sign-in and IP address.
    get_user_model().groups.through.objects.create(user=user, group=group)
    return user


def _reason(error):
    """Why a sign-in failed, for the log: never a token or the provider's whole answer."""
    response = getattr(error, "response", None)
    if response is not None:
        return f"{error.__class__.__name__} (HTTP {response.status_code})"
    return f"{error.__class__.__name__}: {error}"


# --- The views ---------------------------------------------------------------------


def _feature_on(request):
    if not enabled():
        raise Http404("Client sign-in is not in use (OIDC_RP_CLIENT_ID is not set).")


def _with_query(url, **params):
    parts = urlsplit(url)
    query = "&".join(filter(None, [parts.query, urlencode(params)]))
    return urlunsplit(parts._replace(query=query))


class ClientLoginView(OIDCAuthenticationRequestView):
    """``GET /client/oidc/authenticate/?next=…``: off to the provider to identify."""

    def dispatch(self, request, *args, **kwargs):
        _feature_on(request)
        return super().dispatch(request, *args, **kwargs)

    def get_extra_params(self, request):
        # The provider's pages in the language the client is using here.
        return {**super().get_extra_params(request), "ui_locales": translation.get_language()}


class ClientCallbackView(OIDCAuthenticationCallbackView):
    """``GET /client/oidc/callback/``: the provider's answer; a client session, or back
    to the frontend with ``client_login=failed``."""

    def dispatch(self, request, *args, **kwargs):
        _feature_on(request)
        return super().dispatch(request, *args, **kwargs)

    @property
    def success_url(self):
        return self.request.session.get("oidc_login_next") or settings.CLIENT_LOGIN_REDIRECT_URL

    @property
    def failure_url(self):
        return _with_query(settings.CLIENT_LOGIN_REDIRECT_URL, client_login="failed")

    def login_success(self):
        # Not Django's sign-in (see the module's docstring): a client session of its own.
        next_url = self.success_url
        sign_in_client(self.request, self.user, self.user.client_access_token)
        return HttpResponseRedirect(next_url)


@require_POST
def client_logout(request):
    """``POST /client/oidc/logout/`` (with the CSRF token): the client's session ends."""
    _feature_on(request)
    sign_out_client(request)
    return HttpResponseRedirect(settings.CLIENT_LOGIN_REDIRECT_URL)

"""Share links of a client profile: the profile itself, signed, in a compact token.

An expert fills in the questionnaire with a client and gives them a link to
the result. Nothing is stored on the server: the token *is* the profile
(compressed JSON, signed with SECRET_KEY by django.core.signing), so the
server can tell an altered token from a genuine one and a fresh one from an
expired one (``GUIDANCE_SHARE_LINK_MAX_AGE``) without keeping anything.

The token is signed, not encrypted: whoever holds the link can decode the
profile in it. A profile holds no identity (guidance.profile refuses
identity codes), and a frontend puts the token in the link's fragment
(``#…``), which browsers never send to a server, so it stays out of access
logs.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext

from guidance.profile import bad_input, parse_profile

SALT = "guidance.shared-profile"


def share_token(profile):
    """(token, expiry time) of a link to this ClientProfile's recommendations."""
    token = signing.dumps(profile.as_input(), salt=SALT, compress=True)
    if len(token) > settings.GRAPHQL_MAX_STRING:
        raise bad_input(
            gettext("The profile is too large to share: leave out some competences or answers.")
        )
    expires = timezone.now() + timedelta(seconds=settings.GUIDANCE_SHARE_LINK_MAX_AGE)
    return token, expires


def read_token(token):
    """The ClientProfile a share token holds, checked again as if it had been sent."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.GUIDANCE_SHARE_LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise bad_input(
            gettext(
                "This shared link has expired: ask for the questionnaire to be filled in again."
            )
        ) from None
    except signing.BadSignature:
        raise bad_input(gettext("This shared link is invalid or has been altered.")) from None
    return parse_profile(data)

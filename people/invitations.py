"""Invitations: how a person added without a password gets in.

``add_user`` and the admin's user creation make accounts with no usable
password; the invitation mails a link to Wagtail's own set-password view
(the password-reset confirmation, with Django's reset token), absolute with
WAGTAILADMIN_BASE_URL. When the link has expired, "Unohtuiko salasana?" on
the sign-in page sends a new one: Django's reset form skips accounts without
a usable password, which here are exactly the invited ones, so the admin uses
``PasswordResetForm`` below instead.
"""

import unicodedata
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import override
from wagtail.admin.forms.auth import PasswordResetForm as WagtailPasswordResetForm


def admin_url(path=""):
    """An absolute URL of the admin, on the one base URL of printed and mailed links."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def set_password_link(user):
    """A link at which the user chooses a password; valid until it is used or expires."""
    path = reverse(
        "wagtailadmin_password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return admin_url(path)


def send_invitation(user):
    """Mail the user an invitation with a set-password link; returns the link."""
    link = set_password_link(user)
    days = max(1, round(timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT).days))
    with override(settings.LANGUAGE_CODE):
        subject = _("Kutsu Palvelumanuaalin ylläpitoon")
        body = _(
            "Hei!\n\n"
            "Sinulle on luotu tunnus Palvelumanuaalin ylläpitoon. Käyttäjätunnuksesi on "
            "%(username)s.\n\n"
            "Valitse salasana tästä linkistä:\n%(link)s\n\n"
            "Linkki on voimassa %(days)s päivää ja toimii kerran. Sen jälkeen saat uuden "
            'kirjautumissivun kohdasta "Unohtuiko salasana?": %(login)s\n'
        ) % {
            "username": user.get_username(),
            "link": link,
            "days": days,
            "login": admin_url(reverse("wagtailadmin_login")),
        }
    send_mail(subject, body, None, [user.email])
    return link


class PasswordResetForm(WagtailPasswordResetForm):
    """The admin's "forgotten password" form, reaching invited people too.

    Django leaves out accounts without a usable password (meant for accounts
    that must not sign in with one); here those are people who were invited
    and have not chosen a password yet, or whose invitation expired.
    """

    def get_users(self, email):
        User = get_user_model()
        email_field = User.get_email_field_name()
        users = User._default_manager.filter(**{f"{email_field}__iexact": email, "is_active": True})
        # As Django does: the database's case-insensitive match, confirmed in Python.
        return (user for user in users if _same_address(email, getattr(user, email_field)))


def _same_address(a, b):
    def folded(address):
        return unicodedata.normalize("NFKC", address).casefold()

    return folded(a) == folded(b)

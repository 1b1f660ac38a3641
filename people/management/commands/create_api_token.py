"""Create an API token for a server-side frontend and print it (it is shown only once).

The token is Wagtail's own (``wagtail.models.APIToken``, stored only as a
digest), so it is listed and revoked like any other: under Settings → API
tokens, or with Wagtail's command, e.g.
``manage.py api_tokens revoke --user EMAIL --prefix wagtail_AbCd``.
``--expires-in-days N`` makes it stop working after N days (cms.api_tokens).
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import APIToken

from cms import api_tokens
from people.users import find_user


class Command(BaseCommand):
    help = (
        "Create an API token for the user with this e-mail and print it on standard output. "
        "Requests with 'Authorization: Bearer <token>' then run as that user."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="e-mail (or username) of an existing user")
        parser.add_argument(
            "--name",
            default="GraphQL frontend",
            help="label shown in the admin, e.g. the frontend that uses it",
        )
        parser.add_argument(
            "--expires-in-days",
            type=int,
            metavar="DAYS",
            help="the token stops working after this many days (default: when revoked)",
        )

    def handle(self, *args, email, name, expires_in_days=None, **options):
        if expires_in_days is not None and expires_in_days < 1:
            raise CommandError("--expires-in-days must be at least 1")
        user = find_user(email)
        if user is None:
            raise CommandError(
                f"no user with e-mail {email!r}; add them first with manage.py add_user"
            )
        if not user.is_active:
            raise CommandError(f"user {user.get_username()} is inactive; a token would not work")
        with transaction.atomic():
            token, plaintext = APIToken.create_token(user=user, name=name)
            if expires_in_days is not None:
                api_tokens.set_expiry(token, timezone.now() + timedelta(days=expires_in_days))
            log(token, "wagtail.apitoken.create", data={"source": "management_command"})
        expires_at = api_tokens.expires_at(token)
        # Only the token goes to standard output, so that scripts can capture it.
        self.stdout.write(plaintext)
        validity = (
            f"It expires at {api_tokens.format_expiry(expires_at)}"
            if expires_at
            else "It does not expire"
        )
        self.stderr.write(
            f"Created API token {token.prefix}… ({name!r}) for {user.get_username()}. "
            f"{validity}. It is not shown again. Revoke it under Settings → API tokens or with "
            f"manage.py api_tokens revoke --user {user.get_username()} --prefix {token.prefix}"
        )

"""Create an API token for a server-side frontend and print it (it is shown only once).

The token is Wagtail's own (``wagtail.models.APIToken``, stored only as a
digest), so it is listed and revoked like any other: under Settings → API
tokens, or with Wagtail's command, e.g.
``manage.py api_tokens revoke --user EMAIL --prefix wagtail_AbCd``.
"""

from django.core.management.base import BaseCommand, CommandError
from wagtail.log_actions import log
from wagtail.models import APIToken

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

    def handle(self, *args, email, name, **options):
        user = find_user(email)
        if user is None:
            raise CommandError(
                f"no user with e-mail {email!r}; add them first with manage.py add_user"
            )
        if not user.is_active:
            raise CommandError(f"user {user.get_username()} is inactive; a token would not work")
        token, plaintext = APIToken.create_token(user=user, name=name)
        log(token, "wagtail.apitoken.create", data={"source": "management_command"})
        # Only the token goes to standard output, so that scripts can capture it.
        self.stdout.write(plaintext)
        self.stderr.write(
            f"Created API token {token.prefix}… ({name!r}) for {user.get_username()}. "
            "It is not shown again. Revoke it under Settings → API tokens or with "
            f"manage.py api_tokens revoke --user {user.get_username()} --prefix {token.prefix}"
        )

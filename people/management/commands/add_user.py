"""Give a person a role, creating the user if needed (bulk onboarding, one call per person).

A new user is invited by e-mail to choose a password (people.invitations); the
command prints the link too, for when mail does not reach them.
"""

from django.core.management.base import BaseCommand, CommandError

from cms.roles import ROLES
from people.invitations import send_invitation
from people.users import OnboardingError, add_user, find_user


class Command(BaseCommand):
    help = (
        "Create a user (username = e-mail) if missing, invite them by e-mail to choose a "
        "password, and add them to the group of a role. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--role", required=True, choices=ROLES)
        parser.add_argument(
            "--organisation", help="exchange key of the organisation (provider roles)"
        )
        parser.add_argument(
            "--area", help="employment-area or municipality code, e.g. 091 (producer role)"
        )
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--invite",
            action="store_true",
            help="send the invitation again (an existing user who has not chosen a password)",
        )

    def handle(self, *args, **options):
        new = find_user(options["email"]) is None
        try:
            onboarding = add_user(
                options["email"],
                options["role"],
                organisation_key=options["organisation"],
                area_code=options["area"],
                first_name=options["first_name"],
                last_name=options["last_name"],
            )
        except OnboardingError as error:
            raise CommandError(str(error)) from error
        for line in onboarding.changes:
            self.stdout.write(self.style.SUCCESS(line))
        for line in onboarding.notes:
            self.stdout.write(line)
        user = onboarding.user
        if new or (options["invite"] and not user.has_usable_password()):
            link = send_invitation(user)
            self.stdout.write(self.style.SUCCESS(f"invitation sent to {user.email}"))
            self.stdout.write(f"set-password link: {link}")
        if not onboarding.changed:
            self.stdout.write(f"nothing changed for {onboarding.user.username}")

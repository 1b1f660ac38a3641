"""Give a person a role, creating the user if needed (bulk onboarding, one call per person)."""

from django.core.management.base import BaseCommand, CommandError

from cms.roles import ROLES
from people.users import OnboardingError, add_user


class Command(BaseCommand):
    help = (
        "Create a user (username = e-mail, no usable password) if missing and add them to "
        "the group of a role. Idempotent."
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

    def handle(self, *args, **options):
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
        if not onboarding.changed:
            self.stdout.write(f"nothing changed for {onboarding.user.username}")

"""Create a provider organisation with its admin and editor groups and attachments collection."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from catalogue.models import OrganisationPage
from people.organisations import create_organisation


class Command(BaseCommand):
    help = (
        "Create the organisation page under the catalogue, its admin and editor groups and "
        "its attachments collection. Idempotent: an existing organisation is completed, "
        "never overwritten."
    )

    def add_arguments(self, parser):
        parser.add_argument("key", help="exchange key, e.g. helsinki-employment")
        parser.add_argument("--name", required=True, help="Finnish name")
        parser.add_argument(
            "--kind", choices=OrganisationPage.Kind.values, default=OrganisationPage.Kind.OTHER
        )
        parser.add_argument("--business-id", default="", help="Y-tunnus")

    def handle(self, *args, key, name, kind, business_id, **options):
        try:
            organisation, changes = create_organisation(
                key, name, kind=kind, business_id=business_id
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        for line in changes:
            self.stdout.write(self.style.SUCCESS(line))
        if organisation.title != name:
            self.stdout.write(
                f"organisation {key!r} already exists as {organisation.title!r}; "
                "its name was not changed"
            )
        if not changes:
            self.stdout.write(f"nothing changed for organisation {key!r}")

"""Create the demo questionnaires that are missing (guidance.demo); existing ones stay."""

from django.core.management.base import BaseCommand

from guidance.demo import load_demo_questionnaires


class Command(BaseCommand):
    help = (
        "Create and publish the demo service-need questionnaires (job seekers, immigrants, "
        "employers) that are missing; existing questionnaires are left as they are."
    )

    def handle(self, *args, **options):
        created = load_demo_questionnaires()
        if created:
            self.stdout.write(f"Demo questionnaires created: {created}.")
        else:
            self.stdout.write("Demo questionnaires are already there: nothing to do.")

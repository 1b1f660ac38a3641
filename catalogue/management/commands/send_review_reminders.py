"""Send review reminders (tarkistuskehotteet); run daily by deploy/k8s/cronjob.yaml."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from catalogue.reviews import send_review_reminders


class Command(BaseCommand):
    help = "E-mail each responsible person the services due for review (once per due date)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=date.fromisoformat,
            help="Treat this day (YYYY-MM-DD) as today; default: today",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would be sent without sending or recording anything",
        )

    def handle(self, *args, **options):
        summary = send_review_reminders(on=options["date"], dry_run=options["dry_run"])
        self.stdout.write("\n".join(summary.lines()))
        if summary.failed:
            raise CommandError(f"{summary.failed} reminder e-mail(s) could not be sent")

from django.core.management.base import BaseCommand, CommandError

from integrations import ptv_sync


class Command(BaseCommand):
    help = (
        "Fetch linked service locations from PTV (changes since the last successful run; "
        "--full: everything) and log the run for the Integraatiot report."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--full", action="store_true", help="fetch every linked location, not only changes"
        )

    def handle(self, *args, full=False, **options):
        if not ptv_sync.is_configured():
            raise CommandError("PTV_API_URL is not set: the PTV fetch is off.")
        run = ptv_sync.run(full=full)
        self.stdout.write(f"{run.get_status_display()}: {run.counts}")
        if run.message:
            self.stdout.write(run.message)
        if run.status == run.Status.FAILED:
            raise CommandError(run.message)

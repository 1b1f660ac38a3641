from django.core.management.base import BaseCommand, CommandError

from integrations import servicemap_sync


class Command(BaseCommand):
    help = (
        "Import locations linked to the Service Map (servicemap_id) and log the run "
        "for the Integraatiot report."
    )

    def handle(self, *args, **options):
        if not servicemap_sync.is_configured():
            raise CommandError("SERVICEMAP_API_URL is not set: the map source is off.")
        run = servicemap_sync.run()
        self.stdout.write(f"{run.get_status_display()}: {run.counts}")
        if run.message:
            self.stdout.write(run.message)
        if run.status == run.Status.FAILED:
            raise CommandError(run.message)

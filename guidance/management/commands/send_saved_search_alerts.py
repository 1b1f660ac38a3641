"""Send the saved-search alerts still owed (guidance.alerts); normally they go at publication."""

from django.core.management.base import BaseCommand

from guidance import alerts


class Command(BaseCommand):
    help = (
        "E-mail saved searches' owners about new matching services whose alerts have not "
        "gone out yet (e.g. after a failed send). Run every few minutes as a CronJob."
    )

    def handle(self, *args, **options):
        summary = alerts.send_pending_alerts()
        for line in summary.lines():
            self.stdout.write(line)

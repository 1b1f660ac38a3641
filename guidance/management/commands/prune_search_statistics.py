"""Delete search statistics older than SEARCH_STATISTICS_RETENTION_WEEKS (guidance.search_log)."""

from django.core.management.base import BaseCommand

from guidance import search_log


class Command(BaseCommand):
    help = "Delete anonymous search statistics older than SEARCH_STATISTICS_RETENTION_WEEKS."

    def handle(self, *args, **options):
        self.stdout.write(f"Weekly statistics deleted: {search_log.prune()}")

"""Catch the delivery search index up with the database; run hourly by deploy/k8s/cronjob.yaml."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from search import freshness, index
from search.models import PendingIndexUpdate


class Command(BaseCommand):
    help = (
        "Retry the index updates that failed while Elasticsearch was down (delivery and Wagtail's "
        "own index); with --full, "
        "also compare the whole index with the database and fix the difference."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--full",
            action="store_true",
            help="Also find live pages and documents missing from the index, pages indexed "
            "with an older publication, and index documents of what is no longer delivered",
        )

    def handle(self, *args, **options):
        if not settings.ELASTICSEARCH_URL:
            self.stdout.write("ELASTICSEARCH_URL is not set: there is no delivery index.")
            return
        if not index.client().ping():
            pending = PendingIndexUpdate.objects.count()
            raise CommandError(
                f"Elasticsearch at {settings.ELASTICSEARCH_URL} does not answer; "
                f"{pending} pending update(s) kept for the next run"
            )
        retried, failed = freshness.retry_pending()
        self.stdout.write(
            f"Pending updates: {retried} retried, {retried - failed} done, {failed} still failing."
        )
        if options["full"]:
            report = freshness.reconcile_full()
            failed += report["failed"]
            self.stdout.write(
                "Full comparison: {missing} missing, {stale} stale and {extra} extra "
                "document(s) in the index; {failed} could not be fixed.".format(**report)
            )
        if failed:
            raise CommandError(
                f"{failed} index update(s) still fail; see the log and PendingIndexUpdate rows"
            )

"""Rebuild the delivery search index without downtime (a new index, then the alias swapped)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from search import freshness, index


class Command(BaseCommand):
    help = (
        "Fill a new delivery index from the database and point the alias at it; searches "
        "use the old index until the swap. Needed after mapping or analyzer changes."
    )

    def handle(self, *args, **options):
        if not settings.ELASTICSEARCH_URL:
            raise CommandError("ELASTICSEARCH_URL is not set: there is no delivery index.")
        started = time.monotonic()
        name, count = index.rebuild()
        self.stdout.write(
            f"Built {name} with {count} document(s) in {time.monotonic() - started:.1f} s; "
            f"{index.alias()} now points at it."
        )
        # Updates made while the new index was filling went to the old one and
        # left with it; what they changed is caught up here, and the failures
        # recorded before the rebuild are settled by it.
        retried, failed = freshness.retry_pending()
        report = freshness.reconcile_full()
        self.stdout.write(
            f"Caught up: {retried} pending update(s) retried; {report['missing']} missing, "
            f"{report['stale']} stale and {report['extra']} extra document(s) fixed."
        )
        if failed or report["failed"]:
            raise CommandError(
                f"{failed + report['failed']} index update(s) still fail; see the log"
            )

"""Send the publish webhooks that are due; with --loop, keep doing so (deploy: the worker)."""

import logging
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from webhooks import sender

logger = logging.getLogger(__name__)

PRUNE_EVERY_SECONDS = 3600


class Command(BaseCommand):
    help = (
        "Queue new publish events for the registered endpoints and send what is due, "
        "retrying failed deliveries with back-off. With --loop, run until stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep running (the worker)")
        parser.add_argument(
            "--interval",
            type=float,
            default=2.0,
            help="With --loop: seconds between passes when nothing was sent (default 2)",
        )

    def handle(self, *args, **options):
        if not options["loop"]:
            delivered, failed = sender.deliver()
            pruned = sender.prune()
            self.stdout.write(
                f"{delivered} delivered, {failed} failed attempt(s), {pruned} old row(s) pruned."
            )
            return
        last_prune = 0.0
        while True:
            # A long-running process: drop connections the database has closed.
            close_old_connections()
            try:
                delivered, _failed = sender.deliver()
                if time.monotonic() - last_prune >= PRUNE_EVERY_SECONDS:
                    sender.prune()
                    last_prune = time.monotonic()
            except DatabaseError:
                # The outbox is in the database: wait for it rather than exit.
                logger.exception("Webhook worker: database error; trying again")
                delivered = 0
            if not delivered:
                time.sleep(options["interval"])

"""Load generated demo content through the import path (exchange.demo); idempotent."""

import logging
import time

from django.core.management.base import BaseCommand

from exchange.demo import load_demo


class Command(BaseCommand):
    help = "Generate and import demo organisations, services, instructions and guides."

    def add_arguments(self, parser):
        parser.add_argument("--services", type=int, default=500, help="number of services")
        parser.add_argument(
            "--organisations", type=int, default=150, help="number of organisations"
        )
        parser.add_argument(
            "--all-languages",
            action="store_true",
            help="give every service Swedish and English versions (by default about 30 %% have "
            "Swedish, 60 %% of those English)",
        )

    def handle(self, *args, services, organisations, all_languages, **options):
        # Wagtail logs every page save at INFO; for hundreds of pages that buries the summary.
        wagtail_log = logging.getLogger("wagtail")
        level = wagtail_log.level
        wagtail_log.setLevel(logging.WARNING)
        started = time.perf_counter()
        try:
            counts = load_demo(
                services=services, organisations=organisations, all_languages=all_languages
            )
        finally:
            wagtail_log.setLevel(level)
        attachments = counts.pop("attachments")
        for section, actions in counts.items():
            self.stdout.write(
                f"{section}: " + ", ".join(f"{n} {action}" for action, n in actions.items())
            )
        self.stdout.write(
            f"attachments: {attachments}. Demo content loaded in "
            f"{time.perf_counter() - started:.1f} s."
        )

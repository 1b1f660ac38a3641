"""Load generated demo content through the import path (exchange.demo).

Creates only what is missing: on a site that has the demo content it changes
nothing, so what editors did to demo pages stays. ``--replace-demo`` puts the
generated version back over them.
"""

import logging
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from exchange.demo import load_demo


class Command(BaseCommand):
    help = (
        "Generate demo organisations, services, instructions and guides and create those "
        "that are missing; existing pages are left as they are."
    )

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
        parser.add_argument(
            "--replace-demo",
            action="store_true",
            help="replace the demo organisations, services, instructions and guides (matched "
            "by key) with the generated version, overwriting and republishing editors' "
            "changes to them",
        )

        parser.add_argument(
            "--index",
            action="store_true",
            help="when anything was created, build the search indexes afterwards "
            "(update_index, and search_rebuild with Elasticsearch), as make run does",
        )

    def handle(self, *args, services, organisations, all_languages, replace_demo, index, **options):
        if replace_demo:
            self.stdout.write(
                "Replacing the demo organisations, services, instructions and guides with the "
                "generated version (editors' changes to them are overwritten)."
            )
        # Wagtail logs every page save at INFO; for hundreds of pages that buries the summary.
        wagtail_log = logging.getLogger("wagtail")
        level = wagtail_log.level
        wagtail_log.setLevel(logging.WARNING)
        started = time.perf_counter()
        try:
            counts = load_demo(
                services=services,
                organisations=organisations,
                all_languages=all_languages,
                replace=replace_demo,
            )
        finally:
            wagtail_log.setLevel(level)
        attachments = counts.pop("attachments")
        written = sum(actions["created"] + actions["updated"] for actions in counts.values())
        if not written and not attachments:
            self.stdout.write(
                "Demo content is already loaded: nothing to do (existing pages are kept; "
                "--replace-demo replaces them with the generated version)."
            )
            return
        for section, actions in counts.items():
            self.stdout.write(
                f"{section}: " + ", ".join(f"{n} {action}" for action, n in actions.items())
            )
        self.stdout.write(
            f"attachments: {attachments}. Demo content loaded in "
            f"{time.perf_counter() - started:.1f} s."
        )
        if index:
            # The import indexes the pages it wrote; this also indexes what the
            # migrations seeded (the taxonomies) and builds the delivery index.
            call_command("update_index", stdout=self.stdout, stderr=self.stderr)
            if settings.ELASTICSEARCH_URL:
                call_command("search_rebuild", stdout=self.stdout, stderr=self.stderr)

"""Import an exchange document (docs/exchange-format.md): ``manage.py import_content FILE``."""

import logging
import sys

from django.core.management.base import BaseCommand, CommandError

from exchange.importer import import_document
from exchange.validation import ExchangeError, parse_document


class Command(BaseCommand):
    help = "Import organisations, services, instructions and guides from an exchange JSON file."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the JSON document ('-' for standard input)")
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and report counts; write nothing"
        )

    def handle(self, *args, file, dry_run, **options):
        try:
            if file == "-":
                raw = sys.stdin.buffer.read()
            else:
                with open(file, "rb") as handle:
                    raw = handle.read()
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc}") from exc
        # Wagtail logs every page save at INFO; for hundreds of pages that buries the report.
        wagtail_log = logging.getLogger("wagtail")
        level = wagtail_log.level
        wagtail_log.setLevel(logging.WARNING)
        try:
            # Bytes, not text: bytes that are not UTF-8 are reported by record and field.
            counts = import_document(parse_document(raw), dry_run=dry_run)
        except ExchangeError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError(
                f"{len(exc.messages)} error(s) in {file}; nothing was imported."
            ) from exc
        finally:
            wagtail_log.setLevel(level)
        verb = "would be" if dry_run else "were"
        for section, actions in counts.items():
            summary = ", ".join(f"{n} {verb} {action}" for action, n in actions.items())
            self.stdout.write(f"{section}: {summary}")
        for notice in getattr(counts, "notices", []):
            self.stdout.write(f"kept: {notice}")
        if dry_run:
            self.stdout.write("Dry run: the document is valid; nothing was written.")

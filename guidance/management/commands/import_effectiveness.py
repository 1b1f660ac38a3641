"""Import effectiveness figures from CSV: ``manage.py import_effectiveness FILE [--dry-run]``."""

import sys

from django.core.management.base import BaseCommand, CommandError

from guidance.effectiveness_import import EffectivenessImportError, import_figures


class Command(BaseCommand):
    help = "Import services' effectiveness figures from a CSV file (docs/guidance.md)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the CSV file ('-' for standard input)")
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
        try:
            counts = import_figures(raw, dry_run=dry_run)
        except EffectivenessImportError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError(
                f"{len(exc.messages)} error(s) in {file}; nothing was imported."
            ) from exc
        verb = "would be" if dry_run else "were"
        summary = ", ".join(f"{n} {verb} {action}" for action, n in counts.items())
        self.stdout.write(f"figures: {summary}")
        if dry_run:
            self.stdout.write("Dry run: the file is valid; nothing was written.")

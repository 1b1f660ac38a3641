"""manage.py ptv_export [--dry-run] [--preview KEY]: send the marked services to PTV."""

import json

from django.core.management.base import BaseCommand, CommandError

from integrations.models import PtvServiceExport
from integrations.ptv_export.client import PtvClient
from integrations.ptv_export.preview import preview
from integrations.ptv_export.run import Action, export


class Command(BaseCommand):
    help = (
        "Export the services marked for PTV: create new ones, update changed ones by sourceId, "
        "skip unchanged ones. Exits with status 1 when any service was refused or failed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Validate and show what would be sent; send and record nothing.",
        )
        parser.add_argument(
            "--preview",
            metavar="KEY",
            help="Show one marked service's body and its differences to PTV's version.",
        )

    def handle(self, *args, dry_run=False, preview=None, **options):
        client = PtvClient()
        if preview:
            return self._preview(preview, client)
        if not dry_run and not client.can_write:
            raise CommandError(
                "No PTV credentials: set PTV_EXPORT_TOKEN or PTV_EXPORT_TOKEN_URL "
                "(or use --dry-run)."
            )
        results = export(dry_run=dry_run, client=client)
        for result in results:
            line = f"{result.action:>12}  {result.record.page.title} ({result.record.source_id})"
            if dry_run and result.payload is not None and result.action != Action.UNCHANGED:
                self.stdout.write(line)
                self.stdout.write(_indent(_json(result.payload)))
            elif not result.problem:
                self.stdout.write(line)
        problems = [result for result in results if result.problem]
        counts = {}
        for result in results:
            counts[result.action] = counts.get(result.action, 0) + 1
        summary = ", ".join(f"{count} {action}" for action, count in sorted(counts.items()))
        self.stdout.write(("Dry run: " if dry_run else "") + (summary or "nothing marked"))
        if problems:
            self.stderr.write(f"{len(problems)} service(s) not exported:")
            for result in problems:
                self.stderr.write(
                    f"  {result.record.page.title}: {result.action}: {result.message}"
                )
            raise SystemExit(1)

    def _preview(self, key, client):
        record = PtvServiceExport.objects.select_related("page").filter(page__key=key).first()
        if record is None:
            raise CommandError(f"No service with key {key!r} is marked for PTV export.")
        shown = preview(record, client)
        if shown.error:
            raise CommandError(shown.error)
        self.stdout.write(shown.as_json())
        if shown.ptv_error:
            self.stderr.write(f"PTV's version could not be read: {shown.ptv_error}")
        elif not shown.in_ptv:
            self.stdout.write("Not in PTV yet: every field is new.")
        else:
            changed = shown.changed_fields
            self.stdout.write("Changed: " + (", ".join(changed) if changed else "nothing"))
            for diff in shown.fields:
                if diff.changed:
                    self.stdout.write(f"  {diff.name}:\n    PTV:  {_json(diff.theirs)}")
                    self.stdout.write(f"    ours: {_json(diff.ours)}")


def _json(value):
    return json.dumps(value, ensure_ascii=False, indent=2 if isinstance(value, dict) else None)


def _indent(text):
    return "\n".join("    " + line for line in text.splitlines())

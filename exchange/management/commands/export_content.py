"""Export the site's content as an exchange document: ``manage.py export_content``."""

from django.core.management.base import BaseCommand

from exchange.exporter import dumps, export_document


class Command(BaseCommand):
    help = "Export organisations, services, instructions and guides as exchange JSON."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args, output=None, **options):
        text = dumps(export_document())
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            self.stdout.write(text, ending="")

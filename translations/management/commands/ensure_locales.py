"""Set up the configured content languages: ``manage.py ensure_locales``.

Creates a Locale for each language of WAGTAIL_CONTENT_LANGUAGES (Finnish,
Swedish, English and EXTRA_CONTENT_LANGUAGES) and gives each its home page,
the translators' rights and the review workflow (translations.sync.
ensure_locales). Idempotent, so deployments run it after ``migrate``.
"""

from django.core.management.base import BaseCommand

from translations.locales import ensure_locales


class Command(BaseCommand):
    help = "Create the Locales, homes and translator rights of the configured content languages."

    def handle(self, *args, **options):
        changes = ensure_locales()
        for change in changes:
            self.stdout.write(change)
        if not changes:
            self.stdout.write("content languages already set up")

"""Apply PO files returned by a translation agency: ``manage.py import_translations FILE...``.

Each file names its wagtail-localize Translation in its header (as
``export_translations`` wrote it). Its translations go into the translation
memory and the translated service is saved as a draft (a live translation
keeps its live version until the draft is published or approved). Each file
is applied whole or not at all: a file that cannot be read, belongs to no
Translation, holds invalid markup or strings the Finnish page no longer has
is reported with its name and message, and nothing of it is written. The
other files are still applied; the command fails at the end if any did not.
"""

import polib
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail_localize.models import (
    StringNotUsedInContext,
    Translation,
    UnknownContext,
    UnknownString,
)
from wagtail_localize.strings import StringValue, validate_translation_links

from translations.moderation import save_translation_draft

TRANSLATION_ID = "X-WagtailLocalize-TranslationID"


class BadFile(Exception):
    pass


class Command(BaseCommand):
    help = "Apply translated PO files and save the translated services as drafts."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")

    def handle(self, *args, files, **options):
        failed = 0
        for name in files:
            try:
                page, count = import_po_file(name)
            except BadFile as error:
                failed += 1
                self.stderr.write(f"{name}: {error}")
            else:
                self.stdout.write(
                    f"{name}: {count} translated string(s), draft of "
                    f"{page.get_admin_display_title()!r} ({page.locale.language_code}) saved"
                )
        if failed:
            raise CommandError(f"{failed} of {len(files)} file(s) not imported")


def _message(entry):
    return f"message {entry.msgid[:80]!r} (msgctxt {entry.msgctxt!r})"


def import_po_file(name, user=None):
    """Apply one PO file; returns the saved draft page and the number of translated strings."""
    try:
        po = polib.pofile(name)
    except (OSError, ValueError) as error:
        raise BadFile(f"not a readable PO file: {error}") from None
    translation_id = po.metadata.get(TRANSLATION_ID)
    if not translation_id:
        raise BadFile(f"no {TRANSLATION_ID} in the header (not from export_translations)")
    try:
        translation = Translation.objects.select_related("source", "target_locale").get(
            uuid=translation_id
        )
    except (Translation.DoesNotExist, ValidationError):
        raise BadFile(f"no translation {translation_id} on this site") from None
    entries = [entry for entry in po if not entry.obsolete]
    for entry in entries:
        if entry.msgstr:
            try:
                StringValue.from_translated_html(entry.msgstr)
                validate_translation_links(entry.msgid, entry.msgstr)
            except ValueError as error:
                raise BadFile(f"{_message(entry)}: {error}") from None
    try:
        with transaction.atomic():
            warnings = translation.import_po(po, user=user, tool_name="PO")
            if warnings:
                raise BadFile("; ".join(_describe(warning, po) for warning in warnings))
            page = save_translation_draft(translation, user)
    except ValidationError as error:
        raise BadFile(f"the translated page is not valid: {_errors(error)}") from None
    return page, sum(1 for entry in entries if entry.msgstr)


def _describe(warning, po):
    entry = po[warning.index]
    if isinstance(warning, UnknownString | StringNotUsedInContext):
        return f"{_message(entry)} is not in the Finnish page (it changed since the export)"
    if isinstance(warning, UnknownContext):
        return f"{_message(entry)}: no such field on the page"
    return f"{_message(entry)}: {warning!r}"


def _errors(error):
    if hasattr(error, "message_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)

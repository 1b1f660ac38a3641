"""Export services' translatable strings as PO files for a translation agency.

``manage.py export_translations --locale sv (--page KEY ... | --all-services) --output DIR``
writes one ``<key>.<locale>.po`` per published Finnish service. Each file is
wagtail-localize's own export of that service's Translation (source strings,
any translations already made, the Translation's id in the header), so
``import_translations`` and the PO upload in the admin's translation editor
both accept the returned files. One file per service, because a PO file of
wagtail-localize belongs to exactly one Translation.

wagtail-localize's snapshot of the Finnish page is refreshed first when the
page has been published since, so the agency translates the current text. A
service that has no Translation into the locale gets one: with a new draft
page when it has no translation yet, or adopting the existing page (one made
by the exchange import or edited by hand), whose texts are taken into the
translation memory where they line up with the Finnish strings.
"""

from collections import defaultdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import Locale, Page
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

from catalogue.models import ServicePage
from translations.sync import translated_parent


class Command(BaseCommand):
    help = "Write PO files of services' translatable strings for a translation agency."

    def add_arguments(self, parser):
        parser.add_argument("--locale", required=True, help="target language, e.g. sv")
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--page", nargs="+", metavar="KEY", help="services by exchange key")
        which.add_argument(
            "--all-services", action="store_true", help="every published Finnish service"
        )
        parser.add_argument("--output", required=True, help="directory for the .po files")

    def handle(self, *args, locale, page=None, all_services=False, output, **options):
        target = Locale.objects.filter(language_code=locale).first()
        if target is None:
            raise CommandError(f"no locale {locale!r} (ensure_locales creates configured ones)")
        default = Locale.get_default()
        if target.pk == default.pk:
            raise CommandError(f"{locale} is the source language")
        services = ServicePage.objects.filter(locale=default, alias_of__isnull=True)
        if all_services:
            services = list(services.live().order_by("key"))
        else:
            services = _by_key(services, page)
        directory = Path(output)
        directory.mkdir(parents=True, exist_ok=True)
        for service in services:
            with transaction.atomic():
                translation = prepare_translation(service, target)
                po = translation.export_po()
            po.metadata["Language"] = target.language_code
            po.metadata["Project-Id-Version"] = f"Palvelumanuaali {service.key}"
            path = directory / f"{service.key}.{target.language_code}.po"
            po.save(str(path))
            self.stdout.write(f"{path}: {len(po.untranslated_entries())} of {len(po)} to translate")
        self.stdout.write(f"wrote {len(services)} file(s) to {directory}")


def _by_key(services, keys):
    found = {service.key: service for service in services.filter(key__in=keys)}
    unknown = [key for key in keys if key not in found]
    if unknown:
        raise CommandError(f"no Finnish service with key: {', '.join(unknown)}")
    unpublished = [key for key in keys if not found[key].live]
    if unpublished:
        raise CommandError(f"not published, so not translated yet: {', '.join(unpublished)}")
    return [found[key] for key in dict.fromkeys(keys)]


def prepare_translation(service, locale):
    """The service's Translation into ``locale``, its snapshot of the Finnish text current."""
    translated_parent(service.get_parent().specific, locale)
    source, created = TranslationSource.get_or_create_from_instance(service)
    if not created and service.last_published_at > source.last_updated_at:
        source.update_from_db()
    translation, created = Translation.objects.get_or_create(source=source, target_locale=locale)
    page = Page.objects.filter(translation_key=service.translation_key, locale=locale).first()
    if page is None:
        # Like wagtail-localize's own "translate", but never live (the setting
        # WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE is off): a draft to fill in.
        translation.save_target(publish=False)
    elif created or not translation.enabled:
        adopt_page_texts(translation, page.specific)
    if not translation.enabled:
        translation.enabled = True
        translation.save(update_fields=["enabled"])
    return translation


def adopt_page_texts(translation, page):
    """Take an existing translated page's texts into the translation memory.

    Strings pair with the Finnish ones by field and position; a field whose
    number of strings differs (e.g. rich text with other paragraphs) is left
    untranslated rather than guessed, and a text equal to the Finnish one is
    not a translation.
    """
    page_strings = defaultdict(list)
    for segment in extract_segments(page):
        if isinstance(segment, StringSegmentValue):
            page_strings[segment.path].append(segment.string.data)
    source_segments = defaultdict(list)
    for segment in (
        StringSegment.objects.filter(source=translation.source)
        .select_related("string", "context")
        .order_by("order")
    ):
        source_segments[segment.context.path].append(segment)
    for path, segments in source_segments.items():
        texts = page_strings.get(path, [])
        if len(texts) != len(segments):
            continue
        for segment, text in zip(segments, texts, strict=True):
            if text and text != segment.string.data:
                StringTranslation.objects.get_or_create(
                    translation_of=segment.string,
                    locale=translation.target_locale,
                    context=segment.context,
                    defaults={"data": text, "translation_type": "manual"},
                )

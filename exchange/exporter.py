"""Export: the site's content as one exchange document.

Records come out in canonical form (the shape validation produces), sorted
by key, so an export re-imported into an empty site exports byte for byte
the same. A record's status and content follow what import would do with it:

- a live page is exported as ``published`` with its live content (changes
  still waiting in a draft are not exported);
- a page that is not live is exported as ``draft`` with its latest revision;
- translations of a published record are exported when they are live (their
  live content), translations of a draft record from their latest revision;
- alias pages that Wagtail creates as translated parents are not
  translations of their own and are left out.
"""

import json
from collections import defaultdict

from wagtail.models import Locale, Page

from catalogue.models import OrganisationPage, ServicePage
from exchange.locations import read_location
from exchange.mapping import (
    GUIDE_TEXTS,
    INSTRUCTION_TEXTS,
    ORGANISATION_TEXTS,
    SERVICE_TEXTS,
    read_texts,
)
from exchange.validation import (
    FORMAT_VERSION,
    SiteTerms,
    enabled_languages,
    order_municipalities,
)
from guides.models import (
    GuidePage,
    InstructionAreaPage,
    InternalSectionPage,
    ProcessInstructionPage,
)


def _parent_path(page):
    return page.path[: -Page.steplen]


def _iso(value):
    return value.isoformat() if value else None


class Exporter:
    """Builds exchange records from the pages on the site, a few queries per section."""

    def __init__(self, terms=None):
        self.terms = terms or SiteTerms.load()
        self.source_locale = self.terms.source_locale
        self.languages = enabled_languages()
        self.language_of = dict(Locale.objects.values_list("pk", "language_code"))
        # model → (Finnish pages by key, {translation key: {language: page}}), for the importer
        self.loaded = {}

    def document(self):
        return {
            "version": FORMAT_VERSION,
            "organisations": self._sorted(self.organisations()),
            "services": self._sorted(self.services()),
            "instructions": self._sorted(self.instructions()),
            "guides": self._sorted(self.guides()),
        }

    @staticmethod
    def _sorted(records):
        return [records[key] for key in sorted(records)]

    def _pages(self, model, *prefetch):
        """Finnish pages by key, and every page's translations by translation key."""
        pages = (
            model.objects.filter(alias_of__isnull=True)
            .select_related("latest_revision")
            .prefetch_related(*prefetch)
            .order_by("path")
        )
        sources, translations = {}, defaultdict(dict)
        for page in pages:
            if page.locale_id == self.source_locale.pk:
                sources[page.key] = page
            else:
                translations[page.translation_key][self.language_of[page.locale_id]] = page
        return sources, translations

    @staticmethod
    def _content(page, published):
        """The version of a page that a record with this status carries (None: none)."""
        if published:
            return page if page.live else None
        return page.latest_revision.as_object() if page.latest_revision else page

    def _locales(self, source, translations, published, texts):
        """{"fi": …, "sv": …} from the content of the page and its translations."""
        locales = {}
        by_language = {self.source_locale.language_code: source, **translations}
        for code in self.languages:
            page = by_language.get(code)
            content = page and self._content(page, published)
            if content is not None:
                locales[code] = read_texts(content, texts)
        return locales

    def _records(self, model, texts, build, *prefetch):
        sources, translations = self._pages(model, *prefetch)
        self.loaded[model] = (sources, translations)
        records = {}
        for key, page in sources.items():
            published = page.live
            record = build(self._content(page, published), "published" if published else "draft")
            record["locales"] = self._locales(
                page, translations[page.translation_key], published, texts
            )
            records[key] = record
        return records

    def organisations(self):
        def build(page, _status):
            return {
                "key": page.key,
                "kind": page.kind,
                "businessId": page.business_id or None,
                "ptvId": page.ptv_id or None,
                "website": page.website or None,
            }

        return self._records(OrganisationPage, ORGANISATION_TEXTS, build)

    def services(self):
        organisation_at = dict(
            OrganisationPage.objects.filter(locale=self.source_locale).values_list("path", "key")
        )

        def build(page, status):
            return {
                "key": page.key,
                "organisation": organisation_at.get(_parent_path(page)),
                "status": status,
                "audience": page.audience,
                "categories": sorted({term.slug for term in page.categories.all()}),
                "lifeSituations": sorted({term.slug for term in page.life_situations.all()}),
                "methods": sorted({term.slug for term in page.methods.all()}),
                "municipalities": sorted({term.code for term in page.municipalities.all()}),
                "languages": sorted({term.slug for term in page.languages.all()}),
                "ageMin": page.age_min,
                "ageMax": page.age_max,
                "free": page.free,
                "accessible": page.accessible,
                "priority": page.priority,
                "effectiveness": page.effectiveness,
                "responsible": page.responsible_email or None,
                "validFrom": _iso(page.valid_from),
                "validUntil": _iso(page.valid_until),
                "contacts": [
                    {"name": c.name, "email": c.email or None, "phone": c.phone or None}
                    for c in page.contacts.all()
                ],
                "links": [{"title": link.title, "url": link.url} for link in page.links.all()],
                "locations": [read_location(place) for place in page.locations.all()],
            }

        return self._records(
            ServicePage,
            SERVICE_TEXTS,
            build,
            "categories",
            "life_situations",
            "methods",
            "municipalities",
            "languages",
            "contacts",
            "links",
            "locations",
        )

    def instructions(self):
        service_key = dict(
            ServicePage.objects.filter(locale=self.source_locale).values_list("pk", "key")
        )
        area_at = dict(
            InstructionAreaPage.objects.filter(locale=self.source_locale).values_list(
                "path", "employment_area__code"
            )
        )
        area_of = self.terms.area_of

        def build(page, status):
            area = area_at.get(_parent_path(page))
            codes = sorted({term.code for term in page.municipalities.all()})
            # The area the instruction sits in first, so it returns there on import.
            first = [code for code in codes if area_of.get(code) == area][:1]
            return {
                "key": page.key,
                "service": service_key.get(page.service_id),
                "status": status,
                "municipalities": order_municipalities(first + codes, area_of),
            }

        return self._records(ProcessInstructionPage, INSTRUCTION_TEXTS, build, "municipalities")

    def guides(self):
        internal_paths = tuple(
            InternalSectionPage.objects.filter(locale=self.source_locale).values_list(
                "path", flat=True
            )
        )

        def build(page, status):
            return {
                "key": page.key,
                "kind": page.kind,
                "internal": page.path.startswith(internal_paths) if internal_paths else False,
                "status": status,
            }

        return self._records(GuidePage, GUIDE_TEXTS, build)


def export_document():
    """The whole site's exchange content as a dict (json.dumps it to write a file)."""
    return Exporter().document()


def dumps(document):
    """A document as exchange files are written: indented UTF-8 JSON, one newline at the end."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"

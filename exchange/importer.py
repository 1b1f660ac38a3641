"""Import: write a validated exchange document into the page tree.

Records are matched by ``key`` among the Finnish pages, so importing the same
document twice updates and never duplicates. Only what changed is written: a
record equal to what export would write is left alone (no new revision), and
of a changed record only the languages whose page would differ. Pages are
written the way the admin writes them, a revision per change, with the
bookkeeping (revisions, history, tree, indexes) done in bulk by
exchange.writer:

- ``published``: the record's content is published (as ``save_revision().publish()`` does);
- ``draft`` on a new page or one that is not live: saved as a draft, not live;
- ``draft`` on a live page: saved as a new draft revision, and the live version
  stays as it is, like "Save draft" in the admin. Withdrawing a live page is an
  explicit unpublish in the admin, never a side effect of an import.

Translations (``locales`` other than ``fi``) are wagtail-localize
translations of the Finnish page (same ``translation_key``), copied from it
as ``copy_for_translation`` copies and given the same synchronised values as
the source. Import never deletes pages or translations.

A service location linked to PTV or a map source keeps what that interface
maintains, its link and its provenance; what the document said otherwise is
reported in the result's ``notices`` (exchange.locations).

With ``create_only`` an import only adds the records whose key is new and
leaves every existing page as it is, whatever the document says of it: the
demo content (exchange.demo) uses it so that loading it again never
overwrites what editors have since done.
"""

from collections import Counter
from datetime import date
from functools import cached_property

from django.db import transaction
from wagtail.actions.convert_alias import ConvertAliasPageAction
from wagtail.models import Locale, Page

from catalogue.models import (
    OrganisationPage,
    ServiceContact,
    ServiceLink,
    ServicePage,
)
from exchange import locations
from exchange.exporter import Exporter
from exchange.mapping import (
    GUIDE_TEXTS,
    INSTRUCTION_TEXTS,
    ORGANISATION_TEXTS,
    SERVICE_TEXTS,
    write_texts,
)
from exchange.validation import (
    SECTIONS,
    SOURCE_LANGUAGE,
    SiteTerms,
    enabled_languages,
    parse_document,
    validate_document,
)
from exchange.writer import PageWriter
from guides.models import GuidePage, ProcessInstructionPage
from people import organisations
from people.site_tree import ensure_site_tree
from search.deferred import deferred_indexing
from translations.sync import move_page, translated_parent

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
# A service's taxonomies: the page's field and the document's.
TAXONOMY_FIELDS = [
    ("categories", "categories"),
    ("life_situations", "lifeSituations"),
    ("methods", "methods"),
    ("municipalities", "municipalities"),
    ("languages", "languages"),
]


def _date(value):
    return date.fromisoformat(value) if value else None


def _same(incoming, existing):
    """Whether a record would change nothing: the languages it leaves out do not count."""
    return existing is not None and all(
        not _language_changed(incoming, existing, code) for code in incoming["locales"]
    )


def _language_changed(incoming, existing, code):
    """Whether the page in language ``code`` needs writing: new, or its values differ."""
    if existing is None or existing["locales"].get(code) != incoming["locales"][code]:
        return True
    shared = {name: value for name, value in incoming.items() if name != "locales"}
    return shared != {name: value for name, value in existing.items() if name != "locales"}


class ImportResult(dict):
    """Per-section counts (``{"services": {"created": n, …}, …}``), and in ``notices`` what
    the import left as it was and why (a value an interface maintains, a linked location
    the document leaves out): one message per field or location, naming the record."""

    def __init__(self, counts, notices=()):
        super().__init__(counts)
        self.notices = list(notices)


class Importer:
    """Writes one canonical document; build with ``Importer(document, terms)``."""

    def __init__(self, document, terms, create_only=False):
        self.document = document
        self.terms = terms
        self.create_only = create_only
        self.exporter = Exporter(terms)
        self.existing = {
            "organisations": self.exporter.organisations(),
            "services": self.exporter.services(),
            "instructions": self.exporter.instructions(),
            "guides": self.exporter.guides(),
        }
        self.counts = {section: Counter() for section in SECTIONS}
        self.created = {section: [] for section in SECTIONS}  # keys, in document order
        self.notices = []
        if not create_only:
            self._keep_maintained_locations()

    def _keep_maintained_locations(self):
        """Put what interfaces maintain on existing locations into the document's services.

        An unchanged record then compares equal, and the values written are the
        interfaces' (exchange.locations).
        """
        pages = self.exporter.loaded[ServicePage][0]
        for record in self.document["services"]:
            page = pages.get(record["key"])
            if page is None:
                continue
            record["locations"], notices = locations.reconcile(
                record["locations"], list(page.locations.all()), f"services[{record['key']}]"
            )
            self.notices.extend(notices)

    def action(self, section, record):
        existing = self.existing[section].get(record["key"])
        if existing is None:
            return CREATED
        if self.create_only:
            return UNCHANGED
        return UNCHANGED if _same(record, existing) else UPDATED

    def plan(self):
        """What an import would do, per section: {"created": n, "updated": n, "unchanged": n}."""
        for section in SECTIONS:
            for record in self.document[section]:
                self.counts[section][self.action(section, record)] += 1
        return self.result()

    def result(self):
        return ImportResult(
            {
                section: {action: counts[action] for action in (CREATED, UPDATED, UNCHANGED)}
                for section, counts in self.counts.items()
            },
            notices=self.notices,
        )

    def run(self):
        with transaction.atomic(), deferred_indexing():
            return self._run()

    def _run(self):
        self.tree = ensure_site_tree()
        self.locales = {
            code: Locale.objects.get_or_create(language_code=code)[0]
            for code in enabled_languages()
        }
        # model → (Finnish pages by key, translations), as the exporter loaded them
        self.pages = self.exporter.loaded
        self.organisations = self.pages[OrganisationPage][0]
        self.services = self.pages[ServicePage][0]
        self.parent_translations = {}  # (parent pk, locale pk) → translated parent
        self.writer = PageWriter()
        organisations.create_collections(
            [
                record["locales"]["fi"]["name"]
                for record in self.document["organisations"]
                if record["key"] not in self.existing["organisations"]
            ],
            self.tree.attachments,
        )

        for section, write in (
            ("organisations", self._organisation),
            ("services", self._service),
            ("instructions", self._instruction),
            ("guides", self._guide),
        ):
            for record in self.document[section]:
                self._import(section, record, write)
            self.writer.flush()
        return self.result()

    def _import(self, section, record, write):
        action = self.action(section, record)
        self.counts[section][action] += 1
        if action == CREATED:
            self.created[section].append(record["key"])
        if action != UNCHANGED:
            write(record, self.existing[section].get(record["key"]))

    def _write(self, model, record, existing, parent, apply):
        """Write a record's Finnish page and translations; only languages that changed."""
        cache, translations = self.pages[model]
        published = record.get("status", "published") == "published"
        page = cache.get(record["key"])
        if page is not None and page.path[: -Page.steplen] != parent.path:
            page = cache[record["key"]] = self._move(page, parent)
        if page is None:
            page = cache[record["key"]] = model(key=record["key"], locale=parent.locale)
            apply(page, record, SOURCE_LANGUAGE)
            self.writer.create(page, parent, published, record["key"])
        elif _language_changed(record, existing, SOURCE_LANGUAGE):
            title_before = page.title
            apply(page, record, SOURCE_LANGUAGE)
            self.writer.update(page, parent, published, title_before)
        for code in record["locales"]:
            if code != SOURCE_LANGUAGE and _language_changed(record, existing, code):
                self._translate(page, parent, record, code, translations, apply, published)
        return page

    # --- Writing pages --------------------------------------------------

    def _move(self, page, parent):
        """Move a page by the translations rule; the tree changes outside the writer."""
        self.writer.settle_tree()
        return move_page(page, parent)

    def _translate(self, page, parent, record, code, translations, apply, published):
        """Create or update the page's translation into ``code`` (same translation key)."""
        locale = self.locales[code]
        translated_parent = self._translated_parent(parent, locale)
        translation = translations.get(page.translation_key, {}).get(code)
        if translation is None and page.pk in self.aliased:
            translation = self._converted_alias(page, locale)
        if translation is None:
            translation = self.writer.translation(page, locale)
            translations.setdefault(page.translation_key, {})[code] = translation
            self._apply_translation(translation, page, record, code, apply)
            self.writer.create(
                translation, translated_parent, published, page.slug, translation_of=(page, parent)
            )
            return
        if translation.path[: -Page.steplen] != translated_parent.path:
            translation = self._move(translation, translated_parent)
            translations[page.translation_key][code] = translation
        title_before = translation.title
        self._apply_translation(translation, page, record, code, apply)
        self.writer.update(translation, translated_parent, published, title_before)

    @staticmethod
    def _apply_translation(translation, page, record, code, apply):
        apply(translation, record, code)
        if hasattr(page, "attachments"):
            translation.attachments = [
                type(a)(document_id=a.document_id) for a in page.attachments.all()
            ]

    @cached_property
    def aliased(self):
        """Finnish pages with an alias in another locale (Wagtail makes them as translated
        parents); a translation of such a page is made from its alias."""
        return set(
            Page.objects.filter(alias_of__isnull=False)
            .exclude(locale=self.locales[SOURCE_LANGUAGE])
            .values_list("alias_of", flat=True)
        )

    def _converted_alias(self, page, locale):
        """The page's alias in ``locale`` made a real translation, or None when it has none."""
        alias = page.get_translation_or_none(locale)
        if alias is None or not alias.alias_of_id:
            return None
        self.writer.settle_tree()
        ConvertAliasPageAction(alias).execute(skip_permission_checks=True)
        return type(page).objects.get(pk=alias.pk)

    def _translated_parent(self, parent, locale):
        """The parent's page in ``locale``, by the translations rule (translations.sync)."""
        cache_key = (parent.pk, locale.pk)
        if cache_key not in self.parent_translations:
            # The rule may create pages (and publish them): the tree changes outside the writer.
            self.writer.settle_tree()
            self.parent_translations[cache_key] = translated_parent(parent, locale)
        return self.parent_translations[cache_key]

    # --- Records ------------------------------------------------------------

    def _organisation(self, record, existing):
        def apply(page, record, code):
            page.kind = record["kind"]
            page.business_id = record["businessId"] or ""
            page.ptv_id = record["ptvId"] or ""
            page.website = record["website"] or ""
            write_texts(page, ORGANISATION_TEXTS, record["locales"][code])

        page = self._write(OrganisationPage, record, existing, self.tree.catalogue, apply)
        if page.admin_group_id is None or page.editor_group_id is None:
            collection = organisations.organisation_collection(page, self.tree.attachments)
            organisations.create_organisation_groups(page, attachments_collection=collection)

    def _service(self, record, existing):
        terms = self.terms

        def apply(page, record, code):
            page.audience = record["audience"]
            # Each language's page holds that language's terms.
            for taxonomy, named in TAXONOMY_FIELDS:
                own = terms.in_language(taxonomy, code)
                setattr(page, taxonomy, [own[slug] for slug in record[named]])
            page.age_min = record["ageMin"]
            page.age_max = record["ageMax"]
            page.free = record["free"]
            page.accessible = record["accessible"]
            page.priority = record["priority"]
            page.effectiveness = record["effectiveness"]
            page.responsible_email = record["responsible"] or ""
            page.valid_from = _date(record["validFrom"])
            page.valid_until = _date(record["validUntil"])
            page.contacts = [
                ServiceContact(name=c["name"], email=c["email"] or "", phone=c["phone"] or "")
                for c in record["contacts"]
            ]
            page.links = [ServiceLink(title=x["title"], url=x["url"]) for x in record["links"]]
            # Each language's page keeps what an interface maintains in that language.
            page.locations = locations.build(record["locations"], list(page.locations.all()))
            write_texts(page, SERVICE_TEXTS, record["locales"][code])

        parent = self.organisations[record["organisation"]]
        self._write(ServicePage, record, existing, parent, apply)

    def _instruction(self, record, existing):
        terms = self.terms
        service = self.services[record["service"]]

        def apply(page, record, code):
            page.service = service
            page.municipalities = [terms.municipalities[c] for c in record["municipalities"]]
            write_texts(page, INSTRUCTION_TEXTS, record["locales"][code])

        parent = self.tree.area_pages[terms.area_of[record["municipalities"][0]]]
        self._write(ProcessInstructionPage, record, existing, parent, apply)

    def _guide(self, record, existing):
        def apply(page, record, code):
            page.kind = record["kind"]
            write_texts(page, GUIDE_TEXTS, record["locales"][code])

        parent = self.tree.internal_guides if record["internal"] else self.tree.guides
        self._write(GuidePage, record, existing, parent, apply)


def import_document(data, dry_run=False, create_only=False):
    """Validate a document and write it in one transaction.

    ``data`` is the parsed document, or its JSON text (bytes or str), which is
    then read with ``parse_document``: only that way are repeated member names
    and bytes that are not UTF-8 reported rather than lost to the parser.

    Returns per-section counts of created, updated and unchanged records (with
    ``dry_run``, what an import would do, writing nothing). Raises
    ExchangeError listing every problem when the document is invalid; then
    nothing is written. With ``create_only`` existing records are left as they
    are (counted as unchanged) and only new keys are written.
    """
    if isinstance(data, bytes | str):
        data = parse_document(data)
    terms = SiteTerms.load()
    document = validate_document(data, terms)
    importer = Importer(document, terms, create_only=create_only)
    return importer.plan() if dry_run else importer.run()

"""The delivery search index on Elasticsearch: one document per live page or document.

Wagtail's own index (``WAGTAILSEARCH_BACKENDS``) keeps serving the admin's
search. Delivery (``services``, ``siteSearch``) needs what Wagtail's backend
API cannot express: language analysis per field, several facets as
aggregations in one request, a function score of priority and fit, and the
visibility rule inside the query. So it has this index of its own, built
from the same pages:

- only live pages and documents are indexed; a draft never is;
- each document lists the view restrictions it sits behind (``restrictions``:
  ``page:<id>``, ``collection:<id>``); a query excludes those the caller fails
  (cms.visibility ``failed_restrictions``), so hits, totals, kind counts and
  facets are all computed over visible content only;
- ``served_in`` lists the locales a document answers for: its own, and for a
  Finnish page also every locale it has no live translation in (the locale
  fallback of cms.localisation, precomputed);
- text fields have sub-fields per language analyzer, an ASCII-folded one
  ("tyokokeilu"), an n-gram one (parts of compounds) and, for titles, an
  autocomplete one.

The index name is an alias; a rebuild fills a new index and swaps the alias,
so searches never see a half-built index.
"""

import functools
import itertools
import logging
from collections import defaultdict
from datetime import UTC, datetime

from django.conf import settings
from django.db.models import prefetch_related_objects
from elasticsearch import BadRequestError, Elasticsearch, NotFoundError, helpers
from wagtail.documents import get_document_model
from wagtail.models import CollectionViewRestriction, Locale, Page, PageViewRestriction

from catalogue.models import OrganisationPage, ServicePage
from cms import rich_text
from guides.models import GuidePage, ProcessInstructionPage
from search import analysis

logger = logging.getLogger(__name__)

LANGUAGES = ("fi", "sv", "en")


def alias():
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}delivery"


def client():
    """One client (and connection pool) per configured URL, reused across requests."""
    return _client(settings.ELASTICSEARCH_URL, settings.ELASTICSEARCH_TIMEOUT)


@functools.cache
def _client(url, timeout):
    return Elasticsearch(url, request_timeout=timeout)


def _text(**extra):
    fields = {
        lang: {"type": "text", "analyzer": analysis.LANGUAGE_ANALYZERS[lang]} for lang in LANGUAGES
    }
    fields["folded"] = {"type": "text", "analyzer": "folded"}
    fields["ngram"] = {"type": "text", "analyzer": "compound_ngram", "search_analyzer": "folded"}
    fields.update(extra)
    return {"type": "text", "analyzer": "folded", "fields": fields}


MAPPINGS = {
    "dynamic": "strict",
    "properties": {
        "kind": {"type": "keyword"},
        "object_id": {"type": "integer"},
        "key": {"type": "keyword"},
        "locale": {"type": "keyword"},
        "translation_key": {"type": "keyword"},
        "served_in": {"type": "keyword"},
        "restrictions": {"type": "keyword"},
        "title": _text(
            autocomplete={
                "type": "text",
                "analyzer": "autocomplete",
                "search_analyzer": "folded",
            },
            sort={"type": "keyword", "normalizer": "sortable"},
        ),
        "summary": _text(),
        "keywords": _text(),
        "body": _text(),
        "lemmas": {"type": "text", "analyzer": "folded"},
        "other_titles": {"type": "text", "analyzer": "folded"},
        "municipalities": {"type": "keyword"},
        "categories": {"type": "keyword"},
        "life_situations": {"type": "keyword"},
        "methods": {"type": "keyword"},
        "languages": {"type": "keyword"},
        "organisation": {"type": "keyword"},
        "audience": {"type": "keyword"},
        "age_min": {"type": "integer"},
        "age_max": {"type": "integer"},
        "free": {"type": "boolean"},
        "accessible": {"type": "boolean"},
        "priority": {"type": "integer"},
        "effectiveness": {"type": "integer"},
        "updated": {"type": "date"},
        "valid_from": {"type": "date"},
        "valid_until": {"type": "date"},
    },
}

# Open ends of an age range, so that a range query needs no "missing" clauses.
AGE_FLOOR, AGE_CEILING = 0, 150


def _restrictions_of_document(document):
    collections = document.collection.get_ancestors(inclusive=True)
    return [
        f"collection:{pk}"
        for pk in CollectionViewRestriction.objects.filter(collection__in=collections).values_list(
            "pk", flat=True
        )
    ]


class _PageFacts:
    """What the documents of a batch of pages need beyond their own rows, in a few queries
    for the whole batch (an import or a rebuild writes hundreds of pages at once)."""

    def __init__(self, pages):
        self.languages = dict(Locale.objects.values_list("pk", "language_code"))
        self.default_locale_id = Locale.get_default().pk
        self.translations = defaultdict(list)  # translation key → live pages [(pk, locale, title)]
        rows = (
            Page.objects.filter(translation_key__in={page.translation_key for page in pages})
            .filter(live=True)
            .order_by("pk")
            .values_list("translation_key", "pk", "locale_id", "title")
        )
        for translation_key, pk, locale_id, title in rows:
            self.translations[translation_key].append((pk, locale_id, title))
        # Few pages carry a view restriction (the internal section), so all of them are read.
        self.restrictions = list(PageViewRestriction.objects.values_list("pk", "page__path"))
        services = [page for page in pages if isinstance(page, ServicePage)]
        self.organisations = dict(
            OrganisationPage.objects.filter(
                path__in={page.path[: -Page.steplen] for page in services}
            ).values_list("path", "key")
        )
        for model, names in TAXONOMIES.items():
            prefetch_related_objects([p for p in pages if isinstance(p, model)], *names)

    def language(self, page):
        return self.languages[page.locale_id]

    def other_pages(self, page):
        return [row for row in self.translations[page.translation_key] if row[0] != page.pk]

    def served_in(self, page):
        """The locales the page answers for (its own; a Finnish page also the untranslated ones)."""
        language = self.language(page)
        if page.locale_id != self.default_locale_id:
            return [language]
        translated = {self.languages[locale_id] for _, locale_id, _ in self.other_pages(page)}
        return [language] + sorted(
            code for code in self.languages.values() if code != language and code not in translated
        )

    def restrictions_of(self, page):
        return [f"page:{pk}" for pk, path in self.restrictions if page.path.startswith(path)]

    def organisation_of(self, page):
        return self.organisations.get(page.path[: -Page.steplen])


# The taxonomy codes each document lists.
TAXONOMIES = {
    ServicePage: ["municipalities", "categories", "life_situations", "methods", "languages"],
    ProcessInstructionPage: ["municipalities"],
    GuidePage: [],
}


def _plain(value):
    # Text, not HTML: the excerpt's HTML encoder escapes it (search.backends.elasticsearch).
    return rich_text.plain_text(value)


def page_document(page, facts=None):
    """The index document of a live delivered page, or None for pages delivery does not search.

    ``facts``: a ``_PageFacts`` of a batch the page belongs to (``_actions``).
    """
    page = page.specific
    if not page.live or not isinstance(page, ServicePage | ProcessInstructionPage | GuidePage):
        return None
    facts = facts or _PageFacts([page])
    doc = {
        "object_id": page.pk,
        "key": page.key,
        "locale": facts.language(page),
        "translation_key": str(page.translation_key),
        "served_in": facts.served_in(page),
        "restrictions": facts.restrictions_of(page),
        "title": page.title,
        # A reader may know a service by its name in another language.
        "other_titles": [title for _, _, title in facts.other_pages(page)],
        "updated": page.last_published_at,
    }
    if isinstance(page, ServicePage):
        doc.update(
            kind="SERVICE",
            summary=page.summary,
            keywords=page.keywords,
            # A sentence written in two fields once, so an excerpt never repeats it.
            body=analysis.unique_sentences(
                _plain(getattr(page, field))
                for field in ("description", "target_group", "implementation", "participation")
            ),
            municipalities=[m.code for m in page.municipalities.all()],
            categories=[t.slug for t in page.categories.all()],
            life_situations=[t.slug for t in page.life_situations.all()],
            methods=[t.slug for t in page.methods.all()],
            languages=[t.slug for t in page.languages.all()],
            organisation=facts.organisation_of(page),
            audience=page.audience,
            age_min=page.age_min if page.age_min is not None else AGE_FLOOR,
            age_max=page.age_max if page.age_max is not None else AGE_CEILING,
            free=page.free,
            accessible=page.accessible,
            priority=page.priority,
            effectiveness=page.effectiveness or 0,
            # Open ends are left out: a range filter then never matches them.
            **{
                name: getattr(page, name)
                for name in ("valid_from", "valid_until")
                if getattr(page, name) is not None
            },
        )
    elif isinstance(page, ProcessInstructionPage):
        doc.update(
            kind="INSTRUCTION",
            body=" ".join(
                _plain(getattr(page, field))
                for field in (
                    "guidance",
                    "participation",
                    "statements_and_benefits",
                    "client_records",
                    "supplementary",
                    "internal_contacts",
                )
            ),
            municipalities=[m.code for m in page.municipalities.all()],
        )
    else:
        doc.update(kind=page.kind.upper(), summary=page.summary, body=_plain(page.body))
    doc["lemmas"] = analysis.lemmas(
        " ".join(str(doc.get(field) or "") for field in ("title", "summary", "keywords", "body")),
        doc["locale"],
    )
    return doc


def document_document(document):
    """The index document of an attachment (title and extracted text)."""
    doc = {
        "kind": "ATTACHMENT",
        "object_id": document.pk,
        "locale": Locale.get_default().language_code,
        "served_in": list(LANGUAGES),
        "restrictions": _restrictions_of_document(document),
        "title": document.title,
        "body": analysis.document_text(document),
        "updated": document.created_at,
    }
    doc["lemmas"] = analysis.lemmas(f"{doc['title']} {doc['body']}", doc["locale"])
    return doc


def doc_id(obj):
    return f"page-{obj.pk}" if isinstance(obj, Page) else f"document-{obj.pk}"


BATCH_SIZE = 200


def _actions(objects, index):
    objects = iter(objects)
    while batch := list(itertools.islice(objects, BATCH_SIZE)):
        pages = [obj.specific for obj in batch if isinstance(obj, Page)]
        facts = _PageFacts(pages) if pages else None
        for obj in batch:
            source = page_document(obj, facts) if isinstance(obj, Page) else document_document(obj)
            if source is None:
                yield {"_op_type": "delete", "_index": index, "_id": doc_id(obj)}
            else:
                yield {"_index": index, "_id": doc_id(obj), "_source": source}


def index_objects(objects, refresh=False):
    """Write (or, for pages no longer live, remove) these pages and documents.

    Returns ``(successes, errors)`` of ``helpers.bulk``, so that callers can
    tell a rejected document from a delete of one that was never indexed.
    """
    ensure_index()
    return helpers.bulk(
        client(),
        _actions(objects, alias()),
        refresh=refresh,
        raise_on_error=False,  # deleting a document that was never indexed is fine
    )


def delete_ids(ids, refresh=False):
    """Remove documents by ``doc_id`` (objects already deleted from the database)."""
    ensure_index()
    actions = ({"_op_type": "delete", "_index": alias(), "_id": id_} for id_ in ids)
    return helpers.bulk(client(), actions, refresh=refresh, raise_on_error=False)


def _create(es, name):
    es.indices.create(index=name, settings=analysis.INDEX_SETTINGS, mappings=MAPPINGS)


def ensure_index():
    """Create the index behind the alias on first use.

    The first index has a fixed name, so two processes creating it at once
    cannot leave the alias on two indices (the second create simply fails).
    """
    es = client()
    if not es.indices.exists_alias(name=alias()):
        name = f"{alias()}_initial"
        try:
            _create(es, name)
        except BadRequestError as error:
            if error.error != "resource_already_exists_exception":
                raise
        es.indices.put_alias(index=name, name=alias())


def all_objects():
    """Everything delivery searches, as an iterator (pages in batches, then documents)."""
    for model in TAXONOMIES:
        yield from model.objects.live().iterator(chunk_size=BATCH_SIZE)
    yield from get_document_model().objects.select_related("collection").iterator()


def rebuild():
    """Fill a new index from the database and swap the alias to it; returns (name, count)."""
    es = client()
    name = f"{alias()}_{datetime.now(UTC):%Y%m%d%H%M%S%f}"
    _create(es, name)
    count, _ = helpers.bulk(es, _actions(all_objects(), name), raise_on_error=False)
    es.indices.refresh(index=name)
    try:
        previous = list(es.indices.get_alias(name=alias()))
    except NotFoundError:
        previous = []
    actions = [{"remove": {"index": old, "alias": alias()}} for old in previous]
    es.indices.update_aliases(actions=[*actions, {"add": {"index": name, "alias": alias()}}])
    for old in previous:
        es.indices.delete(index=old)
    logger.info("Delivery search index %s built with %d documents", name, count)
    return name, count


def drop():
    """Remove the alias and its indices (tests)."""
    es = client()
    try:
        for name in es.indices.get_alias(name=alias()):
            es.indices.delete(index=name)
    except NotFoundError:
        pass

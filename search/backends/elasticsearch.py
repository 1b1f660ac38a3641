"""The Elasticsearch delivery engine: ``services`` and ``siteSearch`` on the index (search.index).

Everything a caller is told is computed in one Elasticsearch request over
visible content only: the visibility rule and the served locale are filter
clauses, so hits, ``totalCount``, ``kindCounts`` and facets agree with each
other and never count hidden content.

Relevance (search.filters): the text score (language-analysed, folded,
compound n-grams, Voikko base forms, fuzzy for typos, synonyms) plus fit to
the filters' OR-lists, plus priority and effectiveness as fractions of 100.
Validity windows are date ranges in the query, so a service that ends
today is gone tomorrow without a reindex.

A refused connection or a timeout is ``SearchUnavailable``: search.backends
then answers from the database engine.
"""

from functools import partial

from django.conf import settings
from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import ConnectionTimeout
from wagtail.documents import get_document_model
from wagtail.models import Page

from cms import deadline
from search import analysis, index, synonyms
from search.backends.base import (
    MARK_CLOSE,
    MARK_OPEN,
    Hit,
    SearchUnavailable,
    ServiceResults,
    SiteSearchResults,
)
from search.filters import CURRENT, EXPIRED, UPCOMING

TEXT_FIELDS = ("title", "summary", "keywords", "body")
FIELD_BOOSTS = {"title": 4, "keywords": 3, "summary": 2, "body": 1}
# Score of a query found inside a compound, times the field's boost: below the
# same word found whole, whatever its length (tests/search/relevance measures it).
COMPOUND_PART_SCORE = 2
TERM_FIELDS = {
    "municipalities": "municipalities",
    "categories": "categories",
    "life_situations": "life_situations",
    "methods": "methods",
    "languages": "languages",
    "organisations": "organisation",
}
FACETS = (*TERM_FIELDS.values(), "audience", "free", "accessible")


def _client():
    """The index's client, waiting no longer than the request's deadline allows (cms.deadline)."""
    left = deadline.remaining()
    if left is None:
        return index.client()
    timeout = max(0.1, min(settings.ELASTICSEARCH_TIMEOUT, left))
    return index.client().options(request_timeout=timeout)


def visibility_filters(visibility, locale):
    """The clauses every delivery query starts from: served in the locale, visible to the caller."""
    clauses = [{"term": {"served_in": locale.language_code}}]
    failed = sorted(visibility.failed_restrictions)
    return clauses, ([{"terms": {"restrictions": failed}}] if failed else [])


def text_query(text, language, fuzzy=True, audience=None):
    """Relevance of the text: exact language-aware matches first, then parts, typos and synonyms.

    ``fuzzy=False`` leaves out typo matching (see ``_text_search``); ``audience``
    adds that audience's synonym groups (search.synonyms).
    """
    phrasings = synonyms.expand(text, language, audience) or [text]
    should = []
    for phrasing in phrasings:
        fields = []
        for name in TEXT_FIELDS:
            boost = FIELD_BOOSTS[name]
            fields += [f"{name}^{boost}", f"{name}.{language}^{boost}", f"{name}.folded^{boost}"]
        should.append({"multi_match": {"query": phrasing, "fields": fields, "type": "most_fields"}})
        # Typos: fuzzy on the folded fields, weighed well below exact matches. Fuzzy
        # matching was most of a search's time (measured: over two thirds for "palkkatuki"),
        # spent expanding each word into the index's similar terms: a typo rarely sits
        # in a word's first two letters, and ten expansions find it.
        if fuzzy:
            should.append(
                {
                    "multi_match": {
                        "query": phrasing,
                        "fields": [
                            "title.folded^2",
                            "keywords.folded^2",
                            "summary.folded",
                            "body.folded",
                        ],
                        "fuzziness": "AUTO",
                        "prefix_length": 2,
                        "max_expansions": 10,
                        "boost": 0.3,
                    }
                }
            )
        # Parts of compounds: every 4–5-gram of the query must occur in the field.
        # A yes-or-no fact, so a constant per field: BM25 summed over the grams
        # would grow with the word's length and outrank exact matches.
        should.append(
            {
                "dis_max": {
                    "queries": [
                        {
                            "constant_score": {
                                "filter": {
                                    "match": {
                                        f"{name}.ngram": {
                                            "query": phrasing,
                                            "analyzer": "compound_ngram_query",
                                            "operator": "and",
                                        }
                                    }
                                },
                                "boost": COMPOUND_PART_SCORE * FIELD_BOOSTS[name],
                            }
                        }
                        for name in TEXT_FIELDS
                    ]
                }
            }
        )
        should.append({"match": {"other_titles": {"query": phrasing, "boost": 2}}})
        # Titles as they are typed.
        should.append({"match": {"title.autocomplete": {"query": phrasing, "boost": 0.5}}})
    expanded = analysis.expand_query(text, language)
    if expanded:
        should.append({"match": {"lemmas": {"query": expanded, "boost": 0.8}}})
        # Titles and keywords are mostly base forms, which the stemmer does not
        # always reach ("palkkatuella" → "Palkkatuki"): the lemmas field alone
        # cannot tell a title from a passing mention.
        should.append(
            {
                "multi_match": {
                    "query": expanded,
                    "fields": ["title.folded^2", "keywords.folded"],
                    "boost": 1.5,
                }
            }
        )
    return {"bool": {"should": should, "minimum_should_match": 1}}


def _filter_clauses(values):
    """ES clauses for one ServiceFilter (catalogue.service_query semantics)."""
    clauses = []
    for name, field in TERM_FIELDS.items():
        if wanted := values.get(name):
            clauses.append({"terms": {field: list(wanted)}})
    if audience := values.get("audience"):
        clauses.append({"term": {"audience": audience}})
    if (age := values.get("age")) is not None:
        clauses.append({"range": {"age_min": {"lte": age}}})
        clauses.append({"range": {"age_max": {"gte": age}}})
    for flag in ("free", "accessible"):
        if values.get(flag) is not None:
            clauses.append({"term": {flag: values[flag]}})
    return clauses


def validity_clause(windows, today):
    """A filter for documents in any of these windows today (non-services have no dates)."""
    day = today.isoformat()
    clauses = {
        CURRENT: {
            "bool": {
                "must_not": [
                    {"range": {"valid_from": {"gt": day}}},
                    {"range": {"valid_until": {"lt": day}}},
                ]
            }
        },
        UPCOMING: {"range": {"valid_from": {"gt": day}}},
        EXPIRED: {"range": {"valid_until": {"lt": day}}},
    }
    return {"bool": {"should": [clauses[w] for w in windows], "minimum_should_match": 1}}


# Far above what priority and effectiveness can add: a pinned service goes first.
PIN_WEIGHT = 1000


def _ranked(query, text_present, pins=()):
    """Priority and effectiveness lift every service; without text they are the order.

    ``pins`` (translation keys) go first, in their order (search.filters.ServiceSearch.pins).
    """
    weights = settings.SERVICE_RANKING
    functions = [
        {
            "filter": {"term": {"translation_key": str(key)}},
            "weight": PIN_WEIGHT * (len(pins) - rank),
        }
        for rank, key in enumerate(pins)
    ] + [
        {"field_value_factor": {"field": "priority", "factor": weights["priority"] / 100}},
        {
            "field_value_factor": {
                "field": "effectiveness",
                "factor": weights["effectiveness"] / 100,
            }
        },
    ]
    return {
        "function_score": {
            "query": query,
            "functions": functions,
            "score_mode": "sum",
            # With text the functions add to a normalised text score; without, they are it.
            "boost_mode": "sum" if text_present else "replace",
        }
    }


def services_body(search, offset, limit, fuzzy=True):
    """The request body of one ``services`` page (search.filters.ServiceSearch)."""
    language = search.locale.language_code
    filters, hidden = visibility_filters(search.visibility, search.locale)
    filters = [
        {"term": {"kind": "SERVICE"}},
        *filters,
        validity_clause(search.validity, search.today),
        *_filter_clauses(search.filter),
    ]
    must_not = list(hidden)
    if exclude := _filter_clauses(search.exclude):
        must_not.append({"bool": {"filter": exclude}})
    should = []
    weights = settings.SERVICE_RANKING
    for name, field in TERM_FIELDS.items():
        wanted = search.filter.get(name) or []
        if len(set(wanted)) > 1:  # fit: matching more of an OR-list ranks higher
            should += [
                {
                    "constant_score": {
                        "filter": {"term": {field: value}},
                        "boost": weights["fit"] / len(set(wanted)),
                    }
                }
                for value in set(wanted)
            ]
    query = {"bool": {"filter": filters, "must_not": must_not, "should": should}}
    if search.text:
        query["bool"]["must"] = [
            {
                "function_score": {
                    "query": text_query(search.text, language, fuzzy, search.audience),
                    "boost": weights["text"],
                }
            }
        ]
    sort = {
        "updated": [{"updated": "desc"}, {"title.sort": "asc"}],
        "title": [{"title.sort": "asc"}],
    }.get(search.order, ["_score", {"title.sort": "asc"}])
    body = {
        "query": _ranked(query, bool(search.text), search.pins),
        "sort": sort,
        "from": offset,
        "size": limit,
        "track_total_hits": True,
        "_source": ["object_id"],
        "aggs": {name: {"terms": {"field": name, "size": 200}} for name in FACETS},
    }
    return body


# Typo matching costs most of a text search's time in Elasticsearch, so it runs
# only when exact, stemmed and compound matching found fewer hits than this.
FUZZY_WHEN_FEWER_THAN = 3


def _text_search(text, body):
    """Search with ``body(fuzzy=...)``: without typo matching first, with it when too little
    was found."""
    response = _client().search(index=index.alias(), **body(fuzzy=False))
    if text and response["hits"]["total"]["value"] < FUZZY_WHEN_FEWER_THAN:
        response = _client().search(index=index.alias(), **body(fuzzy=True))
    return response


def search_services(search, offset, limit):
    """(page ids in order, total, facet counts by filter name) for a ServiceSearch."""
    response = _text_search(search.text, partial(services_body, search, offset, limit))
    ids = [hit["_source"]["object_id"] for hit in response["hits"]["hits"]]
    facets = {}
    for name, field in (
        *TERM_FIELDS.items(),
        ("audience", "audience"),
        ("free", "free"),
        ("accessible", "accessible"),
    ):
        facets[name] = {
            bucket.get("key_as_string", bucket["key"]): bucket["doc_count"]
            for bucket in response["aggregations"][field]["buckets"]
        }
    return ids, response["hits"]["total"]["value"], facets


def site_search_body(search, offset, limit, fuzzy=True):
    """The request body of one ``siteSearch`` page (search.filters.SiteSearch)."""
    text, locale, kinds, explain = search.text, search.locale, search.kinds, search.explain
    filters, hidden = visibility_filters(search.visibility, locale)
    filters = [*filters, validity_clause((CURRENT,), search.today)]
    if search.audience:
        # Services of the audience; the other kinds have no audience.
        filters.append(
            {
                "bool": {
                    "should": [
                        {"bool": {"must_not": [{"term": {"kind": "SERVICE"}}]}},
                        {"term": {"audience": search.audience}},
                    ],
                    "minimum_should_match": 1,
                }
            }
        )
    return {
        "query": {
            "bool": {
                "filter": filters,
                "must_not": hidden,
                "must": [text_query(text, locale.language_code, fuzzy, search.audience)],
            }
        },
        # Kind counts are over every kind; the kinds asked for select the hits.
        "post_filter": {"terms": {"kind": sorted(kinds)}},
        "aggs": {"kinds": {"terms": {"field": "kind", "size": 10}}},
        "highlight": {
            # Highlighting with the fuzzy clause expands every term against the
            # whole text (measured: 1 s for a three-word query); exact words suffice.
            "highlight_query": {
                "multi_match": {
                    "query": text,
                    "fields": ["summary", "body", "summary.folded", "body.folded"],
                }
            },
            "fields": {"summary": {}, "body": {}, "summary.folded": {}, "body.folded": {}},
            "fragment_size": 200,
            "number_of_fragments": 1,
            # The excerpt is escaped HTML whose only markup is the highlight
            # (search.backends.base): the HTML encoder escapes the indexed text.
            "encoder": "html",
            "pre_tags": [MARK_OPEN],
            "post_tags": [MARK_CLOSE],
        },
        "from": offset,
        "size": limit,
        "track_total_hits": True,
        "_source": ["kind", "object_id"],
        "explain": explain,
    }


def site_search(search, offset, limit):
    """(hits: dicts of kind, object_id, score, highlight[, explanation]; total; counts by kind)."""
    explain = search.explain
    response = _text_search(search.text, partial(site_search_body, search, offset, limit))
    hits = []
    for hit in response["hits"]["hits"]:
        highlight = next(iter(hit.get("highlight", {}).values()), [""])[0]
        found = {**hit["_source"], "score": hit["_score"], "highlight": highlight}
        if explain:
            found["explanation"] = explanation(hit["_explanation"])
        hits.append(found)
    counts = {b["key"]: b["doc_count"] for b in response["aggregations"]["kinds"]["buckets"]}
    return hits, response["hits"]["total"]["value"], counts


def explanation(tree, limit=8):
    """Why a hit ranks where it does, from Elasticsearch's explanation: the matched
    field:term pairs with their contributions, best first, and the total."""
    matches = {}

    def walk(node):
        description = node.get("description", "")
        if description.startswith("weight(") and node.get("value", 0) > 0:
            # "weight(title.fi:työkokeilu in 3) [PerFieldSimilarity], result of:"
            term = description[len("weight(") :].split(" in ", 1)[0]
            matches[term] = matches.get(term, 0) + node["value"]
            return
        for child in node.get("details", []):
            walk(child)

    walk(tree)
    best = sorted(matches.items(), key=lambda item: -item[1])[:limit]
    parts = ", ".join(f"{term} {value:.2f}" for term, value in best)
    return f"score {tree.get('value', 0):.2f}" + (f": {parts}" if parts else "")


def _load_hits(found, text):
    """Hits from the index, with their pages and documents from the database, in order."""
    page_ids = [hit["object_id"] for hit in found if hit["kind"] != "ATTACHMENT"]
    document_ids = [hit["object_id"] for hit in found if hit["kind"] == "ATTACHMENT"]
    pages = Page.objects.filter(pk__in=page_ids).specific().in_bulk()
    documents = get_document_model().objects.in_bulk(document_ids)
    hits = []
    for hit in found:
        attachment = hit["kind"] == "ATTACHMENT"
        target = (documents if attachment else pages).get(hit["object_id"])
        if target is None:  # deleted since it was indexed
            continue
        hits.append(
            Hit(
                hit["kind"],
                hit["score"],
                page=None if attachment else target,
                document=target if attachment else None,
                query=text,
                highlight=hit["highlight"],
                explanation=hit.get("explanation"),
            )
        )
    return hits


# What "cannot be reached" means; an ApiError (a 4xx or 5xx answer) is not an outage.
UNREACHABLE = (TransportConnectionError, ConnectionTimeout)


class ElasticsearchEngine:
    name = "elasticsearch"

    def services(self, search, offset, limit):
        try:
            ids, total, counts = search_services(search, offset, limit)
        except UNREACHABLE as error:
            raise SearchUnavailable(str(error)) from error
        return ServiceResults(ids=ids, total=total, facet_counts=lambda: counts)

    def site_search(self, search, offset, limit):
        try:
            found, total, by_kind = site_search(search, offset, limit)
        except UNREACHABLE as error:
            raise SearchUnavailable(str(error)) from error
        return SiteSearchResults(
            hits=_load_hits(found, search.text), total=total, kind_counts=by_kind
        )

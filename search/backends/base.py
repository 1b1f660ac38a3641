"""What every delivery engine gives back, and the texts cut from its hits.

An excerpt is escaped HTML whose only markup is ``<mark>…</mark>`` around the
words that matched (docs/graphql.md): Elasticsearch builds it with its HTML
encoder (search.backends.elasticsearch), the database engine with
``excerpt`` below. Titles and summaries are plain text and stay unescaped
in the API; only the excerpt is HTML.
"""

import re
from dataclasses import dataclass

from django.utils.html import escape

from cms.rich_text import plain_text
from search.analysis import unique_sentences

EXCERPT_LENGTH = 200
MARK_OPEN, MARK_CLOSE = "<mark>", "</mark>"
# The rich text fields an excerpt is cut from, in reading order, after the summary.
BODY_FIELDS = ("description", "guidance", "body", "participation")


class SearchUnavailable(Exception):
    """The engine could not be reached (connection refused, timeout): not the caller's fault."""


@dataclass
class ServiceResults:
    """A page of ``services``: ids in order, the total, and facet counts computed on demand."""

    ids: list
    total: int
    facet_counts: object  # () -> {filter name: {value: count}}


@dataclass
class SiteSearchResults:
    hits: list  # Hit, in order
    total: int
    kind_counts: dict  # kind -> count, over every kind


@dataclass
class Hit:
    kind: str
    score: float
    page: object = None
    document: object = None
    query: str = ""
    highlight: str = ""  # Elasticsearch's excerpt, when it made one
    explanation: str | None = None

    @property
    def key(self):
        return getattr(self.page, "key", None)

    @property
    def title(self):
        return (self.page or self.document).title


def text_of(hit):
    """The plain text an excerpt is cut from: the summary, then the body texts.

    Each sentence appears once: a summary that the description repeats (or
    opens with), or a sentence written in two fields, is shown the first time only.
    """
    page = hit.page
    if page is None:
        return ""
    parts = [getattr(page, "summary", "") or ""]
    parts += [plain_text(getattr(page, field, "")) for field in BODY_FIELDS]
    return unique_sentences(parts)


def _query_words(query):
    return [re.escape(word) for word in query.split() if len(word) > 2]


def excerpt(text, query, length=EXCERPT_LENGTH):
    """About ``length`` characters of plain ``text`` around the first word of the query
    it contains, as escaped HTML with each word that starts with a query word in
    ``<mark>``."""
    words = _query_words(query)
    pattern = re.compile("|".join(words), re.IGNORECASE) if words else None
    if len(text) > length:
        match = pattern.search(text) if pattern else None
        start = max(0, (match.start() if match else 0) - length // 4)
        cut = text[start : start + length].rsplit(" ", 1)[0]
        text = ("…" if start else "") + cut + "…"
    return highlight(text, words)


def highlight(text, words):
    """Plain ``text`` escaped, with the words starting with one of ``words`` (regular
    expressions) in ``<mark>``."""
    if not words:
        return escape(text)
    starts = re.compile(rf"(?<!\w)(?:{'|'.join(words)})\w*", re.IGNORECASE)
    parts, end = [], 0
    for match in starts.finditer(text):
        parts += [escape(text[end : match.start()]), MARK_OPEN, escape(match.group()), MARK_CLOSE]
        end = match.end()
    parts.append(escape(text[end:]))
    return "".join(parts)

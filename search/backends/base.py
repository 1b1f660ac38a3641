"""What every delivery engine gives back, and the texts cut from its hits."""

import re
from dataclasses import dataclass

from django.utils.html import strip_tags

EXCERPT_LENGTH = 200


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
    """The plain text an excerpt is cut from."""
    page = hit.page
    if page is None:
        return ""
    parts = [getattr(page, "summary", "")]
    for field in ("description", "guidance", "body", "participation"):
        parts.append(strip_tags(getattr(page, field, "") or ""))
    return " ".join(" ".join(part.split()) for part in parts if part)


def excerpt(text, query, length=EXCERPT_LENGTH):
    """About ``length`` characters of ``text`` around the first word of the query it contains."""
    if len(text) <= length:
        return text
    words = [re.escape(word) for word in query.split() if len(word) > 2]
    match = re.search("|".join(words), text, re.IGNORECASE) if words else None
    start = max(0, (match.start() if match else 0) - length // 4)
    cut = text[start : start + length].rsplit(" ", 1)[0]
    return ("…" if start else "") + cut + "…"

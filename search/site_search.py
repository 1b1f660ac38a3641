"""Site-wide search: services, instructions, guides, articles, tools and attachments in one list.

Each content type is searched through the configured Wagtail search backend
(Elasticsearch in production, the database backend in the embedded setup);
hits are limited to what the caller may see (cms.visibility) in the served
locale (cms.localisation) before anything is counted, so ``totalCount`` and
``kindCounts`` never reveal hidden content.
"""

import re
from dataclasses import dataclass

from django.utils.html import strip_tags
from wagtail.documents import get_document_model
from wagtail.search.backends import get_search_backend

from catalogue.models import ServicePage
from cms import localisation
from guides.models import GuidePage, ProcessInstructionPage

# ContentKind values, in the order tabs show them.
KINDS = ("SERVICE", "INSTRUCTION", "GUIDE", "ARTICLE", "TOOL", "ATTACHMENT")
EXCERPT_LENGTH = 200


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


def _page_kind(page):
    if isinstance(page, ServicePage):
        return "SERVICE"
    if isinstance(page, ProcessInstructionPage):
        return "INSTRUCTION"
    return page.kind.upper()


def search_everything(text, locale, visibility):
    """Every visible hit for ``text``, best first."""
    backend = get_search_backend()
    hits = []
    for model in (ServicePage, ProcessInstructionPage, GuidePage):
        served = localisation.served(model.objects.filter(visibility.page_filter()), locale)
        scores = localisation.scores_by_served_page(
            backend.search(text, model.objects.live(), operator="or"), served
        )
        for page in served.filter(pk__in=list(scores)):
            hits.append(Hit(_page_kind(page), scores[page.pk], page=page, query=text))
    documents = get_document_model().objects.all()
    for document in backend.search(text, documents, operator="or").annotate_score("_score"):
        if visibility.can_view_document(document):
            hits.append(Hit("ATTACHMENT", document._score or 0, document=document, query=text))
    hits.sort(key=lambda hit: (-hit.score, KINDS.index(hit.kind), hit.title.casefold()))
    return hits


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

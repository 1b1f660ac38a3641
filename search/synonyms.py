"""Synonyms and abbreviations maintained by administrators, applied at query time.

Administrators keep groups of equivalent terms per language in the admin
("Hakusanojen synonyymit", search.models.Synonym): "TE, TE-palvelut, työ- ja
elinkeinopalvelut". A query that contains one of the terms is searched as
typed and with that term replaced by each of the others, so "TE palkkatuki"
also finds a service that only says "työ- ja elinkeinopalvelut". Applying
them to queries rather than in the index means a new group works at once,
without reindexing.

A group may belong to one audience (``Synonym.audience``): employers and
jobseekers name the same things differently ("rekrytointituki" and
"palkkatuki"). Such a group applies only to requests that name its audience
(``services(filter: {audience})``, ``siteSearch(audience:)``); a group
without one applies to every request.

Terms match as whole words or phrases, ignoring case and accents ("te" and
"TE" alike, "tyo" and "työ" alike); a hyphen belongs to the word, so "TE"
does not match inside "TE-palvelut" (which is a term of its own).
"""

import re
import unicodedata

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from search.models import Synonym

# Short, because each process keeps its own cache (Django's local-memory
# default); the saving process forgets at once, the others within a minute.
CACHE_SECONDS = 60
# Each phrasing adds clauses to the Elasticsearch query.
MAX_PHRASINGS = 10

_CACHE_KEY = "search:synonyms:v2"


def _fold(text):
    """Case- and accent-free text, and for each of its characters the index it came from."""
    folded, origin = [], []
    for index, character in enumerate(text):
        for piece in unicodedata.normalize("NFKD", character.casefold()):
            if not unicodedata.combining(piece):
                folded.append(piece)
                origin.append(index)
    return "".join(folded), origin


def _pattern(term):
    folded = re.escape(_fold(term)[0])
    return re.compile(rf"(?<![\w-]){folded}(?![\w-])")


def _groups():
    """{(language, audience): [[term, ...], ...]} from the database, cached briefly
    (audience "" for the groups of every request)."""
    groups = cache.get(_CACHE_KEY)
    if groups is None:
        groups = {}
        for synonym in Synonym.objects.all():
            terms = synonym.term_list()
            if len(terms) > 1:
                groups.setdefault((synonym.language, synonym.audience), []).append(terms)
        cache.set(_CACHE_KEY, groups, CACHE_SECONDS)
    return groups


def forget():
    """Drop the cached groups (called when a synonym group is saved or deleted)."""
    cache.delete(_CACHE_KEY)


def _replace(text, folded, origin, pattern, replacement):
    pieces, start = [], 0
    for match in pattern.finditer(folded):
        begin = origin[match.start()]
        end = origin[match.end() - 1] + 1
        pieces += [text[start:begin], replacement]
        start = end
    return "".join(pieces) + text[start:]


def expand(text, language, audience=None):
    """The query and its alternative phrasings: the query first, then one per other term.

    For each synonym group of ``language`` that has a term in the query, the
    query with that term (the longest one, if several of the group occur)
    replaced by each other term of the group. The groups are those for every
    request and, when the request names an ``audience`` ("person",
    "employer"), that audience's.
    """
    query = " ".join((text or "").split())
    if not query:
        return []
    phrasings = {query: None}
    folded, origin = _fold(query)
    groups = _groups()
    applicable = groups.get((language, ""), []) + (
        groups.get((language, audience), []) if audience else []
    )
    for terms in applicable:
        for term in sorted(terms, key=len, reverse=True):
            pattern = _pattern(term)
            if pattern.search(folded):
                for other in terms:
                    if other != term:
                        phrasings.setdefault(_replace(query, folded, origin, pattern, other))
                break
    return list(phrasings)[:MAX_PHRASINGS]


class SynonymCreateView(CreateView):
    """The add form, prefilled from its address (``?terms=…&language=…&audience=…``):
    reports that find a search without results link here with the query typed in."""

    PREFILLED = ("terms", "language", "audience", "note")

    def get_initial(self):
        initial = super().get_initial()
        for name in self.PREFILLED:
            value = self.request.GET.get(name, "")
            if value.strip():
                initial[name] = value[:255]
        return initial


class SynonymViewSet(SnippetViewSet):
    """The admin's "Hakusanojen synonyymit" (under Settings), for administrators."""

    model = Synonym
    add_view_class = SynonymCreateView
    icon = "search"
    menu_label = _("Hakusanojen synonyymit")
    add_to_settings_menu = True
    list_display = ["terms", "language", "audience", "note"]
    list_filter = ["language", "audience"]
    ordering = ["language", "terms"]

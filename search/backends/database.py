"""The database delivery engine: SQL for filters, windows and facets; Wagtail's search for text.

Serves ``services`` and ``siteSearch`` in the embedded set-up (Wagtail's
database search backend), and whenever Elasticsearch cannot be reached: then
text is matched by Wagtail's fallback backend, which needs no index
(search.backends chooses). Filters and facets are SQL over the services the
caller may see in the served locale (cms.localisation); free text narrows
and scores them through the text backend, its words together with those of
the phrasings the synonym groups give (search.synonyms); ranking follows
search.filters.
"""

from collections import Counter

from django.conf import settings
from django.db.models import Count, Q
from wagtail.documents import get_document_model
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from catalogue.models import OrganisationPage, ServicePage
from cms import localisation
from guides.models import GuidePage, ProcessInstructionPage
from search import synonyms
from search.backends.base import Hit, ServiceResults, SiteSearchResults
from search.filters import CURRENT, KINDS, TERM_FILTERS, title_match, validity_q

# Text matching without an index (SQL LIKE), for when the configured backend is unreachable.
FALLBACK_TEXT_BACKEND = "wagtail.search.backends.database.fallback"


class DatabaseEngine:
    name = "database"

    def __init__(self, text_backend=None):
        self.text_backend_name = text_backend

    @property
    def text_backend(self):
        if self.text_backend_name:
            return get_search_backend(self.text_backend_name)
        return get_search_backend()

    def services(self, search, offset, limit):
        rows, services = _ranked_rows(search, self.text_backend)
        return ServiceResults(
            ids=[row["pk"] for row in rows[offset : offset + limit]],
            total=len(rows),
            facet_counts=lambda: facet_counts(services),
        )

    def site_search(self, search, offset, limit):
        hits = _search_everything(search, self.text_backend)
        by_kind = Counter(hit.kind for hit in hits)
        selected = [hit for hit in hits if hit.kind in search.kinds]
        window = selected[offset : offset + limit]
        for hit in window if search.explain else ():
            hit.explanation = f"score {hit.score:.2f} (database search backend)"
        return SiteSearchResults(hits=window, total=len(selected), kind_counts=dict(by_kind))


def _candidates(search):
    """The services the caller may see in the served locale, filtered and excluded."""
    visible = ServicePage.objects.filter(search.visibility.page_filter())
    services = localisation.served(visible, search.locale)
    services = services.filter(_matching(search.filter))
    if _matching(search.exclude):
        services = services.exclude(_matching(search.exclude))
    return services.filter(validity_q(search.validity, search.today))


def _ranked_rows(search, text_backend):
    """Ranked rows (dicts with ``pk``) of every matching service, and their queryset."""
    services = _candidates(search)
    text_scores = {}
    if search.text:
        text_scores = _text_scores(search, services, text_backend)
        services = services.filter(pk__in=list(text_scores))
    rows = list(
        services.values(
            "pk", "title", "priority", "effectiveness", "last_published_at", "translation_key"
        )
    )
    if search.order == "updated":
        rows.sort(key=lambda row: (row["last_published_at"] is None, row["title"].casefold()))
        rows.sort(key=lambda row: row["last_published_at"] or 0, reverse=True)
    elif search.order == "title":
        rows.sort(key=lambda row: row["title"].casefold())
    else:
        fit = _fit(search, [row["pk"] for row in rows])
        weights = settings.SERVICE_RANKING
        best_text = max(text_scores.values(), default=0) or 1
        for row in rows:
            row["score"] = (
                weights["text"] * text_scores.get(row["pk"], 0) / best_text
                + weights["fit"] * fit.get(row["pk"], 0)
                + weights["priority"] * row["priority"] / 100
                + weights["effectiveness"] * (row["effectiveness"] or 0) / 100
            )
        pins = {str(key): rank for rank, key in enumerate(search.pins)}
        rows.sort(
            key=lambda row: (
                pins.get(str(row["translation_key"]), len(pins)),
                -title_match(row["title"], search.text),
                -row["score"],
                row["title"].casefold(),
            )
        )
    return rows, services


def _fit(search, pks):
    """How much of each OR-list a service matches (0–1 per list filter, summed).

    With ``categories: [a, b]`` a service in both fits better than one in a.
    """
    fit = Counter()
    for name, term_filter in TERM_FILTERS.items():
        wanted = search.filter.get(name)
        if not wanted or len(wanted) < 2:
            continue
        through, page_column, term_column = _through(term_filter)
        matched = through.objects.filter(
            **{f"{page_column}__in": pks, f"{term_column}__{term_filter.key}__in": wanted}
        ).values_list(page_column, flat=True)
        for pk, count in Counter(matched).items():
            fit[pk] += count / len(set(wanted))
    return fit


def _through(term_filter):
    """The M2M through model of a taxonomy field and its page and term column names."""
    m2m = ServicePage._meta.get_field(term_filter.field)
    return m2m.remote_field.through, m2m.m2m_field_name(), m2m.m2m_reverse_field_name()


def _matching(values):
    """A Q for the services matching one ServiceFilter (empty Q when it says nothing)."""
    q = Q()
    for name, term_filter in TERM_FILTERS.items():
        if wanted := values.get(name):
            through, page_column, term_column = _through(term_filter)
            linked = through.objects.filter(**{f"{term_column}__{term_filter.key}__in": wanted})
            q &= Q(pk__in=linked.values(page_column))
    if keys := values.get("organisations"):
        paths = OrganisationPage.objects.filter(key__in=keys).values_list("path", flat=True)
        q &= Q.create([("path__startswith", path) for path in paths], connector=Q.OR)
    if audience := values.get("audience"):
        q &= Q(audience=audience)
    if (age := values.get("age")) is not None:
        q &= Q(age_min__isnull=True) | Q(age_min__lte=age)
        q &= Q(age_max__isnull=True) | Q(age_max__gte=age)
    for flag in ("free", "accessible"):
        if values.get(flag) is not None:
            q &= Q(**{flag: values[flag]})
    return q


def listed_among(search, translation_keys):
    """Which of these services (translation keys) the request would list: its filters,
    exclusions, validity, the caller's visibility and, with text, a match of any phrasing.

    For checking a few services against stored requests (saved-search alerts)
    without running each whole search. The text is matched without any index
    (SQL), so a service published a moment ago is found before any index has
    caught up with it.
    """
    services = _candidates(search).filter(translation_key__in=translation_keys)
    if search.text:
        scores = _best_scores(
            get_search_backend(FALLBACK_TEXT_BACKEND),
            search.text,
            search.locale,
            search.audience,
            ServicePage.objects.live().filter(translation_key__in=translation_keys),
            services,
        )
        services = services.filter(pk__in=list(scores))
    return set(services.values_list("translation_key", flat=True))


def _with_synonyms(text, locale, audience):
    """The text with the words of its synonym phrasings (search.synonyms) added.

    The text backend is asked for any of the words (operator "or"), so one
    search for all the phrasings' words finds what a search per phrasing
    would, at the cost of one.
    """
    phrasings = synonyms.expand(text, locale.language_code, audience) or [text]
    return " ".join(dict.fromkeys(word for phrasing in phrasings for word in phrasing.split()))


def _best_scores(backend, text, locale, audience, queryset, served):
    """Scores by served page for the text and its synonyms."""
    return localisation.scores_by_served_page(
        backend.search(_with_synonyms(text, locale, audience), queryset, operator="or"), served
    )


def _text_scores(search, services, text_backend):
    """Search-backend scores of the matching services, by page id.

    The backend searches every live service; its hits are then limited to the
    candidates, which the backend's filter language could not express.
    """
    return _best_scores(
        text_backend,
        search.text,
        search.locale,
        search.audience,
        ServicePage.objects.live(),
        services,
    )


def facet_counts(services):
    """Counts per value of each filter field over a result set (SQL)."""
    counts = {}
    for name, term_filter in TERM_FILTERS.items():
        through, page_column, term_column = _through(term_filter)
        counts[name] = dict(
            through.objects.order_by()
            .filter(**{f"{page_column}__in": services.values("pk")})
            .values_list(f"{term_column}__{term_filter.key}")
            .annotate(count=Count(page_column, distinct=True))
        )
    step = Page.steplen
    by_parent = Counter(path[:-step] for path in services.values_list("path", flat=True))
    organisations = Counter()
    for path, key in OrganisationPage.objects.filter(path__in=by_parent).values_list("path", "key"):
        organisations[key] += by_parent[path]
    counts["organisations"] = dict(organisations)
    for name in ("audience", "free", "accessible"):
        counts[name] = {
            str(value).lower(): count
            for value, count in services.order_by().values_list(name).annotate(count=Count("pk"))
        }
    return counts


def _page_kind(page):
    if isinstance(page, ServicePage):
        return "SERVICE"
    if isinstance(page, ProcessInstructionPage):
        return "INSTRUCTION"
    return page.kind.upper()


def _search_everything(search, backend):
    """Every visible hit for the text, best first; services only while they run."""
    text, locale, visibility = search.text, search.locale, search.visibility
    hits = []
    for model in (ServicePage, ProcessInstructionPage, GuidePage):
        served = localisation.served(model.objects.filter(visibility.page_filter()), locale)
        if model is ServicePage:
            served = served.filter(validity_q((CURRENT,), search.today))
            if search.audience:
                served = served.filter(audience=search.audience)
        scores = _best_scores(backend, text, locale, search.audience, model.objects.live(), served)
        for page in served.filter(pk__in=list(scores)):
            hits.append(Hit(_page_kind(page), scores[page.pk], page=page, query=text))
    documents = get_document_model().objects.all()
    words = _with_synonyms(text, locale, search.audience)
    for document in backend.search(words, documents, operator="or").annotate_score("_score"):
        if visibility.can_view_document(document):
            hits.append(Hit("ATTACHMENT", document._score or 0, document=document, query=text))
    hits.sort(
        key=lambda hit: (
            -title_match(hit.title, text),
            -hit.score,
            KINDS.index(hit.kind),
            hit.title.casefold(),
        )
    )
    return hits

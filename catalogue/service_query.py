"""Finding services: filters, exclusions, free text, ranking and facets.

This is what the ``services`` GraphQL field runs. It works on the relational
database and the configured Wagtail search backend alike: filters and facets
are SQL over the services the caller may see in the served locale
(cms.localisation), free text narrows and scores them through the search
backend, and ranking combines the text score with how well a service fits the
filters, its priority and its effectiveness (weights in
``settings.SERVICE_RANKING``).

Filter semantics: fields combine with AND, the values of one list field with
OR, an empty or missing field does not constrain. ``exclude`` has the same
shape and removes services that match it.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy
from graphql import GraphQLError
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from catalogue.models import (
    DeliveryLanguage,
    DeliveryMethod,
    LifeSituation,
    Municipality,
    OrganisationPage,
    ServiceCategory,
    ServicePage,
)
from cms import localisation


@dataclass(frozen=True)
class TermFilter:
    """A filter on one taxonomy: its ServicePage field, the term's identifying field, and
    the error for a value no term has (one whole sentence each, for translators)."""

    field: str
    model: type
    key: str
    unknown: str


TERM_FILTERS = {
    "municipalities": TermFilter(
        "municipalities",
        Municipality,
        "code",
        gettext_lazy("Unknown municipality code '%(value)s' in %(field)s."),
    ),
    "categories": TermFilter(
        "categories",
        ServiceCategory,
        "slug",
        gettext_lazy("Unknown category '%(value)s' in %(field)s."),
    ),
    "life_situations": TermFilter(
        "life_situations",
        LifeSituation,
        "slug",
        gettext_lazy("Unknown life situation '%(value)s' in %(field)s."),
    ),
    "methods": TermFilter(
        "methods",
        DeliveryMethod,
        "slug",
        gettext_lazy("Unknown method '%(value)s' in %(field)s."),
    ),
    "languages": TermFilter(
        "languages",
        DeliveryLanguage,
        "slug",
        gettext_lazy("Unknown language '%(value)s' in %(field)s."),
    ),
}
AUDIENCE_LABELS = dict(ServicePage.Audience.choices)
BOOLEAN_LABELS = {
    "free": {True: gettext_lazy("maksuton"), False: gettext_lazy("maksullinen")},
    "accessible": {True: gettext_lazy("esteetön"), False: gettext_lazy("ei esteetön")},
}


@dataclass
class ServiceSearch:
    """One ``services`` request, its arguments already parsed from GraphQL."""

    locale: object
    visibility: object  # the caller's cms.visibility.Visibility
    text: str = ""
    filter: dict = field(default_factory=dict)
    exclude: dict = field(default_factory=dict)
    order: str = "relevance"

    def validate(self):
        """Unknown slugs, codes and keys are errors: a typo must not read as "no services"."""
        for values in (self.filter, self.exclude):
            for name, term_filter in TERM_FILTERS.items():
                wanted = set(values.get(name) or ())
                known = set(
                    term_filter.model.objects.filter(**{f"{term_filter.key}__in": wanted})
                    .values_list(term_filter.key, flat=True)
                    .distinct()
                )
                for unknown in sorted(wanted - known):
                    raise GraphQLError(term_filter.unknown % {"value": unknown, "field": name})
            wanted = set(values.get("organisations") or ())
            known = set(
                OrganisationPage.objects.filter(key__in=wanted).values_list("key", flat=True)
            )
            for unknown in sorted(wanted - known):
                raise GraphQLError(
                    gettext("Unknown organisation '%(value)s' in organisations.")
                    % {"value": unknown}
                )
            if (values.get("age") or 0) < 0:
                raise GraphQLError(gettext("age must not be negative."))

    def candidates(self):
        """The services the caller may see in the served locale, filtered and excluded."""
        visible = ServicePage.objects.filter(self.visibility.page_filter())
        services = localisation.served(visible, self.locale)
        services = services.filter(_matching(self.filter))
        if _matching(self.exclude):
            services = services.exclude(_matching(self.exclude))
        return services

    def run(self):
        """Ranked rows (dicts with ``pk``) of every matching service, and their queryset."""
        services = self.candidates()
        text_scores = {}
        if self.text:
            text_scores = _text_scores(self.text, services)
            services = services.filter(pk__in=list(text_scores))
        rows = list(
            services.values("pk", "title", "priority", "effectiveness", "last_published_at")
        )
        if self.order == "updated":
            rows.sort(key=lambda row: (row["last_published_at"] is None, row["title"].casefold()))
            rows.sort(key=lambda row: row["last_published_at"] or 0, reverse=True)
        elif self.order == "title":
            rows.sort(key=lambda row: row["title"].casefold())
        else:
            fit = self._fit([row["pk"] for row in rows])
            weights = settings.SERVICE_RANKING
            best_text = max(text_scores.values(), default=0) or 1
            for row in rows:
                row["score"] = (
                    weights["text"] * text_scores.get(row["pk"], 0) / best_text
                    + weights["fit"] * fit.get(row["pk"], 0)
                    + weights["priority"] * row["priority"] / 100
                    + weights["effectiveness"] * (row["effectiveness"] or 0) / 100
                )
            rows.sort(key=lambda row: (-row["score"], row["title"].casefold()))
        return rows, services

    def _fit(self, pks):
        """How much of each OR-list a service matches (0–1 per list filter, summed).

        With ``categories: [a, b]`` a service in both fits better than one in a.
        """
        fit = Counter()
        for name, term_filter in TERM_FILTERS.items():
            wanted = self.filter.get(name)
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


def _text_scores(text, services):
    """Search-backend scores of the matching services, by page id.

    The backend searches every live service; its hits are then limited to the
    candidates, which the backend's filter language could not express.
    """
    results = get_search_backend().search(text, ServicePage.objects.live(), operator="or")
    return localisation.scores_by_served_page(results, services)


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


def facets(counts, locale):
    """Buckets (value, label, count) per filter field, labelled in the locale.

    ``counts`` maps each filter name to {value: count}, from SQL (facet_counts)
    or from Elasticsearch aggregations (search.delivery_search).
    """
    result = {
        name: _term_buckets(term_filter, counts.get(name, {}), locale)
        for name, term_filter in TERM_FILTERS.items()
    }
    result["organisations"] = _organisation_buckets(counts.get("organisations", {}), locale)
    # The fixed labels are the project's own strings, translated like the terms' names.
    with translation.override(locale.language_code):
        audience = counts.get("audience", {})
        result["audience"] = [
            {"value": value.upper(), "label": str(label), "count": audience[value]}
            for value, label in AUDIENCE_LABELS.items()
            if audience.get(value)
        ]
        for flag, labels in BOOLEAN_LABELS.items():
            flags = counts.get(flag, {})
            result[flag] = [
                {
                    "value": str(value).lower(),
                    "label": str(labels[value]),
                    "count": flags[str(value).lower()],
                }
                for value in (True, False)
                if flags.get(str(value).lower())
            ]
    return result


def _term_buckets(term_filter, counts, locale):
    """Buckets in the taxonomy's own order, labelled in the locale (falling back to Finnish)."""
    terms = term_filter.model.objects.filter(
        **{f"{term_filter.key}__in": [value for value, count in counts.items() if count]},
        locale__in=[locale, locale.get_default()],
    )
    labels = {}
    for term in terms:
        if term.locale_id == locale.pk or getattr(term, term_filter.key) not in labels:
            labels[getattr(term, term_filter.key)] = term.name
    order = list(dict.fromkeys(getattr(term, term_filter.key) for term in terms))
    return [{"value": value, "label": labels[value], "count": counts[value]} for value in order]


def _organisation_buckets(counts, locale):
    """Organisations by exchange key, most services first, named in the locale where translated."""
    labels = {}
    organisations = OrganisationPage.objects.filter(
        key__in=[key for key, count in counts.items() if count],
        locale__in=[locale, locale.get_default()],
    ).values_list("key", "title", "locale_id")
    for key, title, locale_id in organisations:
        if locale_id == locale.pk or key not in labels:
            labels[key] = title
    return sorted(
        ({"value": key, "label": label, "count": counts[key]} for key, label in labels.items()),
        key=lambda bucket: (-bucket["count"], bucket["label"].casefold()),
    )

"""The delivery vocabulary: what ``services`` and ``siteSearch`` may be asked, declared once.

Both delivery engines (search.backends) take the same parsed request and
give the same answers; this module says what the request means and the
engines only say how to find it:

- **Filters.** Fields combine with AND, the values of one list field with
  OR, an empty or missing field does not constrain. ``exclude`` has the same
  shape and removes services that match it.
- **Validity windows** (``valid_from``/``valid_until``, voimassaolo): a
  public listing shows only services running today. A frontend may ask for
  upcoming ones as well; signed-in users also for expired ones. Applied at
  query time, so nothing needs reindexing when a date passes.
- **Ranking** (``settings.SERVICE_RANKING``): the text score, plus how well a
  service fits the filters' OR-lists, plus priority and effectiveness as
  fractions of 100. On the database engine a title that is the query, or
  starts with it, goes before the rest (``title_match``): its text score alone
  can put a long text that mentions the word above the service named so.
- **Facets:** counts per filter value over the whole result set, labelled
  here in the caller's locale. The employer view (``audience: EMPLOYER``) is
  not offered the facets that describe a person (``PERSON_ONLY_FACETS``).
- **Audience:** employer and person services are separate views; a request
  naming an audience lists only its services (``siteSearch`` too) and uses
  its synonym groups (search.synonyms).
- **Personal defaults** (``Defaults``): a signed-in caller's own settings may
  fill in what a ``services`` request left out (the apps above register them
  with the ``service_search_defaults`` hook, see search.schema): municipalities
  when the request gives no ``filter``, and services pinned first when it is
  ordered by relevance without text.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy
from graphql import GraphQLError

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


# Facets that describe a person (life situations; age has no facet), not offered to employers.
PERSON_ONLY_FACETS = ("life_situations",)
EMPLOYER = ServicePage.Audience.EMPLOYER.value


# Validity windows, as the GraphQL enum ServiceValidity names them (ServicePage.Validity).
CURRENT, UPCOMING, EXPIRED = ServicePage.Validity.values
# The content kinds of siteSearch (ContentKind), in the order tabs show them.
KINDS = ("SERVICE", "INSTRUCTION", "GUIDE", "ARTICLE", "TOOL", "ATTACHMENT")


def validity_q(windows, today):
    """The services (ORM) in any of these windows today."""
    q = {
        CURRENT: (Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        & (Q(valid_until__isnull=True) | Q(valid_until__gte=today)),
        UPCOMING: Q(valid_from__gt=today),
        EXPIRED: Q(valid_until__lt=today),
    }
    return Q.create([q[window] for window in windows], connector=Q.OR)


def check_validity_windows(windows, user):
    """Expired services are for signed-in users (experts tell a client a service has ended)."""
    if EXPIRED in windows and not (user and user.is_authenticated):
        raise GraphQLError(gettext("Expired services are available to signed-in users."))


@dataclass
class SiteSearch:
    """One ``siteSearch`` request, its arguments already parsed from GraphQL."""

    text: str
    locale: object
    visibility: object  # the caller's cms.visibility.Visibility
    kinds: frozenset = frozenset(KINDS)
    explain: bool = False
    audience: str | None = None  # "person" or "employer": only that audience's services
    today: date = field(default_factory=timezone.localdate)


@dataclass(frozen=True)
class Defaults:
    """What a caller's own settings fill in when a ``services`` request leaves it out.

    ``area``: the employment-area code the defaults come from (said back to the
    caller); ``municipalities``: codes used as the filter when none is given;
    ``pinned``: translation keys of services listed first, in this order, when
    the order is relevance and there is no text.
    """

    area: str
    municipalities: tuple = ()
    pinned: tuple = ()


@dataclass
class ServiceSearch:
    """One ``services`` request, its arguments already parsed from GraphQL."""

    locale: object
    visibility: object  # the caller's cms.visibility.Visibility
    text: str = ""
    filter: dict = field(default_factory=dict)
    exclude: dict = field(default_factory=dict)
    order: str = "relevance"
    validity: tuple = (CURRENT,)
    today: date = field(default_factory=timezone.localdate)
    # Translation keys listed first, in this order (relevance order without text only).
    pinned: tuple = ()
    defaults: Defaults | None = None  # the personal defaults applied, if any

    @property
    def audience(self):
        return self.filter.get("audience")

    @property
    def pins(self):
        """The pinned translation keys, if they apply to this request's order."""
        return self.pinned if self.order == "relevance" and not self.text else ()

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


def facets(counts, locale, audience=None):
    """Buckets (value, label, count) per filter field, labelled in the locale.

    ``counts`` maps each filter name to {value: count}, from SQL (facet_counts)
    or from Elasticsearch aggregations (search.backends.elasticsearch). For
    the employer audience the person-only facets are empty.
    """
    offered = {
        name: term_filter
        for name, term_filter in TERM_FILTERS.items()
        if not (audience == EMPLOYER and name in PERSON_ONLY_FACETS)
    }
    result = {name: [] for name in TERM_FILTERS}
    result.update(
        {
            name: _term_buckets(term_filter, counts.get(name, {}), locale)
            for name, term_filter in offered.items()
        }
    )
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
        locale__in=[locale, localisation.default_locale()],
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
        locale__in=[locale, localisation.default_locale()],
    ).values_list("key", "title", "locale_id")
    for key, title, locale_id in organisations:
        if locale_id == locale.pk or key not in labels:
            labels[key] = title
    return sorted(
        ({"value": key, "label": label, "count": counts[key]} for key, label in labels.items()),
        key=lambda bucket: (-bucket["count"], bucket["label"].casefold()),
    )


def title_match(title, text):
    """2 when the title is the query text, 1 when it starts with it, else 0 (case-blind).

    The first key of relevance order on the database engine, for ``services``
    and ``siteSearch`` alike.
    """
    title, text = " ".join(title.casefold().split()), " ".join(text.casefold().split())
    if not text:
        return 0
    if title == text:
        return 2
    return 1 if title.startswith(text) else 0

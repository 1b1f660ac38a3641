"""Recommendations: the services that suit a client, best first, each with its reasons.

From a client profile (guidance.profile) and the options chosen in
questionnaires (guidance.answers):

1. **Candidates** are the services the caller may see (cms.visibility), in
   the asked locale or else Finnish (cms.localisation), running today — the
   services ``services`` would list — read with a fixed number of queries.
2. **Relevant** are those meeting at least one of the client's needs
   (service needs, life situations); with no needs stated, all of them.
3. **Unsuitable** relevant services are left out and counted per reason:
   the client's age outside the service's range, a home municipality the
   service does not serve, no language in common, another audience, or an
   answer that excludes it. A service without municipalities or languages
   is not left out for them: nothing says it would not suit.
4. The rest are **ranked** (guidance.ranking) and each gets its reasons:
   what it meets, what lifted it, and what would rule it out.

The profile's facts win over the answers' (an answer's age band counts only
when the profile gives no age, its municipality only when the profile gives
none); languages from both count.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy

from catalogue.models import EmploymentArea, Municipality, ServicePage
from cms import localisation
from guidance import ranking
from guidance.profile import BASIC, FLUENT
from search.filters import CURRENT, TERM_FILTERS, validity_q

# Why a relevant service was left out (ExclusionReason in GraphQL), in this order.
EXCLUSION_LABELS = {
    "AGE": gettext_lazy("The client's age is outside the service's age range"),
    "MUNICIPALITY": gettext_lazy("Not available in the client's home municipality"),
    "LANGUAGE": gettext_lazy("No language in common with the client"),
    "AUDIENCE": gettext_lazy("Meant for another audience"),
    "ANSWER": gettext_lazy("Excluded by an answer"),
}
NEED_TAXONOMIES = ("categories", "life_situations")
# Terms that suit a level of education and lift the services that have them: without
# a vocational qualification, studying; with higher education, networks and having
# one's skills recognised.
EDUCATION_LIFTS = {
    "BASIC": (("categories", "education-and-skills"),),
    "UPPER_SECONDARY": (),
    "HIGHER": (("categories", "networking"), ("categories", "skills-assessment")),
}
EDUCATION_LABELS = {
    "BASIC": gettext_lazy("basic education"),
    "UPPER_SECONDARY": gettext_lazy("upper secondary education"),
    "HIGHER": gettext_lazy("higher education"),
}
# How much the service's focus on the client's needs counts in its fit (guidance.ranking).
FOCUS = 0.5
# A competence this short only matches a keyword exactly.
COMPETENCE_PART = 4
MUNICIPALITIES_NAMED = 5


@dataclass
class Candidate:
    """A service as ranking sees it: its numbers and its terms (slugs and codes)."""

    pk: int
    key: str
    title: str
    audience: str
    age_min: int | None
    age_max: int | None
    priority: int
    effectiveness: int | None
    keywords: tuple
    categories: frozenset = frozenset()
    life_situations: frozenset = frozenset()
    methods: frozenset = frozenset()
    languages: frozenset = frozenset()
    municipalities: frozenset = frozenset()


@dataclass
class Client:
    """The profile and the chosen options combined into what ranking asks of a client."""

    age: int | None = None
    age_band: tuple | None = None  # (from, to), either may be None
    municipality: str = ""
    area_municipalities: frozenset = frozenset()
    area_name: str = ""
    languages: dict = field(default_factory=dict)  # code → level
    audience: str = ""
    needs: dict = field(default_factory=dict)  # (taxonomy, slug) → [source]
    exclusions: dict = field(default_factory=dict)  # (taxonomy, slug) → [source]
    lifts: dict = field(default_factory=dict)  # (taxonomy, slug) → [source]
    competences: tuple = ()
    sources: dict = field(default_factory=dict)  # fact → source


@dataclass
class Reason:
    """One reason, for people (``text``, in the request's language) and for programs."""

    code: str
    text: str
    value: str | None = None
    source: str | None = None  # "profile", "answer:<questionnaire>/<question>/<option>", …
    contribution: float | None = None


@dataclass
class Recommendation:
    pk: int
    score: float
    reasons: list
    lifts: list
    would_exclude: list


@dataclass
class Outcome:
    items: list  # Recommendations, best first
    excluded: Counter  # reason → relevant services left out for it


PROFILE = "profile"


def _source(answer):
    return PROFILE if answer is None else f"answer:{answer.code}"


# --- Candidates ----------------------------------------------------------------


def load_candidates(visibility, locale, today=None):
    """Every service the caller may see, served in ``locale``, running today (six queries)."""
    services = localisation.served(ServicePage.objects.filter(visibility.page_filter()), locale)
    services = services.filter(validity_q((CURRENT,), today or timezone.localdate()))
    rows = services.values(
        "pk", "key", "title", "audience", "age_min", "age_max", "priority", "effectiveness",
        "keywords",
    )  # fmt: skip
    candidates = {
        row["pk"]: Candidate(**{**row, "keywords": tuple(_keywords(row["keywords"], row["title"]))})
        for row in rows
    }
    pks = services.values("pk")
    for name, term_filter in TERM_FILTERS.items():
        m2m = ServicePage._meta.get_field(term_filter.field)
        page_column, term_column = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
        terms = {}
        for pk, value in m2m.remote_field.through.objects.filter(
            **{f"{page_column}__in": pks}
        ).values_list(page_column, f"{term_column}__{term_filter.key}"):
            terms.setdefault(pk, set()).add(value)
        for pk, values in terms.items():
            if pk in candidates:
                setattr(candidates[pk], name, frozenset(values))
    return list(candidates.values())


def _keywords(keywords, title):
    words = [word.strip().casefold() for word in keywords.split(",") if word.strip()]
    return words + [word.casefold() for word in title.split() if len(word) >= COMPETENCE_PART]


# --- The client ----------------------------------------------------------------


def build_client(profile, answers, locale):
    """The Client a profile and its chosen options (guidance.answers.Answer) describe."""
    client = Client(
        age=profile.age,
        municipality=profile.municipality,
        languages=dict(profile.languages),
        audience=profile.audience,
        competences=tuple(c.casefold() for c in profile.competences),
    )
    for code, _level in profile.languages:
        client.sources[f"language:{code}"] = PROFILE
    for slug in profile.service_needs:
        client.needs.setdefault(("categories", slug), []).append(None)
    for slug in profile.life_situations:
        client.needs.setdefault(("life_situations", slug), []).append(None)
    for term in EDUCATION_LIFTS.get(profile.education, ()):
        client.lifts.setdefault(term, []).append(("education", profile.education))
    for name in ("age", "municipality", "audience"):
        if getattr(client, name):
            client.sources[name] = PROFILE
    for answer in answers:
        _add_answer(client, answer)
    _locate(client, locale)
    return client


def _add_answer(client, answer):
    for taxonomy in NEED_TAXONOMIES:
        for slug in answer.needs.get(taxonomy) or ():
            client.needs.setdefault((taxonomy, slug), []).append(answer)
    for taxonomy, slugs in answer.exclude.items():
        for slug in slugs or ():
            client.exclusions.setdefault((taxonomy, slug), []).append(answer)
    for taxonomy, slugs in answer.boost.items():
        for slug in slugs or ():
            client.lifts.setdefault((taxonomy, slug), []).append(answer)
    facts = answer.facts
    if facts.get("municipality") and not client.municipality:
        client.municipality = facts["municipality"]
        client.sources["municipality"] = _source(answer)
    for code in facts.get("languages") or ():
        if code not in client.languages:
            client.languages[code] = FLUENT
            client.sources[f"language:{code}"] = _source(answer)
    if not client.audience:
        if facts.get("audience"):
            client.audience = facts["audience"]
            client.sources["audience"] = _source(answer)
        else:  # a questionnaire is for one audience
            client.audience = answer.audience
            client.sources["audience"] = f"questionnaire:{answer.questionnaire}"
    band = (facts.get("age_from"), facts.get("age_to"))
    if band != (None, None) and client.age is None and client.age_band is None:
        client.age_band = band
        client.sources["age"] = _source(answer)


def _locate(client, locale):
    """The client's employment area: its municipalities and its name in the locale."""
    if not client.municipality:
        return
    default = localisation.default_locale()
    home = (
        Municipality.objects.filter(code=client.municipality, locale=default)
        .select_related("employment_area")
        .first()
    )
    if home is None:  # an answer named a municipality since removed
        return
    area = home.employment_area
    client.area_municipalities = frozenset(
        Municipality.objects.filter(employment_area=area).values_list("code", flat=True)
    )
    translated = EmploymentArea.objects.filter(
        translation_key=area.translation_key, locale=locale
    ).first()
    client.area_name = (translated or area).name


# --- Suitability ---------------------------------------------------------------


def _age_fits(candidate, low, high):
    """Whether the service's age range meets the client's ages low…high (None: open)."""
    service_low = candidate.age_min if candidate.age_min is not None else 0
    service_high = candidate.age_max if candidate.age_max is not None else 10_000
    low = low if low is not None else 0
    high = high if high is not None else 10_000
    return service_low <= high and low <= service_high


def exclusions(candidate, client):
    """Why the service does not suit the client (empty: it suits)."""
    found = []
    ages = (client.age, client.age) if client.age is not None else client.age_band
    if ages and not _age_fits(candidate, *ages):
        found.append("AGE")
    if (
        client.municipality
        and candidate.municipalities
        and client.municipality not in candidate.municipalities
    ):
        found.append("MUNICIPALITY")
    if client.languages and candidate.languages and not candidate.languages & set(client.languages):
        found.append("LANGUAGE")
    if client.audience and candidate.audience != client.audience:
        found.append("AUDIENCE")
    if _excluded_by_answer(candidate, client):
        found.append("ANSWER")
    return found


def _excluded_by_answer(candidate, client):
    """A category or life situation excludes the services that have it; methods exclude
    a service only when every way of taking part in it is excluded."""
    excluded = {taxonomy: set() for taxonomy in ("categories", "life_situations", "methods")}
    for taxonomy, slug in client.exclusions:
        excluded.setdefault(taxonomy, set()).add(slug)
    if candidate.categories & excluded["categories"]:
        return True
    if candidate.life_situations & excluded["life_situations"]:
        return True
    return bool(candidate.methods) and candidate.methods <= excluded["methods"]


def _met_needs(candidate, client):
    return [
        (taxonomy, slug) for taxonomy, slug in client.needs if slug in getattr(candidate, taxonomy)
    ]


# --- Ranking -------------------------------------------------------------------


def recommend(profile, answers, visibility, locale, today=None):
    """The Outcome for a client: suitable services ranked, and the left-out counted."""
    client = build_client(profile, answers, locale)
    candidates = load_candidates(visibility, locale, today)
    suitable, excluded = [], Counter()
    for candidate in candidates:
        if client.needs and not _met_needs(candidate, client):
            continue
        if reasons := exclusions(candidate, client):
            excluded.update(reasons)
        else:
            suitable.append(candidate)
    weights = ranking.weights()
    with translation.override(locale.language_code):
        names = TermNames(locale)
        signals = {
            name: (weights.weight(name), signal(suitable, client))
            for name, signal in ranking.SIGNALS.items()
        }
        items = [_recommendation(c, client, weights, signals, names) for c in suitable]
    order = {c.pk: (c.title.casefold(), c.pk) for c in suitable}
    items.sort(key=lambda item: (-item.score, order[item.pk]))
    return Outcome(items=items, excluded=excluded)


def _language_factor(candidate, client):
    """1, or ½ when every language shared with the service is one the client knows a little."""
    shared = candidate.languages & set(client.languages)
    if shared and all(client.languages[code] == BASIC for code in shared):
        return 0.5
    return 1.0


def focus(candidate, client):
    """How much of what the service is about the client needs (0–1).

    Of each taxonomy in which the client states needs, the share of the service's
    own terms that are among them, averaged: a job search coaching (job search
    support only) is more about a job-search need than a digital skills course
    that also supports job search, and a service meant for over-55s and
    immigrants is less for a young adult who meets it on a category alone.
    """
    shares = []
    for taxonomy in NEED_TAXONOMIES:
        wanted = {slug for t, slug in client.needs if t == taxonomy}
        own = getattr(candidate, taxonomy)
        if wanted and own:
            shares.append(len(own & wanted) / len(own))
    return sum(shares) / len(shares) if shares else 1.0


def _recommendation(candidate, client, weights, signals, names):
    reasons, lifts = [], []
    score = 0.0
    met = _met_needs(candidate, client)
    if client.needs:
        factor = _language_factor(candidate, client) * (
            1 - FOCUS + FOCUS * focus(candidate, client)
        )
        share = weights.fit * factor / len(client.needs)
        for term in met:
            for answer in client.needs[term]:
                reasons.append(_need_reason(term, answer, names, share / len(client.needs[term])))
            score += share
    reasons += _fact_reasons(candidate, client, names)

    boosts = _boosts(candidate, client, names)
    units = len(client.lifts) + len(client.competences)
    if units:
        for reason in boosts:
            reason.contribution = weights.boost * reason.contribution / units
            score += reason.contribution
        lifts += boosts

    for name, (weight, values) in signals.items():
        if candidate.pk in values and weight:
            value, text = values[candidate.pk]
            contribution = weight * value
            score += contribution
            lifts.append(Reason(name.upper(), text, value=f"{value:g}", contribution=contribution))
    return Recommendation(
        pk=candidate.pk,
        score=round(score, 6),
        reasons=reasons,
        lifts=lifts,
        would_exclude=_conditions(candidate, names),
    )


def _with_answer(text, answer):
    if answer is None:
        return text
    return gettext("%(reason)s (answer “%(answer)s” to “%(question)s”)") % {
        "reason": text,
        "answer": answer.label,
        "question": answer.question,
    }


def _need_reason(term, answer, names, contribution):
    taxonomy, slug = term
    if taxonomy == "categories":
        code, text = "SERVICE_NEED", gettext("Meets the service need “%(term)s”")
    else:
        code, text = "LIFE_SITUATION", gettext("Meant for the life situation “%(term)s”")
    return Reason(
        code,
        _with_answer(text % {"term": names.name(taxonomy, slug)}, answer) + ".",
        value=slug,
        source=_source(answer),
        contribution=contribution,
    )


def _fact_reasons(candidate, client, names):
    """The client's facts the service meets (only those it states conditions for)."""
    reasons = []
    if client.municipality and client.municipality in candidate.municipalities:
        reasons.append(
            Reason(
                "MUNICIPALITY",
                gettext("Available in %(municipality)s, the client's home municipality.")
                % {"municipality": names.name("municipalities", client.municipality)},
                value=client.municipality,
                source=client.sources.get("municipality"),
            )
        )
    has_ages = candidate.age_min is not None or candidate.age_max is not None
    if has_ages and (client.age is not None or client.age_band):
        reasons.append(
            Reason(
                "AGE",
                gettext("Suits the client's age (age limit: %(ages)s).")
                % {"ages": _ages(candidate)},
                value=str(client.age) if client.age is not None else None,
                source=client.sources.get("age"),
            )
        )
    for code in sorted(candidate.languages & set(client.languages)):
        text = (
            gettext("Available in %(language)s, which the client knows a little.")
            if client.languages[code] == BASIC
            else gettext("Available in %(language)s, which the client speaks.")
        )
        reasons.append(
            Reason(
                "LANGUAGE",
                text % {"language": names.name("languages", code)},
                value=code,
                source=client.sources.get(f"language:{code}"),
            )
        )
    if client.audience:
        reasons.append(
            Reason(
                "AUDIENCE",
                gettext("Meant for employers.")
                if candidate.audience == "employer"
                else gettext("Meant for individual clients."),
                value=candidate.audience.upper(),
                source=client.sources.get("audience"),
            )
        )
    return reasons


def _boosts(candidate, client, names):
    """The lifts a service gets; ``contribution`` is 1 per lift, scaled by the caller."""
    found = []
    for (taxonomy, slug), sources in client.lifts.items():
        if slug not in getattr(candidate, taxonomy, ()):
            continue
        source = sources[0]
        term = names.name(taxonomy, slug)
        if isinstance(source, tuple):  # ("education", level)
            text = gettext("“%(term)s” suits the client's education (%(education)s).") % {
                "term": term,
                "education": EDUCATION_LABELS[source[1]],
            }
            found.append(Reason("EDUCATION", text, value=slug, source=PROFILE, contribution=1))
        else:
            text = gettext("“%(term)s” is lifted by the answer “%(answer)s”.") % {
                "term": term,
                "answer": source.label,
            }
            found.append(Reason("BOOST", text, value=slug, source=_source(source), contribution=1))
    for competence in client.competences:
        if any(_competence_matches(competence, word) for word in candidate.keywords):
            found.append(
                Reason(
                    "COMPETENCE",
                    gettext("Matches the client's competence “%(competence)s”.")
                    % {"competence": competence},
                    value=competence,
                    source=PROFILE,
                    contribution=1,
                )
            )
    return found


def _competence_matches(competence, word):
    if competence == word:
        return True
    shorter, longer = sorted((competence, word), key=len)
    return len(shorter) >= COMPETENCE_PART and shorter in longer


def _ages(candidate):
    """The service's age limit in words ("17–29 years")."""
    low, high = candidate.age_min, candidate.age_max
    if low is not None and high is not None:
        return gettext("%(low)d–%(high)d years") % {"low": low, "high": high}
    if low is not None:
        return gettext("%(low)d years and over") % {"low": low}
    return gettext("up to %(high)d years") % {"high": high}


def _conditions(candidate, names):
    """The service's own conditions: what would rule it out for a client."""
    conditions = []
    if candidate.age_min is not None or candidate.age_max is not None:
        conditions.append(
            Reason("AGE", gettext("Age limit: %(ages)s.") % {"ages": _ages(candidate)})
        )
    all_municipalities = names.municipality_count
    if candidate.municipalities and len(candidate.municipalities) < all_municipalities:
        listed = sorted(names.name("municipalities", code) for code in candidate.municipalities)
        text = ", ".join(listed[:MUNICIPALITIES_NAMED])
        if len(listed) > MUNICIPALITIES_NAMED:
            text = gettext("%(names)s and %(count)d more") % {
                "names": text,
                "count": len(listed) - MUNICIPALITIES_NAMED,
            }
        conditions.append(
            Reason(
                "MUNICIPALITY",
                gettext("Only for residents of %(municipalities)s.") % {"municipalities": text},
                value=",".join(sorted(candidate.municipalities)),
            )
        )
    if candidate.languages:
        conditions.append(
            Reason(
                "LANGUAGE",
                gettext("Only in %(languages)s.")
                % {
                    "languages": ", ".join(
                        names.name("languages", code) for code in sorted(candidate.languages)
                    )
                },
                value=",".join(sorted(candidate.languages)),
            )
        )
    conditions.append(
        Reason(
            "AUDIENCE",
            gettext("Only for employers.")
            if candidate.audience == "employer"
            else gettext("Only for individual clients."),
            value=candidate.audience.upper(),
        )
    )
    return conditions


class TermNames:
    """Names of the taxonomies' terms in one locale (Finnish where untranslated), read once
    per request: one query per taxonomy."""

    def __init__(self, locale):
        self.locale = locale
        self._names = {}

    def _load(self, taxonomy):
        term_filter = TERM_FILTERS[taxonomy]
        default = localisation.default_locale()
        names = {}
        terms = term_filter.model.objects.filter(locale__in=[self.locale, default])
        for term in terms.values_list(term_filter.key, "name", "locale_id"):
            key, name, locale_id = term
            if locale_id == self.locale.pk or key not in names:
                names[key] = name
        return names

    def name(self, taxonomy, key):
        if taxonomy not in self._names:
            self._names[taxonomy] = self._load(taxonomy)
        return self._names[taxonomy].get(key, key)

    @property
    def municipality_count(self):
        if "municipalities" not in self._names:
            self._names["municipalities"] = self._load("municipalities")
        return len(self._names["municipalities"])

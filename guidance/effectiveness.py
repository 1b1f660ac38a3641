"""What a service's effectiveness figures add up to: a score for ranking, and their coverage.

``scores(service_keys_or_pages)`` → ``{service key: score}``, each score in
0..1, for the ranking of recommendations. How a score is made:

1. Of each measure, the service's latest figure counts (the latest period
   end; of equal ones, the latest date).
2. Its value is normalised by its unit: percent ``v / 100``, scale 1–5
   ``(v − 1) / 4``, scale 0–10 ``v / 10``. A count (e.g. participants) says
   nothing of effect and is left out. Every measure is "higher is better".
3. The score is the mean of those normalised values, each measure weighing
   the same.
4. A service with no such figure falls back to its own effectiveness number
   (``ServicePage.effectiveness``, 0–100, kept by hand before measurements
   existed) divided by 100.
5. A service with neither is left out of the result: unknown is not zero, and
   the ranking decides what to do with unknown.

``coverage()`` says how many live services carry a priority number and an
effectiveness figure (the plan's targets: 20 % each), in total and per
organisation, for Reports → Vaikuttavuus ja priorisointi.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef
from wagtail.models import Locale

from catalogue.models import OrganisationPage, ServicePage
from guidance.models import EffectivenessFigure, Unit
from guidance.service_keys import service_keys

TARGET_SHARE = 20  # percent of live services, for priority and for effectiveness alike

# How a value in each unit becomes a fraction 0..1; units not listed are not scored.
NORMALISE = {
    Unit.PERCENT: lambda value: value / 100,
    Unit.SCALE_1_5: lambda value: (value - 1) / 4,
    Unit.SCALE_0_10: lambda value: value / 10,
}


def normalised(value, unit):
    """A figure's value as a fraction 0..1, or None for a unit that is not scored."""
    convert = NORMALISE.get(unit)
    if convert is None:
        return None
    return min(1.0, max(0.0, convert(value)))


def latest_by_measure(figures):
    """{measure: the latest figure of it} among one service's figures."""
    latest = {}
    for figure in figures:
        current = latest.get(figure.measure)
        if current is None or _recency(figure) > _recency(current):
            latest[figure.measure] = figure
    return latest


def _recency(figure):
    return (figure.period_end, figure.date or figure.period_end, figure.pk or 0)


def figures_by_service_key(keys):
    """{service key: [its figures]} for these keys, in one query."""
    figures = EffectivenessFigure.objects.filter(
        service__key__in=keys, service__locale=Locale.get_default()
    ).annotate(service_key=F("service__key"))
    found = defaultdict(list)
    for figure in figures:
        found[figure.service_key].append(figure)
    return found


def measured_scores(keys):
    """{service key: score 0..1} from the effectiveness figures alone, in one query."""
    result = {}
    for key, figures in figures_by_service_key(keys).items():
        values = [
            value
            for figure in latest_by_measure(figures).values()
            if (value := normalised(figure.value, figure.unit)) is not None
        ]
        if values:
            result[key] = sum(values) / len(values)
    return result


def scores(service_keys_or_pages):
    """{service key: score 0..1} for the given services that have one (see the module)."""
    keys = service_keys(service_keys_or_pages)
    if not keys:
        return {}
    result = measured_scores(keys)
    fallbacks = (
        ServicePage.objects.filter(
            key__in=[key for key in keys if key not in result],
            locale=Locale.get_default(),
            effectiveness__isnull=False,
        )
        .values_list("key", "effectiveness")
        .order_by("pk")
    )
    for key, number in fallbacks:
        result.setdefault(key, min(1.0, number / 100))
    return result


@dataclass
class CoverageRow:
    """Live services of one organisation (or all), and how many carry each figure."""

    label: str
    services: int = 0
    with_priority: int = 0
    with_effectiveness: int = 0
    with_measured: int = 0

    @staticmethod
    def _share(count, total):
        return round(100 * count / total, 1) if total else None

    @property
    def priority_share(self):
        return self._share(self.with_priority, self.services)

    @property
    def effectiveness_share(self):
        return self._share(self.with_effectiveness, self.services)


@dataclass
class Coverage:
    total: CoverageRow
    organisations: list = field(default_factory=list)
    target: int = TARGET_SHARE

    @property
    def priority_met(self):
        return (self.total.priority_share or 0) >= self.target

    @property
    def effectiveness_met(self):
        return (self.total.effectiveness_share or 0) >= self.target


def coverage(total_label=""):
    """How many live services carry a priority number (above 0) and an effectiveness figure.

    A service counts once, by its Finnish page. "An effectiveness figure" is a
    measured figure (EffectivenessFigure) or the hand-kept effectiveness
    number; ``with_measured`` counts the measured ones alone.
    """
    default = Locale.get_default()
    rows = (
        ServicePage.objects.live()
        .filter(locale=default)
        .annotate(measured=Exists(EffectivenessFigure.objects.filter(service=OuterRef("pk"))))
        .values_list("path", "priority", "effectiveness", "measured")
    )
    steplen = ServicePage.steplen
    organisations = {
        organisation.path: CoverageRow(organisation.title)
        for organisation in OrganisationPage.objects.filter(locale=default).only("path", "title")
    }
    total = CoverageRow(total_label)
    for path, priority, effectiveness, measured in rows:
        row = organisations.setdefault(path[:-steplen], CoverageRow("?"))
        for counted in (total, row):
            counted.services += 1
            counted.with_priority += priority > 0
            counted.with_effectiveness += measured or effectiveness is not None
            counted.with_measured += bool(measured)
    listed = sorted((row for row in organisations.values() if row.services), key=lambda r: r.label)
    return Coverage(total=total, organisations=listed)

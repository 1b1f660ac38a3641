"""Anonymous search statistics: what is counted, what is never recorded, and the weekly figures.

For the search-problems report (guidance.search_problems) and the plan's
measure "search problems halved", each week's searches are counted per
normalised query text (with the language and the audience asked for):

- ``searches``: first pages of ``services`` requests with text and of
  ``siteSearch`` (search.schema's ``search_performed`` hook); a later page of
  the same search is not another search;
- ``zero_results``: those of them that found nothing;
- ``opened``: results opened from them, as the frontends report with the
  ``searchResultOpened`` mutation. A query searched (with results) whose
  results nobody opened in its week is a search problem as much as one with
  no results.

Nothing identifies a searcher: no user, IP address, session, token or time
finer than the week is stored, only the counts. Text that looks like
personal data is not recorded at all (``looks_personal``: a personal
identity code, an e-mail address, a phone, account or other long number).
Statistics older than ``SEARCH_STATISTICS_RETENTION_WEEKS`` are deleted
(``prune``), since a query text may still hold something personal, a name.

Cost: recording is one UPDATE of one row by its unique key (an INSERT the
first time a query is seen in a week), in the searching request. A counter
in the cache flushed later would save that statement but lose counts
whenever the cache is cleared or evicts, and the embedded set-up's cache is
per process; one indexed UPDATE is well below the search itself.

Answers served from the answer cache (cms.response_cache) or an HTTP cache
do not run the search, so an identical search repeated within a cache's
lifetime counts once: the counts are a lower bound, and the report's problem
queries are found all the same.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from guidance.models import SearchStatistic

MAX_QUERY_LENGTH = SearchStatistic._meta.get_field("query").max_length

# A Finnish personal identity code (henkilötunnus): birth date, century sign (including
# the letters of the 2023 reform), individual number and check character.
_IDENTITY_CODE = re.compile(r"\b\d{6}[-+a-fu-y]\d{3}[0-9a-y]\b", re.IGNORECASE)
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
# Seven or more digits, possibly separated by spaces, hyphens or dots: phone numbers,
# client and account numbers (an IBAN too). Postal codes have five digits, years four.
_LONG_NUMBER = re.compile(r"\d(?:[\s.\-/]?\d){6,}")
_PERSONAL = (_IDENTITY_CODE, _EMAIL, _LONG_NUMBER)


def looks_personal(text):
    """Whether the text holds something that looks like personal data."""
    return any(pattern.search(text or "") for pattern in _PERSONAL)


def normalise(text):
    """The query as counted: Unicode-normalised, lower case, single spaces, without quotes
    or punctuation around it; "" when nothing is left."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = " ".join(text.split()).strip(" \"'“”‘’«»„.,;:!?")
    return text[:MAX_QUERY_LENGTH]


def week_of(day):
    """The Monday that starts the day's week (ISO weeks, Finnish time)."""
    return day - timedelta(days=day.weekday())


def _row(text, language, audience):
    """The lookup of the query's row this week, or None when the text is not recorded."""
    if not settings.SEARCH_STATISTICS_ENABLED or looks_personal(text):
        return None
    query = normalise(text)
    if not query:
        return None
    return {
        "week": week_of(timezone.localdate()),
        "language": language or "",
        "audience": audience or "",
        "query": query,
    }


def record_search(request, *, text, language, audience, total):
    """``search_performed`` hook: count one search (and whether it found nothing)."""
    row = _row(text, language, audience)
    if row is None:
        return
    zero = 1 if total == 0 else 0
    changes = {"searches": F("searches") + 1, "zero_results": F("zero_results") + zero}
    if SearchStatistic.objects.filter(**row).update(**changes):
        return
    try:
        with transaction.atomic():
            SearchStatistic.objects.create(searches=1, zero_results=zero, **row)
    except IntegrityError:  # another request created it in between
        SearchStatistic.objects.filter(**row).update(**changes)


def record_opened(text, language, audience):
    """Count one result opened from a search this week; only a query searched this week
    counts, so reports of results opened cannot make up queries."""
    row = _row(text, language, audience)
    if row is not None:
        SearchStatistic.objects.filter(**row).update(opened=F("opened") + 1)


def prune(today=None):
    """Delete the statistics older than the retention; returns how many rows went."""
    today = today or timezone.localdate()
    oldest = week_of(today) - timedelta(weeks=settings.SEARCH_STATISTICS_RETENTION_WEEKS)
    deleted, _ = SearchStatistic.objects.filter(week__lt=oldest).delete()
    return deleted


# A row is "unopened" when it found something and nobody opened a result.
UNOPENED = Q(opened=0, searches__gt=F("zero_results"))


@dataclass
class Week:
    """One week's totals: the baseline the plan's "search problems halved" is measured on."""

    week: object
    searches: int = 0
    zero_results: int = 0
    unopened: int = 0  # searches that found something, of queries nobody opened a result of
    queries: int = 0
    zero_result_queries: list = field(default_factory=list)
    unopened_queries: list = field(default_factory=list)

    @property
    def problems(self):
        return self.zero_results + self.unopened

    @property
    def problem_share(self):
        """Problem searches as a percentage of all searches (None without searches)."""
        return round(100 * self.problems / self.searches) if self.searches else None

    @property
    def iso_week(self):
        return self.week.isocalendar()[1]


def weeks(count=None, today=None):
    """The last ``count`` weeks' totals, newest first (weeks without searches included)."""
    count = count or settings.SEARCH_PROBLEMS_WEEKS
    newest = week_of(today or timezone.localdate())
    found = {
        newest - timedelta(weeks=offset): Week(newest - timedelta(weeks=offset))
        for offset in range(count)
    }
    rows = SearchStatistic.objects.filter(week__in=found).values("week")
    totals = rows.annotate(
        all_searches=Sum("searches"), all_zero=Sum("zero_results"), all_queries=Count("pk")
    )
    for total in totals:
        week = found[total["week"]]
        week.searches = total["all_searches"] or 0
        week.zero_results = total["all_zero"] or 0
        week.queries = total["all_queries"] or 0
    unopened = (
        SearchStatistic.objects.filter(UNOPENED, week__in=found)
        .values("week")
        .annotate(count=Sum(F("searches") - F("zero_results")))
    )
    for total in unopened:
        found[total["week"]].unopened = total["count"] or 0
    return sorted(found.values(), key=lambda week: week.week, reverse=True)


def problem_queries(week, limit=50):
    """(queries that found nothing, queries whose results nobody opened) of one week,
    most searched first."""
    rows = SearchStatistic.objects.filter(week=week)
    zero = rows.filter(zero_results__gt=0).order_by("-zero_results", "query")[:limit]
    unopened = rows.filter(UNOPENED).order_by("-searches", "query")[:limit]
    return list(zero), list(unopened)

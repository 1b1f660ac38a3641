"""The search-problems report (Hakuongelmat): what searches fail, week by week, and nothing more.

Searches are counted anonymously per week and normalised query text: how
many there were, how many found nothing, and how many found something that
nobody opened (the frontends report opened results with
``searchResultOpened``). Producers read the counts as a report whose weekly
totals are the baseline of the plan's "search problems halved"; an
administrator goes from a failing query straight to the synonym form.
Nothing stored says who searched, and text that looks like personal data is
never stored at all.
"""

from datetime import datetime
from urllib.parse import urlparse

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guidance.models import SearchStatistic

pytestmark = pytest.mark.django_db

SERVICES = """
query ($query: String, $offset: Int, $filter: ServiceFilter) {
  services(query: $query, offset: $offset, filter: $filter) { totalCount }
}
"""
SITE_SEARCH = "query ($query: String!) { siteSearch(query: $query) { totalCount } }"
OPENED = """
mutation ($query: String!, $key: String, $audience: Audience) {
  searchResultOpened(query: $query, key: $key, audience: $audience)
}
"""
MONDAY = datetime(2026, 11, 2, 10, 0, tzinfo=timezone.get_default_timezone())
NEXT_THURSDAY = datetime(2026, 11, 12, 10, 0, tzinfo=timezone.get_default_timezone())


@pytest.fixture
def catalogue(small_catalogue, settings):
    # Every search runs: none is answered from the answer cache.
    settings.RESPONSE_CACHE_SECONDS = 0


@pytest.fixture
def on(monkeypatch):
    """``on(moment)``: the clock says ``moment`` from now on (time is all that is faked)."""
    return lambda moment: monkeypatch.setattr(timezone, "now", lambda: moment)


def search(graphql, text, **variables):
    answer = graphql(SERVICES, {"query": text, **variables})
    assert "errors" not in answer, answer
    return answer["data"]["services"]["totalCount"]


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_report_counts_failed_and_unopened_searches_by_week(graphql, catalogue, on, role_user):
    on(MONDAY)
    assert search(graphql, "Työkokeilu") > 0
    assert search(graphql, "työkokeilu ") > 0  # the same query, normalised
    assert search(graphql, "xyzzyq") == 0
    assert graphql(SITE_SEARCH, {"query": "XYZZYQ"})["data"]["siteSearch"]["totalCount"] == 0
    assert search(graphql, "Uravalmennus") > 0
    assert graphql(OPENED, {"query": "uravalmennus", "key": "career-coaching"})["data"] == {
        "searchResultOpened": True
    }
    on(NEXT_THURSDAY)
    assert search(graphql, "xyzzyq") == 0

    report = signed_in(role_user("producer", area_code="091")).get(
        reverse("guidance_search_problems"), {"week": "2026-11-02"}
    )

    assert report.status_code == 200
    weeks = {week.week.isoformat(): week for week in report.context["weeks"]}
    first, second = weeks["2026-11-02"], weeks["2026-11-09"]
    assert (first.searches, first.zero_results, first.unopened) == (5, 2, 2)
    assert (first.problems, first.problem_share) == (4, 80)
    assert (second.searches, second.zero_results, second.unopened) == (1, 1, 0)
    assert [(s.query, s.zero_results) for s in report.context["zero_result_queries"]] == [
        ("xyzzyq", 2)
    ]
    assert [(s.query, s.searches) for s in report.context["unopened_queries"]] == [
        ("työkokeilu", 2)
    ]
    html = report.content.decode()
    assert "xyzzyq" in html and "työkokeilu" in html


def test_the_statistics_store_no_identity(catalogue, role_user):
    expert = role_user("expert", email="tunnistettava.asiantuntija@example.org")
    client = signed_in(expert)
    client.post(
        "/graphql/",
        data={"query": SERVICES, "variables": {"query": "työkokeilu"}},
        content_type="application/json",
        REMOTE_ADDR="203.0.113.77",
    )

    assert {field.name for field in SearchStatistic._meta.get_fields()} == {
        "id",
        "week",
        "language",
        "audience",
        "query",
        "searches",
        "zero_results",
        "opened",
    }
    stored = " ".join(str(value) for value in SearchStatistic.objects.values_list())
    assert "työkokeilu" in stored
    for identity in ("tunnistettava", "203.0.113.77", str(expert.pk) + " "):
        assert identity not in stored


@pytest.mark.parametrize(
    "text",
    [
        "131052-308T",  # a personal identity code
        "tuki 010203A1239",  # one of the 2023 reform's
        "maija.meikalainen@example.org",
        "040 123 4567",
        "FI21 1234 5600 0007 85",
    ],
)
def test_a_query_that_looks_like_personal_data_is_not_recorded(graphql, catalogue, text):
    search(graphql, text)
    graphql(SITE_SEARCH, {"query": text})

    assert not SearchStatistic.objects.exists()


def test_ordinary_numbers_in_a_query_are_recorded(graphql, catalogue):
    search(graphql, "kesätyö 2026")
    search(graphql, "työkokeilu 00100")

    assert set(SearchStatistic.objects.values_list("query", flat=True)) == {
        "kesätyö 2026",
        "työkokeilu 00100",
    }


def test_a_later_page_of_the_same_search_is_not_another_search(graphql, catalogue):
    search(graphql, "kuvaus")
    search(graphql, "kuvaus", offset=20)

    assert SearchStatistic.objects.get().searches == 1


def test_searches_are_counted_per_audience(graphql, catalogue):
    search(graphql, "kuvaus", filter={"audience": "EMPLOYER"})
    graphql(OPENED, {"query": "kuvaus", "audience": "EMPLOYER"})
    search(graphql, "kuvaus")

    rows = dict(SearchStatistic.objects.values_list("audience", "opened"))
    assert rows == {"employer": 1, "": 0}


def test_an_opened_result_of_a_query_nobody_searched_records_nothing(graphql, catalogue):
    answer = graphql(OPENED, {"query": "ei haettu"})

    assert answer["data"]["searchResultOpened"] is True
    assert not SearchStatistic.objects.exists()


def test_reporting_an_unknown_result_is_an_error(graphql, catalogue):
    answer = graphql(OPENED, {"query": "kuvaus", "key": "no-such-service"})

    assert answer["errors"][0]["message"] == "No result with key 'no-such-service'."


def test_reporting_opened_results_is_rate_limited(graphql, catalogue, settings):
    cache.clear()
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMIT_SEARCH_RESULT_OPENED = (2, 60)

    answers = [graphql(OPENED, {"query": "kuvaus"}) for _ in range(3)]

    assert [answer.get("data", {}).get("searchResultOpened") for answer in answers[:2]] == [
        True,
        True,
    ]
    assert answers[2]["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert "at most 2 in 60 seconds" in answers[2]["errors"][0]["message"]


def test_only_producers_and_administrators_read_the_report(site_tree, role_user):
    url = reverse("guidance_search_problems")

    assert signed_in(role_user("producer", area_code="049")).get(url).status_code == 200
    assert signed_in(role_user("administrator")).get(url).status_code == 200
    # Experts have no admin; translators have, but not this report.
    assert signed_in(role_user("expert")).get(url).status_code != 200
    assert signed_in(role_user("translator")).get(url).status_code != 200


def test_an_administrator_goes_from_a_failed_query_to_a_prefilled_synonym_form(
    graphql, catalogue, role_user
):
    search(graphql, "rekrytointituki", filter={"audience": "EMPLOYER"})
    administrator = signed_in(role_user("administrator"))
    producer = signed_in(role_user("producer", area_code="091"))

    report = administrator.get(reverse("guidance_search_problems"))
    link = report.context["zero_result_queries"][0].synonym_url
    form = administrator.get(link)

    assert urlparse(link).path == reverse("wagtailsnippets_search_synonym:add")
    assert form.status_code == 200
    fields = form.context["form"].initial
    assert fields["terms"] == "rekrytointituki, "
    assert (fields["language"], fields["audience"]) == ("fi", "employer")
    # Producers see the failing query but add no synonyms themselves.
    producers_view = producer.get(reverse("guidance_search_problems"))
    assert producers_view.context["zero_result_queries"][0].synonym_url is None
    assert "Lisää synonyymi" not in producers_view.content.decode()

"""Anonymous feedback: giving it, its limits, its anonymity, who reads it, what it adds up to."""

import json
import logging
import secrets
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core import serializers
from django.db import models
from django.test import Client
from wagtail.models import Locale, ModelLogEntry, PageLogEntry, PageViewRestriction

from catalogue.models import ServicePage
from cms.roles import EXPERTS
from guidance import feedback
from guidance.feedback import Aggregate, aggregates
from guidance.models import RecommendationFeedback, RecommendedService, ServiceFeedback
from people.models import AuditEvent

pytestmark = pytest.mark.django_db

GIVE_SERVICE = """
mutation ($key: String!, $useful: Boolean!, $text: String) {
  giveServiceFeedback(serviceKey: $key, useful: $useful, text: $text)
}"""
GIVE_RECOMMENDATION = """
mutation ($rating: Int!, $keys: [String!]!, $text: String, $questionnaire: String, $revision: Int) {
  giveRecommendationFeedback(rating: $rating, serviceKeys: $keys, text: $text,
                             questionnaireKey: $questionnaire, questionnaireRevision: $revision)
}"""
SUMMARY = """
query ($key: String!, $locale: String) {
  service(key: $key, locale: $locale) {
    feedbackSummary { count usefulCount notUsefulCount usefulShare ratingCount meanRating }
  }
}"""


def finnish(key):
    return ServicePage.objects.get(key=key, locale=Locale.get_default())


def give_service(graphql, key, useful=True, text=None, **extra):
    return graphql(GIVE_SERVICE, {"key": key, "useful": useful, "text": text}, **extra)


def give_recommendation(graphql, rating, keys, text=None, **extra):
    variables = {"rating": rating, "keys": keys, "text": text}
    variables.update(
        {name: extra.pop(name) for name in ("questionnaire", "revision") if name in extra}
    )
    return graphql(GIVE_RECOMMENDATION, variables, **extra)


def refusal(answer):
    """(code, message) of a refused mutation."""
    error = answer["errors"][0]
    return error["extensions"]["code"], error["message"]


def stored():
    return ServiceFeedback.objects.count() + RecommendationFeedback.objects.count()


# --- Giving feedback ---------------------------------------------------------------


def test_anyone_may_say_whether_a_service_was_useful_and_it_is_stored_on_the_finnish_service(
    small_catalogue, graphql
):
    answer = give_service(graphql, "work-trial", useful=False, text="  Liian kaukana.  ")

    assert answer == {"data": {"giveServiceFeedback": True}}
    row = ServiceFeedback.objects.get()
    assert (row.service, row.useful, row.text) == (finnish("work-trial"), False, "Liian kaukana.")


def test_a_recommendation_set_is_rated_with_its_services_in_order_and_no_profile(
    small_catalogue, graphql
):
    answer = give_recommendation(
        graphql,
        4,
        ["youth-workshop", "work-trial", "youth-workshop"],
        text="Hyviä ehdotuksia",
        questionnaire="palvelutarve",
        revision=3,
    )

    assert answer == {"data": {"giveRecommendationFeedback": True}}
    rating = RecommendationFeedback.objects.get()
    assert (
        rating.rating,
        rating.text,
        rating.questionnaire_key,
        rating.questionnaire_revision,
    ) == (
        4,
        "Hyviä ehdotuksia",
        "palvelutarve",
        3,
    )
    assert [(item.position, item.service.key) for item in rating.recommended.all()] == [
        (1, "youth-workshop"),
        (2, "work-trial"),
    ]


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"rating": 6}, "The rating must be a whole number from 1 to 5."),
        ({"rating": 0}, "The rating must be a whole number from 1 to 5."),
        ({"keys": []}, "Name the recommended services (serviceKeys)."),
        ({"text": "x" * 1001}, "The text may have at most 1000 characters (1001 given)."),
        (
            {"questionnaire": "Palvelu tarve"},
            "A questionnaire key has at most 100 lower-case letters, digits, hyphens or "
            "underscores.",
        ),
        (
            {"revision": 2},
            "A questionnaire revision is a positive number given with its key.",
        ),
    ],
)
def test_a_callers_mistake_is_an_error_saying_what_was_wrong_and_nothing_is_stored(
    small_catalogue, graphql, variables, message
):
    given = {"rating": 3, "keys": ["work-trial"], **variables}

    answer = give_recommendation(graphql, given.pop("rating"), given.pop("keys"), **given)

    assert refusal(answer) == ("BAD_USER_INPUT", message)
    assert stored() == 0


def test_the_feedback_text_is_bounded_on_services_too(small_catalogue, graphql, settings):
    settings.FEEDBACK_MAX_TEXT = 10

    answer = give_service(graphql, "work-trial", text="Aivan liian pitkä teksti")

    assert refusal(answer) == (
        "BAD_USER_INPUT",
        "The text may have at most 10 characters (24 given).",
    )
    assert stored() == 0


def test_a_public_frontend_gives_feedback_with_the_registered_document_in_production_mode(
    small_catalogue, client, settings
):
    settings.GRAPHQL_ANONYMOUS_PERSISTED_ONLY = True

    def post(**body):
        response = client.post("/graphql/", json.dumps(body), content_type="application/json")
        return response.json()

    by_id = post(
        documentId="feedback",
        operationName="GiveServiceFeedback",
        variables={"serviceKey": "work-trial", "useful": True},
    )
    sent_whole = post(query=GIVE_SERVICE, variables={"key": "work-trial", "useful": True})

    assert by_id == {"data": {"giveServiceFeedback": True}}
    assert sent_whole["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_REQUIRED"
    assert stored() == 1


# --- Visibility ------------------------------------------------------------------


@pytest.fixture
def expert_only_service(small_catalogue):
    """youth-workshop behind a restriction that only experts pass."""
    restriction = PageViewRestriction.objects.create(
        page=finnish("youth-workshop"), restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name=EXPERTS)])
    return finnish("youth-workshop")


def test_an_anonymous_caller_cannot_give_feedback_on_a_draft_or_restricted_service(
    expert_only_service, graphql
):
    for key in ("secret-draft", "youth-workshop", "no-such-service"):
        assert refusal(give_service(graphql, key)) == (
            "NOT_FOUND",
            f"No service with key '{key}'.",
        )
    # One hidden service refuses the whole set.
    assert refusal(give_recommendation(graphql, 5, ["work-trial", "secret-draft"])) == (
        "NOT_FOUND",
        "No service with key 'secret-draft'.",
    )
    assert stored() == 0


def test_an_expert_may_give_feedback_on_a_service_only_experts_see(
    expert_only_service, graphql, client, role_user
):
    client.force_login(role_user("expert"))

    assert give_service(graphql, "youth-workshop") == {"data": {"giveServiceFeedback": True}}
    assert refusal(give_service(graphql, "secret-draft"))[0] == "NOT_FOUND"


def test_feedback_numbers_of_a_restricted_service_are_not_shown_to_anonymous_callers(
    expert_only_service, graphql
):
    ServiceFeedback.objects.create(service=expert_only_service, useful=True)

    answer = graphql(SUMMARY, {"key": "youth-workshop"})

    assert answer["data"]["service"] is None


# --- Rate limits -----------------------------------------------------------------


@pytest.fixture
def limits(settings, monkeypatch):
    """Three feedbacks an hour per IP; a clock ten seconds into an hour of its own, so
    that no other test's counters meet this one's."""
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMIT_FEEDBACK = (3, 3600)
    settings.RATE_LIMIT_FEEDBACK_SIGNED_IN = (5, 3600)
    clock = SimpleNamespace(now=3600 * secrets.randbelow(10**9) + 10)
    monkeypatch.setattr(feedback, "time", SimpleNamespace(time=lambda: clock.now))
    return clock


def test_the_feedback_past_the_limit_is_refused_with_when_to_try_again(
    small_catalogue, graphql, limits
):
    address = {"REMOTE_ADDR": "198.51.100.7"}
    accepted = [
        give_service(graphql, "work-trial", **address),
        give_recommendation(graphql, 4, ["work-trial"], **address),
        give_service(graphql, "career-coaching", useful=False, **address),
    ]

    refused = give_service(graphql, "work-trial", **address)

    assert all("errors" not in answer for answer in accepted)
    assert refusal(refused) == (
        "TOO_MANY_REQUESTS",
        "Too much feedback: at most 3 in 3600 seconds. Try again in 3590 seconds.",
    )
    assert refused["errors"][0]["extensions"]["retryAfter"] == 3590
    assert stored() == 3
    # Another address is counted on its own; the next hour starts afresh.
    assert "errors" not in give_service(graphql, "work-trial", REMOTE_ADDR="198.51.100.8")
    limits.now += 3600
    assert "errors" not in give_service(graphql, "work-trial", **address)


def test_the_limit_speaks_the_callers_language(small_catalogue, graphql, limits):
    for _ in range(3):
        give_service(graphql, "work-trial", REMOTE_ADDR="198.51.100.9")

    refused = give_service(
        graphql, "work-trial", REMOTE_ADDR="198.51.100.9", HTTP_ACCEPT_LANGUAGE="fi"
    )

    assert refusal(refused)[1] == (
        "Liikaa palautetta: enintään 3 / 3600 sekuntia. Yritä uudelleen 3590 sekunnin kuluttua."
    )


def test_signed_in_callers_are_counted_by_user_not_by_their_shared_office_address(
    small_catalogue, client, graphql, role_user, limits
):
    office = {"REMOTE_ADDR": "192.0.2.10"}
    client.force_login(role_user("expert"))
    for _ in range(5):
        assert "errors" not in give_service(graphql, "work-trial", **office)

    assert refusal(give_service(graphql, "work-trial", **office))[0] == "TOO_MANY_REQUESTS"
    # An anonymous visitor behind the same address has a counter of their own.
    other = Client()
    anonymous = other.post(
        "/graphql/",
        {"query": GIVE_SERVICE, "variables": {"key": "work-trial", "useful": True}},
        content_type="application/json",
        **office,
    )
    assert anonymous.json() == {"data": {"giveServiceFeedback": True}}


# --- Anonymity -------------------------------------------------------------------

ADDRESS = "203.0.113.77"
AGENT = "Palautekoe/1.0 (ainutlaatuinen selain 5b1f)"


def _traces(*traces):
    """{(table, trace): occurrences} of each trace in the serialised rows of every table
    but the sessions' (which holds the session key by nature)."""
    found = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed or model is Session:
            continue
        rows = serializers.serialize("json", model.objects.all())
        for trace in traces:
            found[(model._meta.db_table, trace)] = rows.count(trace)
    return found


def test_feedback_is_stored_without_any_identity_of_the_giver(
    small_catalogue, client, graphql, role_user, limits, caplog
):
    expert = role_user("expert", email="asiantuntija.palaute@example.org")
    client.force_login(expert)
    traces = (ADDRESS, AGENT, client.session.session_key, expert.email, f'"user": {expert.pk}')
    extra = {"REMOTE_ADDR": ADDRESS, "HTTP_USER_AGENT": AGENT}
    before = _traces(*traces)
    audit = (
        AuditEvent.objects.count(),
        PageLogEntry.objects.count(),
        ModelLogEntry.objects.count(),
    )

    with caplog.at_level(logging.DEBUG):
        give_service(graphql, "work-trial", text="Hyvä palvelu", **extra)
        give_recommendation(graphql, 5, ["work-trial", "career-coaching"], text="Kiitos", **extra)
        signed_in = _traces(*traces)
        client.logout()
        logged_out = _traces(*traces)
        give_service(graphql, "career-coaching", useful=False, **extra)
        anonymous = _traces(*traces)

    assert stored() == 3
    users = apps.get_model(django_settings.AUTH_USER_MODEL)._meta.db_table
    assert before[(users, expert.email)] > 0  # the scan does see what is there
    # Not a trace more anywhere, feedback tables, audit log and Wagtail's logs included.
    assert signed_in == before
    assert anonymous == logged_out
    assert (AuditEvent.objects.count() - 1, PageLogEntry.objects.count()) == audit[:2]  # sign-out
    assert ModelLogEntry.objects.count() == audit[2]
    for trace in traces[:3]:
        assert trace not in caplog.text
    # Nor can a feedback row point at a user or hold an address: it has no such field.
    for model in (ServiceFeedback, RecommendationFeedback, RecommendedService):
        for field in model._meta.get_fields():
            assert getattr(field, "related_model", None) is not expert.__class__, field
            assert not isinstance(field, models.GenericIPAddressField), field
            assert not isinstance(field, models.DateTimeField), field  # the date only


# --- Aggregates ------------------------------------------------------------------


@pytest.fixture
def given(small_catalogue, graphql):
    give_service(graphql, "work-trial", useful=True, text="Sopi hyvin")
    give_service(graphql, "work-trial", useful=True)
    give_service(graphql, "work-trial", useful=False, text="Ei minulle")
    give_service(graphql, "career-coaching", useful=False)
    give_recommendation(graphql, 4, ["work-trial", "career-coaching"], text="Molemmat hyviä")
    give_recommendation(graphql, 1, ["work-trial"], text="Vain työkokeilu, ei muuta")
    give_recommendation(graphql, 2, ["career-coaching", "startup-money"])
    assert stored() == 7


def test_aggregates_count_answers_and_ratings_per_service(given):
    found = aggregates(["work-trial", "career-coaching", "startup-money", "youth-workshop"])

    assert found == {
        "work-trial": Aggregate(
            useful_count=2, not_useful_count=1, rating_count=2, mean_rating=2.5
        ),
        "career-coaching": Aggregate(
            useful_count=0, not_useful_count=1, rating_count=2, mean_rating=3.0
        ),
        "startup-money": Aggregate(rating_count=1, mean_rating=2.0),
    }
    assert (found["work-trial"].count, found["work-trial"].useful_share) == (
        5,
        pytest.approx(2 / 3),
    )
    assert found["startup-money"].useful_share is None
    assert aggregates([]) == {}


def test_every_language_of_a_service_shows_the_same_numbers_and_never_the_texts(given, graphql):
    finnish_summary = graphql(SUMMARY, {"key": "work-trial"})["data"]["service"]
    swedish_summary = graphql(SUMMARY, {"key": "work-trial", "locale": "sv"})["data"]["service"]
    fields = graphql('{ __type(name: "FeedbackSummary") { fields { name } } }')

    assert finnish_summary == {
        "feedbackSummary": {
            "count": 5,
            "usefulCount": 2,
            "notUsefulCount": 1,
            "usefulShare": pytest.approx(2 / 3),
            "ratingCount": 2,
            "meanRating": 2.5,
        }
    }
    assert swedish_summary == finnish_summary
    assert {field["name"] for field in fields["data"]["__type"]["fields"]} == {
        "count",
        "usefulCount",
        "notUsefulCount",
        "usefulShare",
        "ratingCount",
        "meanRating",
    }


def test_a_service_without_feedback_says_so_with_zeros(small_catalogue, graphql):
    summary = graphql(SUMMARY, {"key": "youth-workshop"})["data"]["service"]["feedbackSummary"]

    assert summary == {
        "count": 0,
        "usefulCount": 0,
        "notUsefulCount": 0,
        "usefulShare": None,
        "ratingCount": 0,
        "meanRating": None,
    }


# --- Who reads feedback in the admin -----------------------------------------------


def _refused(response):
    # Wagtail turns a refusal into a redirect to the dashboard (or, for someone without
    # the admin, to the sign-in page).
    return response.status_code == 302 and response.url.startswith(("/admin/", "/admin/login/"))


def test_a_producer_reads_every_services_feedback_with_its_texts(given, client, role_user):
    client.force_login(role_user("producer", area_code="091"))

    report = client.get("/admin/reports/feedback/").content.decode()
    coaching = client.get(f"/admin/reports/feedback/{finnish('career-coaching').pk}/")

    assert "/admin/reports/feedback/" in client.get("/admin/").content.decode()
    assert "Työkokeilu" in report and "Uravalmennus" in report and "Starttiraha" in report
    assert coaching.status_code == 200
    assert "Molemmat hyviä" in coaching.content.decode()


def test_a_provider_editor_reads_only_their_own_organisations_services_feedback(
    given, client, role_user
):
    client.force_login(role_user("provider-editor", organisation_key="helsinki"))

    report = client.get("/admin/reports/feedback/").content.decode()
    own = client.get(f"/admin/reports/feedback/{finnish('work-trial').pk}/").content.decode()
    other = client.get(f"/admin/reports/feedback/{finnish('career-coaching').pk}/")

    assert "Työkokeilu" in report
    assert "Uravalmennus" not in report and "Starttiraha" not in report
    assert "Sopi hyvin" in own and "Ei minulle" in own
    assert "Vain työkokeilu, ei muuta" in own
    # The set's text may speak of another organisation's service too: not shown.
    assert "Molemmat hyviä" not in own
    assert _refused(other)


def test_the_service_editor_offers_the_feedback_to_whoever_may_read_it(given, client, role_user):
    work_trial = finnish("work-trial")
    feedback_url = f"/admin/reports/feedback/{work_trial.pk}/"

    client.force_login(role_user("provider-editor", organisation_key="helsinki"))
    assert feedback_url in client.get(f"/admin/pages/{work_trial.pk}/edit/").content.decode()
    client.force_login(role_user("provider-editor", organisation_key="espoo"))
    assert feedback_url not in client.get(f"/admin/pages/{work_trial.pk}/edit/").content.decode()


def test_experts_and_translators_read_no_feedback(given, client, role_user):
    for user in (role_user("expert"), role_user("translator")):
        client.force_login(user)
        assert _refused(client.get("/admin/reports/feedback/"))
        assert _refused(client.get(f"/admin/reports/feedback/{finnish('work-trial').pk}/"))


def test_producers_may_remove_feedback_and_provider_editors_may_not(given, client, role_user):
    work_trial = finnish("work-trial")
    answer = ServiceFeedback.objects.get(text="Ei minulle")
    url = f"/admin/reports/feedback/{work_trial.pk}/remove/answer/{answer.pk}/"

    client.force_login(role_user("provider-editor", organisation_key="helsinki"))
    assert _refused(client.post(url))
    assert ServiceFeedback.objects.filter(pk=answer.pk).exists()

    client.force_login(role_user("producer", area_code="049"))
    client.post(url)
    assert not ServiceFeedback.objects.filter(pk=answer.pk).exists()
    assert aggregates(["work-trial"])["work-trial"].not_useful_count == 0

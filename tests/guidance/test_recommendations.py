"""``recommendations``: the services that suit a client, best first, with the reasons.

The catalogue is tests/guidance_data.py; the questionnaires are the demo ones
(guidance.demo): the job seekers' asks about the client's situation
(``tilanne``), goal (``tavoite``) and way of taking part (``osallistuminen``).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from guidance_data import answers, excluded, keys

from guidance import ranking
from guidance.models import RecommendationWeights

pytestmark = pytest.mark.django_db


def reasons(item, code=None):
    return [r for r in item["reasons"] if code is None or r["code"] == code]


def item_of(result, key):
    return next(item for item in result["items"] if item["service"]["key"] == key)


# --- A questionnaire answered three ways -----------------------------------------------


def test_a_young_job_seeker_in_helsinki_gets_the_youth_services_that_serve_helsinki(
    guidance_catalogue, questionnaires, recommend
):
    jobseeker = questionnaires["tyonhakija"]
    profile = {
        "age": 22,
        "municipality": "091",
        "languages": [{"code": "fi"}],
        "answers": [answers(jobseeker, tilanne=["nuori"], tavoite=["tyopaikka"])],
    }

    result = recommend(profile, locale="en")

    # Both needs met first, then the one meeting only "find a job"; Espoo's coaching is
    # relevant but serves Espoo only; the draft and the experts' pilot are not there at all.
    assert keys(result) == ["youth-workshop", "work-trial", "online-job-club"]
    assert result["totalCount"] == 3
    assert excluded(result) == {"MUNICIPALITY": 1}
    trial = item_of(result, "work-trial")
    assert {(r["code"], r["value"], r["source"]) for r in reasons(trial)} >= {
        ("LIFE_SITUATION", "young-adult", "answer:tyonhakija/tilanne/nuori"),
        ("SERVICE_NEED", "job-search-support", "answer:tyonhakija/tavoite/tyopaikka"),
        ("MUNICIPALITY", "091", "profile"),
        ("AGE", "22", "profile"),
        ("LANGUAGE", "fi", "profile"),
    }
    need = next(r for r in reasons(trial) if r["code"] == "LIFE_SITUATION")
    assert need["text"] == (
        "Meant for the life situation “Young adult (under 30)” "
        "(answer “I am under 30” to “What describes your situation?”)."
    )
    assert [(lift["code"], lift["text"]) for lift in trial["lifts"]] == [
        ("PRIORITY", "Priority number 60/100.")
    ]
    assert {(c["code"], c["text"]) for c in trial["wouldExclude"]} == {
        ("AGE", "Age limit: 17–29 years."),
        ("MUNICIPALITY", "Only for residents of Espoo, Helsinki."),
        ("LANGUAGE", "Only in Finnish, Swedish."),
        ("AUDIENCE", "Only for individual clients."),
    }
    workshop = item_of(result, "youth-workshop")
    assert (
        "REGIONAL",
        "A service of the client's own employment area (Helsinki employment area).",
    ) in {(lift["code"], lift["text"]) for lift in workshop["lifts"]}


def test_a_career_changer_over_55_who_takes_part_remotely_gets_remote_coaching(
    guidance_catalogue, questionnaires, recommend
):
    jobseeker = questionnaires["tyonhakija"]
    profile = {
        "municipality": "049",
        "answers": [
            answers(jobseeker, tilanne=["yli-55"], tavoite=["alanvaihto"], osallistuminen=["etana"])
        ],
    }

    result = recommend(profile, locale="en")

    # The work trial meets "changing career" but is for ages 17–29, and the answer
    # "over 55" says the client is 55 or older.
    assert keys(result) == ["career-coaching"]
    assert excluded(result) == {"AGE": 1}
    coaching = result["items"][0]
    assert {(r["code"], r["value"]) for r in reasons(coaching)} >= {
        ("LIFE_SITUATION", "over-55"),
        ("LIFE_SITUATION", "career-change"),
        ("SERVICE_NEED", "career-planning"),
    }
    assert [(lift["code"], lift["value"], lift["source"]) for lift in coaching["lifts"]][0] == (
        "BOOST",
        "remote",
        "answer:tyonhakija/osallistuminen/etana",
    )


def test_someone_starting_a_business_gets_business_advice_not_the_employers_grant(
    guidance_catalogue, questionnaires, recommend
):
    jobseeker = questionnaires["tyonhakija"]
    profile = {
        "age": 35,
        "municipality": "092",
        "answers": [answers(jobseeker, tavoite=["yritys"])],
    }

    result = recommend(profile, locale="en")

    assert keys(result) == ["business-advice"]
    # The questionnaire is for individual clients; the start-up grant here is for employers.
    assert excluded(result) == {"AUDIENCE": 1}
    advice = result["items"][0]
    assert ("AUDIENCE", "questionnaire:tyonhakija") in {
        (r["code"], r["source"]) for r in reasons(advice)
    }


def test_the_reasons_and_exclusions_come_in_the_language_asked_for(
    guidance_catalogue, questionnaires, recommend
):
    jobseeker = questionnaires["tyonhakija"]
    profile = {
        "age": 22,
        "municipality": "091",
        "answers": [answers(jobseeker, tilanne=["nuori"], tavoite=["tyopaikka"])],
    }

    result = recommend(profile, locale="sv")

    trial = item_of(result, "work-trial")
    assert trial["service"]["title"] == "Arbetsprövning"
    need = next(r for r in reasons(trial) if r["code"] == "LIFE_SITUATION")
    assert need["text"] == (
        "Avsedd för livssituationen ”Ung vuxen (under 30 år)” "
        "(svaret ”Jag är under 30 år” på frågan ”Vad beskriver din situation?”)."
    )
    assert result["excluded"] == [
        {
            "reason": "MUNICIPALITY",
            "label": "Finns inte i klientens hemkommun",
            "count": 1,
        }
    ]


def test_recommendations_are_paged_with_limit_and_offset(guidance_catalogue, recommend):
    profile = {"age": 22, "municipality": "091", "serviceNeeds": ["job-search-support"]}
    everything = keys(recommend(profile))

    second = recommend(profile, limit=1, offset=1)

    assert len(everything) == 3
    assert keys(second) == everything[1:2]
    assert second["totalCount"] == 3


# --- Unsuitable services are left out ---------------------------------------------------


def test_services_outside_the_clients_age_are_left_out_and_counted(guidance_catalogue, recommend):
    profile = {"age": 40, "lifeSituations": ["young-adult"]}

    result = recommend(profile)

    assert keys(result) == []
    assert excluded(result) == {"AGE": 2}  # the work trial (17–29) and the workshop (16–24)


def test_a_service_not_offered_in_the_home_municipality_is_left_out(guidance_catalogue, recommend):
    in_espoo = recommend({"municipality": "049", "serviceNeeds": ["career-planning"]})
    in_vantaa = recommend({"municipality": "092", "serviceNeeds": ["career-planning"]})

    assert keys(in_espoo) == ["career-coaching"]
    assert keys(in_vantaa) == []
    assert excluded(in_vantaa) == {"MUNICIPALITY": 1}


def test_a_service_without_a_language_in_common_is_left_out(guidance_catalogue, recommend):
    arabic = recommend({"languages": [{"code": "ar"}], "serviceNeeds": ["integration"]})
    somali = recommend({"languages": [{"code": "so"}], "serviceNeeds": ["integration"]})

    assert keys(arabic) == ["finnish-for-work"]
    assert keys(somali) == []
    assert excluded(somali) == {"LANGUAGE": 1}


def test_a_language_the_client_knows_a_little_still_counts_but_fits_half_as_well(
    guidance_catalogue, recommend
):
    fluent = recommend({"languages": [{"code": "en"}], "lifeSituations": ["immigrant"]})
    basic = recommend(
        {"languages": [{"code": "en", "level": "BASIC"}], "lifeSituations": ["immigrant"]},
        locale="en",
    )

    assert keys(basic) == keys(fluent)
    club = item_of(fluent, "online-job-club")
    # Its score is all fit: no priority, effectiveness or home municipality to lift it.
    assert item_of(basic, "online-job-club")["score"] == pytest.approx(club["score"] / 2)
    assert (
        "which the client knows a little"
        in reasons(item_of(basic, "online-job-club"), "LANGUAGE")[0]["text"]
    )


def test_an_employer_gets_employer_services_and_individual_clients_do_not(
    guidance_catalogue, recommend
):
    employer = recommend({"audience": "EMPLOYER", "serviceNeeds": ["employment-financial-support"]})
    person = recommend({"audience": "PERSON", "serviceNeeds": ["employment-financial-support"]})

    assert sorted(keys(employer)) == ["pay-subsidy", "startup-money"]
    assert keys(person) == []
    assert excluded(person) == {"AUDIENCE": 2}


def test_an_answer_that_rules_out_in_person_services_leaves_out_those_only_given_in_person(
    guidance_catalogue, questionnaires, recommend
):
    jobseeker = questionnaires["tyonhakija"]
    profile = {
        "age": 22,
        "municipality": "091",
        "answers": [answers(jobseeker, tavoite=["tyopaikka"], osallistuminen=["etana"])],
    }

    result = recommend(profile)

    # The workshop is in person only; the work trial can also be done remotely.
    assert "youth-workshop" not in keys(result)
    assert {"work-trial", "online-job-club"} <= set(keys(result))
    assert excluded(result)["ANSWER"] == 1


# --- Ranking and its weights ------------------------------------------------------------


def test_by_default_a_local_service_goes_before_a_higher_priority_one_and_without_the_regional_weight_priority_decides(  # noqa: E501
    guidance_catalogue, recommend
):
    profile = {"age": 20, "municipality": "091", "serviceNeeds": ["job-search-support"]}

    # fit 3 each; the workshop: priority 0.4 + Helsinki's own 0.5; the trial: priority 0.6.
    assert keys(recommend(profile))[:2] == ["youth-workshop", "work-trial"]

    weights = RecommendationWeights.load()
    weights.regional = 0
    weights.save()

    assert keys(recommend(profile))[:2] == ["work-trial", "youth-workshop"]


def test_fit_outweighs_priority_until_the_priority_weight_is_raised(guidance_catalogue, recommend):
    from catalogue.models import ServicePage

    for page in ServicePage.objects.filter(key="online-job-club"):
        page.priority = 90
        page.save_revision().publish()
    profile = {"municipality": "092", "lifeSituations": ["immigrant", "long-term-unemployed"]}

    # The club meets both needs (fit 3 + priority 0.9); the course only one (1.5 + 0.8).
    assert keys(recommend(profile)) == ["online-job-club", "finnish-for-work"]

    weights = RecommendationWeights.load()
    weights.fit, weights.effectiveness = 1, 5
    weights.save()

    # fit 1 + priority 0.9 against fit 0.5 + effectiveness 5 × 0.8.
    assert keys(recommend(profile)) == ["finnish-for-work", "online-job-club"]


def test_a_signal_plugged_into_ranking_lifts_services_and_says_why(
    guidance_catalogue, recommend, monkeypatch
):
    profile = {"age": 20, "municipality": "091", "serviceNeeds": ["job-search-support"]}
    assert keys(recommend(profile))[-1] == "online-job-club"

    def feedback(candidates, client):
        return {
            c.pk: (1.0, "Clients rate it highly.") for c in candidates if c.key == "online-job-club"
        }

    monkeypatch.setitem(ranking.SIGNALS, "feedback", feedback)
    result = recommend(profile)

    assert keys(result)[0] == "online-job-club"
    assert ("FEEDBACK", "Clients rate it highly.", 1.0) in {
        (lift["code"], lift["text"], lift["contribution"]) for lift in result["items"][0]["lifts"]
    }


def test_competences_and_education_lift_the_services_they_suit(guidance_catalogue, recommend):
    from catalogue.models import ServicePage

    for page in ServicePage.objects.filter(key="online-job-club"):
        page.keywords = "digitaidot, verkkohaku"
        page.save_revision().publish()
    profile = {
        "lifeSituations": ["immigrant"],
        "competences": ["Digitaidot"],
        "educationLevel": "BASIC",
    }

    result = recommend(profile, locale="en")

    club, course = item_of(result, "online-job-club"), item_of(result, "finnish-for-work")
    assert [lift["code"] for lift in club["lifts"]] == ["COMPETENCE"]
    assert [lift["code"] for lift in course["lifts"]][0] == "EDUCATION"
    assert course["lifts"][0]["text"] == (
        "“Studying and developing skills” suits the client's education (basic education)."
    )


# --- Who sees what ----------------------------------------------------------------------


def test_anonymous_callers_never_get_drafts_or_experts_services_nor_counts_of_them(
    guidance_catalogue, recommend
):
    profile = {"municipality": "049", "age": 20, "lifeSituations": ["young-adult"]}

    result = recommend(profile)

    assert set(keys(result)) == {"work-trial"}
    # The draft (Espoo) and the experts' pilot (Helsinki only) count nowhere.
    assert excluded(result) == {"MUNICIPALITY": 1}
    assert result["items"][0]["service"]["instructions"] == []


def test_a_signed_in_expert_gets_the_experts_services_with_their_instructions(
    guidance_catalogue, recommend, role_user, client
):
    client.force_login(role_user("expert"))
    profile = {"municipality": "091", "age": 20, "lifeSituations": ["young-adult"]}

    result = recommend(profile)

    assert keys(result)[0] == "expert-pilot"
    assert "secret-draft" not in keys(result)
    assert item_of(result, "work-trial")["service"]["instructions"] == [
        {"title": "Työkokeilu Helsingissä"}
    ]


def test_the_number_of_queries_does_not_grow_with_the_limit(
    guidance_catalogue, questionnaires, recommend, role_user, client
):
    client.force_login(role_user("expert"))
    profile = {
        "municipality": "091",
        "languages": [{"code": "fi"}],
        "answers": [answers(questionnaires["tyonhakija"], tavoite=["tyopaikka", "opiskelu"])],
    }
    recommend(profile)  # per-process look-ups (content types, locales) are made once
    counts = []
    for limit in (1, 4):
        with CaptureQueriesContext(connection) as queries:
            result = recommend(profile, limit=limit)
        assert len(result["items"]) == limit
        counts.append(len(queries))

    assert counts[0] == counts[1]

"""Questionnaires: written in the admin, delivered as their published version, answered
against that version.
"""

import pytest
from django.urls import reverse
from guidance_data import answers, keys
from wagtail.models import Locale
from wagtail_localize.segments.extract import extract_segments
from wagtail_localize.segments.types import StringSegmentValue

from guidance.demo import QUESTIONNAIRES, create_questionnaire, stream
from guidance.models import Questionnaire

pytestmark = pytest.mark.django_db

QUESTIONNAIRE = """
query Questionnaire($key: String!, $locale: String) {
  questionnaire(key: $key, locale: $locale) {
    key title locale revision audience
    questions { key text multiple options { key label } }
  }
}
"""
LIST = """
query Questionnaires($locale: String, $audience: Audience) {
  questionnaires(locale: $locale, audience: $audience) { key title locale revision }
}
"""


def test_the_published_questionnaires_of_an_audience_are_listed_in_the_language_asked_for(
    questionnaires, graphql
):
    swedish = Questionnaire.objects.get(key="tyonhakija", locale__language_code="sv")

    listed = graphql(LIST, {"locale": "sv", "audience": "PERSON"})["data"]["questionnaires"]

    # In the order of their titles in Swedish ("… arbetssökande", "… invandrare").
    assert [(q["key"], q["locale"]) for q in listed] == [
        ("tyonhakija", "sv"),
        ("maahan-muuttanut", "sv"),
    ]
    assert listed[0]["title"] == "Kartläggning av servicebehov för arbetssökande"
    assert listed[0]["revision"] == str(swedish.live_revision_id)
    employers = graphql(LIST, {"audience": "EMPLOYER"})["data"]["questionnaires"]
    assert [q["key"] for q in employers] == ["tyonantaja"]


def test_a_questionnaire_is_delivered_with_its_questions_and_options(questionnaires, graphql):
    delivered = graphql(QUESTIONNAIRE, {"key": "tyonhakija", "locale": "en"})["data"][
        "questionnaire"
    ]

    assert delivered["title"] == "Service-need questionnaire for job seekers"
    assert delivered["audience"] == "PERSON"
    assert [q["key"] for q in delivered["questions"]] == ["tilanne", "tavoite", "osallistuminen"]
    goal = delivered["questions"][1]
    assert goal["multiple"] is True
    assert goal["options"][0] == {"key": "tyopaikka", "label": "Find a job"}


def test_an_untranslated_questionnaire_is_served_in_finnish(site_tree, graphql):
    create_questionnaire(QUESTIONNAIRES[0], languages=("fi",))

    delivered = graphql(QUESTIONNAIRE, {"key": "tyonhakija", "locale": "sv"})["data"][
        "questionnaire"
    ]

    assert (delivered["locale"], delivered["title"]) == ("fi", "Työnhakijan palvelutarvekysely")


def test_a_questionnaire_never_published_is_not_delivered(site_tree, graphql):
    draft = Questionnaire(
        key="luonnos",
        title="Luonnos",
        questions=stream(QUESTIONNAIRES[0], "fi"),
        locale=Locale.get_default(),
        live=False,
    )
    draft.save()
    draft.save_revision()

    assert graphql(LIST)["data"]["questionnaires"] == []
    body = graphql(QUESTIONNAIRE, {"key": "luonnos"})
    assert body["errors"][0]["message"] == "Unknown questionnaire 'luonnos'."


def _republish_with_goal_meaning(questionnaire, categories):
    """Publish a new revision in which the goal "find a job" means other service needs."""
    questionnaire.refresh_from_db()
    for child in questionnaire.questions:
        for option in child.value["options"]:
            if option["key"] == "tyopaikka":
                option["needs"]["categories"] = categories
    return questionnaire.save_revision()


def test_answers_keep_the_meaning_of_the_version_they_were_given_against(
    guidance_catalogue, questionnaires, recommend
):
    jobseeker = questionnaires["tyonhakija"]
    earlier = answers(jobseeker, tavoite=["tyopaikka"])
    _republish_with_goal_meaning(jobseeker, ["integration"]).publish()
    jobseeker.refresh_from_db()
    later = answers(jobseeker, tavoite=["tyopaikka"])
    assert later["revision"] != earlier["revision"]

    given_earlier = recommend({"municipality": "092", "answers": [earlier]})
    given_later = recommend({"municipality": "092", "answers": [later]})

    assert keys(given_earlier) == ["online-job-club"]  # job search support
    assert keys(given_later) == ["finnish-for-work"]  # integration


def test_answers_to_a_revision_never_published_are_refused(
    guidance_catalogue, questionnaires, graphql
):
    from guidance_data import RECOMMENDATIONS

    jobseeker = questionnaires["tyonhakija"]
    draft = _republish_with_goal_meaning(jobseeker, ["integration"])
    given = answers(jobseeker, tavoite=["tyopaikka"])
    given["revision"] = str(draft.pk)

    body = graphql(RECOMMENDATIONS, {"profile": {"answers": [given]}})

    assert body["data"] is None
    assert body["errors"][0]["message"] == (
        f"Revision {draft.pk} is not a published version of questionnaire 'tyonhakija'."
    )


def test_answers_naming_another_questionnaires_revision_are_refused(
    guidance_catalogue, questionnaires, graphql
):
    from guidance_data import RECOMMENDATIONS

    given = answers(questionnaires["tyonhakija"], tavoite=["tyopaikka"])
    given["revision"] = str(questionnaires["tyonantaja"].live_revision_id)

    body = graphql(RECOMMENDATIONS, {"profile": {"answers": [given]}})

    assert (
        "is not a published version of questionnaire 'tyonhakija'" in (body["errors"][0]["message"])
    )


def test_translators_are_offered_the_texts_but_never_the_keys_or_what_answers_mean(
    questionnaires,
):
    segments = extract_segments(questionnaires["tyonhakija"])
    strings = {s.render_text() for s in segments if isinstance(s, StringSegmentValue)}

    assert {"Löytää työpaikan", "Mitä haluat seuraavaksi?"} <= strings
    assert not strings & {"tyopaikka", "tavoite", "job-search-support", "young-adult", "remote"}


def test_producers_edit_questionnaires_in_the_admin_and_provider_editors_cannot(
    questionnaires, role_user, client
):
    from people.organisations import create_organisation

    create_organisation("org-a", "Organisaatio A")
    listing = reverse("wagtailsnippets_guidance_questionnaire:list")
    edit = reverse(
        "wagtailsnippets_guidance_questionnaire:edit", args=[questionnaires["tyonhakija"].pk]
    )

    client.force_login(role_user("producer", area_code="091"))
    assert client.get(listing).status_code == 200
    assert client.get(edit).status_code == 200

    client.force_login(role_user("provider-editor", organisation_key="org-a"))
    assert client.get(listing).status_code != 200
    assert client.get(edit).status_code != 200


def test_only_administrators_tune_the_recommendation_weights(site_tree, role_user, client):
    url = reverse("wagtailsettings:edit", args=["guidance", "recommendationweights"])

    client.force_login(role_user("producer", area_code="091"))
    assert 'name="priority"' not in client.get(url, follow=True).content.decode()

    client.force_login(role_user("administrator"))
    assert 'name="priority"' in client.get(url, follow=True).content.decode()


def _question(*option_keys, key="tavoite"):
    from guidance.blocks import QuestionBlock

    block = QuestionBlock()
    return block, block.to_python(
        {
            "key": key,
            "text": "Mitä haluat seuraavaksi?",
            "options": [{"key": k, "label": k.title()} for k in option_keys],
        }
    )


def test_a_question_whose_options_share_a_key_is_refused(site_tree):
    from django.core.exceptions import ValidationError

    block, value = _question("tyopaikka", "opiskelu", "tyopaikka")

    with pytest.raises(ValidationError) as refusal:
        block.clean(value)

    assert "tyopaikka" in str(refusal.value.block_errors["options"])


def test_a_key_with_spaces_or_capitals_is_refused(site_tree):
    from django.core.exceptions import ValidationError

    block, value = _question("työ paikka", "Opiskelu")
    _, valid = _question("tyopaikka", "opiskelu")

    block.clean(valid)
    with pytest.raises(ValidationError):
        block.clean(value)


def test_an_answer_age_band_must_not_end_before_it_starts(site_tree):
    from django.core.exceptions import ValidationError

    from guidance.blocks import FactsBlock

    block = FactsBlock()

    with pytest.raises(ValidationError) as refusal:
        block.clean(block.to_python({"age_from": 30, "age_to": 20}))

    assert "age_to" in refusal.value.block_errors

"""Questionnaire answers: which options a client chose, read from the revision they were
given against.

Answers name a questionnaire by key and the revision the frontend was given
(``questionnaire(key:) { revision }``). That revision's content decides what
the answers mean, so a producer's later edit never changes the meaning of
answers already given. Only a revision that has been published is accepted
(drafts are nobody's to see), of a questionnaire that is published now.

Labels are quoted in the request's language where the questionnaire is
translated (keys are the same in every language), else as the client saw them.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext
from wagtail.models import ModelLogEntry, Revision

from guidance.models import Questionnaire
from guidance.profile import bad_input


@dataclass(frozen=True)
class Answer:
    """One chosen option and what it means (guidance.blocks.OptionBlock)."""

    code: str  # "<questionnaire>/<question>/<option>"
    questionnaire: str  # its key
    question: str  # the question's text
    label: str  # the option's text
    audience: str  # the questionnaire's audience
    needs: dict
    facts: dict
    exclude: dict
    boost: dict


def live_questionnaires(locale=None):
    """Published questionnaires (in ``locale`` when given): live, with the revision that
    is (a row saved as live without one, as by code, has nothing to answer against)."""
    questionnaires = Questionnaire.objects.filter(live=True, live_revision__isnull=False)
    return questionnaires.filter(locale=locale) if locale is not None else questionnaires


def _published_revisions(revision_ids, questionnaires):
    """Of these revision ids, those that were ever published (the live ones included)."""
    live = {q.live_revision_id for q in questionnaires}
    logged = ModelLogEntry.objects.filter(
        action="wagtail.publish",
        revision_id__in=revision_ids,
        content_type=ContentType.objects.get_for_model(Questionnaire),
    ).values_list("revision_id", flat=True)
    return (live | set(logged)) & set(revision_ids)


def _texts(questionnaire):
    """{(question key, option key or None): text} of a questionnaire's questions and options."""
    texts = {}
    for question in questionnaire.question_list():
        texts[question["key"], None] = question["text"]
        for option in question["options"]:
            texts[question["key"], option["key"]] = option["label"]
    return texts


def chosen_options(answer_sets, locale):
    """The Answers of a profile's answer sets, in the order given.

    Raises a GraphQL error naming the mistake for an unknown questionnaire,
    question or option, a revision that is not a published version of the
    questionnaire, several options for a one-answer question, or a question
    answered twice.
    """
    if not answer_sets:
        return []
    keys = [answer_set.questionnaire for answer_set in answer_sets]
    if repeated := sorted({key for key in keys if keys.count(key) > 1}):
        raise bad_input(
            gettext("Questionnaire '%(key)s' is answered twice.") % {"key": repeated[0]}
        )
    published = list(
        live_questionnaires().filter(key__in=keys).select_related("locale", "latest_revision")
    )
    known = {q.key for q in published}
    for key in keys:
        if key not in known:
            raise bad_input(gettext("Unknown questionnaire '%(key)s'.") % {"key": key[:100]})
    revision_ids = [answer_set.revision for answer_set in answer_sets]
    revisions = Revision.objects.filter(
        pk__in=revision_ids,
        base_content_type=ContentType.objects.get_for_model(Questionnaire),
    )
    revisions = {revision.pk: revision for revision in revisions}
    accepted = _published_revisions(revision_ids, published)
    by_pk = {str(q.pk): q for q in published}
    translated = {q.key: _texts(q) for q in live_questionnaires(locale).filter(key__in=keys)}

    answers = []
    for answer_set in answer_sets:
        revision = revisions.get(answer_set.revision)
        questionnaire = revision and by_pk.get(revision.object_id)
        if (
            questionnaire is None
            or questionnaire.key != answer_set.questionnaire
            or revision.pk not in accepted
        ):
            raise bad_input(
                gettext(
                    "Revision %(revision)s is not a published version of questionnaire '%(key)s'."
                )
                % {"revision": answer_set.revision, "key": answer_set.questionnaire}
            )
        version = questionnaire.with_content_json(revision.content)
        answers += _answers(version, answer_set, translated.get(version.key, {}))
    return answers


def _answers(questionnaire, answer_set, texts):
    questions = {question["key"]: question for question in questionnaire.question_list()}
    seen = set()
    answers = []
    for question_key, option_keys in answer_set.answers:
        question = questions.get(question_key)
        if question is None:
            raise bad_input(
                gettext("Questionnaire '%(key)s' has no question '%(question)s'.")
                % {"key": questionnaire.key, "question": question_key[:100]}
            )
        if question_key in seen:
            raise bad_input(
                gettext("Question '%(question)s' is answered twice.") % {"question": question_key}
            )
        seen.add(question_key)
        if len(option_keys) > 1 and not question["multiple"]:
            raise bad_input(
                gettext("Question '%(question)s' takes one answer.") % {"question": question_key}
            )
        options = {option["key"]: option for option in question["options"]}
        for option_key in option_keys:
            option = options.get(option_key)
            if option is None:
                raise bad_input(
                    gettext(
                        "Question '%(question)s' of questionnaire '%(key)s' has no option "
                        "'%(option)s'."
                    )
                    % {
                        "question": question_key,
                        "key": questionnaire.key,
                        "option": option_key[:100],
                    }
                )
            answers.append(
                Answer(
                    code=f"{questionnaire.key}/{question_key}/{option_key}",
                    questionnaire=questionnaire.key,
                    question=texts.get((question_key, None), question["text"]),
                    label=texts.get((question_key, option_key), option["label"]),
                    audience=questionnaire.audience,
                    needs=dict(option["needs"]),
                    facts=dict(option["facts"]),
                    exclude=dict(option["exclude"]),
                    boost=dict(option["boost"]),
                )
            )
    return answers

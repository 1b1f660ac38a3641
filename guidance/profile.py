"""The client profile: what is known of one client, for one request only.

A frontend sends it with each ``recommendations`` request (the GraphQL input
``ClientProfile``). It is checked here and turned into a ``ClientProfile``;
nothing of it is ever stored or logged (docs/guidance.md, "Data protection"):
it lives as long as the request. Only what ranking needs is asked for, and a
personal identity code (henkilötunnus) is refused wherever it appears, so
that a profile can never identify a person by itself.

Every mistake is a GraphQL error saying what was wrong (``extensions.code``
``BAD_USER_INPUT``); none of them repeats an identity code back.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext
from graphql import GraphQLError

from search.filters import TERM_FILTERS

BAD_USER_INPUT = "BAD_USER_INPUT"

AGE_RANGE = (0, 120)
MAX_COMPETENCES = 20
MAX_LANGUAGES = 20
MAX_TERM_LENGTH = 100
MAX_ANSWER_SETS = 5
MAX_ANSWERS = 50
MAX_OPTIONS = 20

PERSON, EMPLOYER = "person", "employer"
# How well the client speaks a language (LanguageLevel in GraphQL).
NATIVE, FLUENT, BASIC = "NATIVE", "FLUENT", "BASIC"
LANGUAGE_LEVELS = (NATIVE, FLUENT, BASIC)
# Highest completed education (EducationLevel in GraphQL).
EDUCATION_LEVELS = ("BASIC", "UPPER_SECONDARY", "HIGHER")

# A Finnish personal identity code: birth date, century sign (also the signs of
# 2023), individual number, control character. Anything of this shape is refused,
# whether or not its control character is right: a mistyped code is still one.
IDENTITY_CODE = re.compile(
    r"(?<![0-9A-Za-z])(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])\d\d[-+A-FU-Y]\d{3}"
    r"[0-9A-FHJ-NPR-Y](?![0-9A-Za-z])",
    re.IGNORECASE,
)


def bad_input(message):
    return GraphQLError(message, extensions={"code": BAD_USER_INPUT})


@dataclass(frozen=True)
class AnswerSet:
    """Answers to one questionnaire, given against one of its published revisions."""

    questionnaire: str
    revision: int
    answers: tuple = ()  # (question key, (option key, ...)), in the order given


@dataclass(frozen=True)
class ClientProfile:
    """What is known of a client: facts that rule services out, needs that make them
    relevant, and background that lifts some of them."""

    age: int | None = None
    municipality: str = ""  # home municipality code
    languages: tuple = ()  # (ISO 639-1 code, level)
    education: str = ""
    competences: tuple = ()
    service_needs: tuple = ()  # ServiceCategory slugs
    life_situations: tuple = ()  # LifeSituation slugs
    audience: str = ""
    answer_sets: tuple = field(default=())

    def as_input(self):
        """The profile as the GraphQL input that gives it (the share link's content)."""
        data = {
            "age": self.age,
            "municipality": self.municipality or None,
            "languages": [{"code": code, "level": level} for code, level in self.languages],
            "education_level": self.education or None,
            "competences": list(self.competences),
            "service_needs": list(self.service_needs),
            "life_situations": list(self.life_situations),
            "audience": self.audience or None,
            "answers": [
                {
                    "questionnaire": answer_set.questionnaire,
                    "revision": answer_set.revision,
                    "answers": [
                        {"question": question, "options": list(options)}
                        for question, options in answer_set.answers
                    ],
                }
                for answer_set in self.answer_sets
            ],
        }
        return {name: value for name, value in data.items() if value not in (None, [])}


def _value(value):
    """An enum member as its value; anything else as it is."""
    return getattr(value, "value", value)


def _strings(data, name, maximum=None, label=None):
    """The list ``data[name]`` of non-empty strings, stripped, without repeats (``label``:
    the field's name in GraphQL, when it differs)."""
    values = data.get(name) or []
    if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
        raise bad_input(gettext("%(field)s must be a list of strings.") % {"field": label or name})
    if maximum is not None and len(values) > maximum:
        raise bad_input(
            gettext("%(field)s may hold at most %(maximum)d values.")
            % {"field": label or name, "maximum": maximum}
        )
    return tuple(dict.fromkeys(value.strip() for value in values if value.strip()))


def _camel(name):
    """A field's name as GraphQL spells it (``service_needs`` → ``serviceNeeds``)."""
    first, *rest = str(name).split("_")
    return first + "".join(part.title() for part in rest)


def refuse_identity_codes(value, where="profile"):
    """Raise when any string inside ``value`` looks like a personal identity code."""
    if isinstance(value, str):
        if IDENTITY_CODE.search(value):
            raise bad_input(
                gettext(
                    "%(field)s looks like a personal identity code. Identity codes are not "
                    "accepted: leave it out, recommendations do not need it."
                )
                % {"field": where}
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            refuse_identity_codes(key, where)
            refuse_identity_codes(item, f"{where}.{_camel(key)}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            refuse_identity_codes(item, f"{where}[{index}]")


def _check_terms(name, values, field_name):
    """Unknown slugs and codes are errors, as in ``services`` (search.filters)."""
    term_filter = TERM_FILTERS[name]
    known = set(
        term_filter.model.objects.filter(**{f"{term_filter.key}__in": values}).values_list(
            term_filter.key, flat=True
        )
    )
    for unknown in values:
        if unknown not in known:
            raise bad_input(term_filter.unknown % {"value": unknown, "field": field_name})


def _languages(data):
    languages = {}
    entries = data.get("languages") or []
    if len(entries) > MAX_LANGUAGES:
        raise bad_input(
            gettext("%(field)s may hold at most %(maximum)d values.")
            % {"field": "languages", "maximum": MAX_LANGUAGES}
        )
    for entry in entries:
        code = (entry.get("code") or "").strip()
        level = _value(entry.get("level")) or FLUENT
        if level not in LANGUAGE_LEVELS:
            raise bad_input(
                gettext("Unknown language level '%(value)s'.") % {"value": str(level)[:20]}
            )
        if code:
            # The better level counts when a language is given twice.
            best = min(level, languages.get(code, BASIC), key=LANGUAGE_LEVELS.index)
            languages[code] = best
    return tuple(languages.items())


def _answer_sets(data):
    sets = data.get("answers") or []
    if len(sets) > MAX_ANSWER_SETS:
        raise bad_input(
            gettext("answers may cover at most %(maximum)d questionnaires.")
            % {"maximum": MAX_ANSWER_SETS}
        )
    parsed = []
    for answer_set in sets:
        revision = str(answer_set.get("revision") or "")
        if not revision.isdigit() or len(revision) > 18:
            raise bad_input(
                gettext("revision must be the id of a questionnaire revision, got '%(value)s'.")
                % {"value": revision[:30]}
            )
        answers = answer_set.get("answers") or []
        if len(answers) > MAX_ANSWERS:
            raise bad_input(
                gettext("One questionnaire may have at most %(maximum)d answers.")
                % {"maximum": MAX_ANSWERS}
            )
        parsed.append(
            AnswerSet(
                questionnaire=(answer_set.get("questionnaire") or "").strip(),
                revision=int(revision),
                answers=tuple(
                    (
                        (answer.get("question") or "").strip(),
                        _strings(answer, "options", MAX_OPTIONS),
                    )
                    for answer in answers
                ),
            )
        )
    return tuple(parsed)


def parse_profile(data):
    """The ClientProfile of a GraphQL ``ClientProfile`` input, as graphene gives it (field
    names in snake_case), or of a share link's content (the same shape).

    Checks everything that does not depend on a questionnaire: ranges, lengths,
    known municipality, language, category and life-situation codes, and that no
    value looks like a personal identity code (guidance.answers checks the answers).
    """
    if not isinstance(data, dict):
        raise bad_input(gettext("profile must be an object."))
    refuse_identity_codes(data)
    age = data.get("age")
    if age is not None and not (AGE_RANGE[0] <= age <= AGE_RANGE[1]):
        raise bad_input(
            gettext("age must be between %(low)d and %(high)d.")
            % {"low": AGE_RANGE[0], "high": AGE_RANGE[1]}
        )
    education = _value(data.get("education_level")) or ""
    if education and education not in EDUCATION_LEVELS:
        raise bad_input(
            gettext("Unknown education level '%(value)s'.") % {"value": str(education)[:30]}
        )
    audience = _value(data.get("audience")) or ""
    if audience and audience not in (PERSON, EMPLOYER):
        raise bad_input(gettext("Unknown audience '%(value)s'.") % {"value": str(audience)[:30]})
    competences = _strings(data, "competences", MAX_COMPETENCES)
    for competence in competences:
        if len(competence) > MAX_TERM_LENGTH:
            raise bad_input(
                gettext("A competence may be at most %(maximum)d characters long.")
                % {"maximum": MAX_TERM_LENGTH}
            )
    profile = ClientProfile(
        age=age,
        municipality=(data.get("municipality") or "").strip(),
        languages=_languages(data),
        education=education,
        competences=competences,
        service_needs=_strings(data, "service_needs", label="serviceNeeds"),
        life_situations=_strings(data, "life_situations", label="lifeSituations"),
        audience=audience,
        answer_sets=_answer_sets(data),
    )
    if profile.municipality:
        _check_terms("municipalities", [profile.municipality], "municipality")
    if profile.languages:
        _check_terms("languages", [code for code, _level in profile.languages], "languages")
    if profile.service_needs:
        _check_terms("categories", list(profile.service_needs), "serviceNeeds")
    if profile.life_situations:
        _check_terms("life_situations", list(profile.life_situations), "lifeSituations")
    return profile

"""A client's background data from Työmarkkinatori (taustatiedot), fetched for one answer.

Työmarkkinatori, the national job market platform, holds what a jobseeker has
told the employment services: age, home municipality, language skills,
education, competences and service needs. With the client's consent, the
service manual reads them to suggest services; ``fetch_profile`` is the one
call that does it.

The interface below is **the shape we expect; confirm it with KEHA-keskus**
(which runs Työmarkkinatori) before production. The stand-in server of the
tests answers exactly this way (tests/tyomarkkinatori_standin.py).

Request::

    GET <TYOMARKKINATORI_PROFILE_API_URL>?fields=age,homeMunicipality,languageSkills,...
    Authorization: Bearer <the client's access token from their sign-in>
    Accept: application/json

``fields`` names only the parts the client agreed to share. Answers:

- ``200`` with a JSON object::

      {"age": 34,                      (or "birthYear": 1991)
       "homeMunicipality": "091",      Statistics Finland municipality code
       "languageSkills": [{"language": "fi", "level": "native"},
                          {"language": "en", "level": "B2"}],   (CEFR A1–C2 or "native")
       "educationLevel": "3",          Statistics Finland's education level (ISCED 2011), 0–8
       "competences": ["asiakaspalvelu", "trukkikortti"],
       "serviceNeeds": ["job-search-support"]}   (category slugs or national_uri codes)

  A part the client's consent does not cover is left out or null. Anything
  else in the object is ignored, and so is a part that was not asked for.
- ``403`` (or a ``200`` whose object is ``{"error": "consent_refused"}``): the
  client has not consented, or has withdrawn their consent;
- ``401``: the access token is not accepted (the sign-in has expired);
- ``404``: Työmarkkinatori has no profile for the client.

What it returns is a ``BackgroundProfile``: the parts of the guidance's
client profile (the ``ClientProfile`` input of ``recommendations``) that
background data can fill in, already in that input's vocabulary, so that
``as_profile()`` can be passed on as it is: languages with the levels
NATIVE, FLUENT or BASIC, the education level BASIC, UPPER_SECONDARY or
HIGHER, and only the municipality, languages and service needs the catalogue
has terms for (search.filters); a value it has none for is left out.

Personal data: the profile is returned to the caller and kept nowhere — not
in the database, the session, a cache or the log. Failures are logged with
their kind and HTTP status only, never with the answer's content or the token.
No redirect is followed, so the token goes to the configured address only.
"""

import http.client
import json
import logging
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from search.filters import TERM_FILTERS

logger = logging.getLogger(__name__)

USER_AGENT = "Palvelumanuaali-Guidance/1"
# A profile is a few hundred bytes; anything far larger is not one.
MAX_ANSWER_BYTES = 256 * 1024
# What the ClientProfile input takes: an age in this range, at most this many
# competences of at most this many characters (longer ones are left out).
AGE_RANGE = (0, 120)
MAX_COMPETENCES = 20
MAX_TERM = 100
MAX_LIST = 100  # any other list (the GraphQL API's input limit)

# The profile's parts (the ClientProfile input's names) and what Työmarkkinatori calls them.
API_NAMES = {
    "age": "age",
    "municipality": "homeMunicipality",
    "languages": "languageSkills",
    "education_level": "educationLevel",
    "competences": "competences",
    "service_needs": "serviceNeeds",
}
FIELDS = tuple(API_NAMES)

# Language levels: Työmarkkinatori's (CEFR) in the ClientProfile input's three.
NATIVE, FLUENT, BASIC = "NATIVE", "FLUENT", "BASIC"
LANGUAGE_LEVELS = {
    "native": NATIVE,
    "c2": FLUENT,
    "c1": FLUENT,
    "b2": FLUENT,
    "b1": BASIC,
    "a2": BASIC,
    "a1": BASIC,
}
# Education levels: the first digit of Statistics Finland's classification (ISCED
# 2011) in the input's three; 9 is "unknown".
EDUCATION_LEVELS = {
    **dict.fromkeys("012", "BASIC"),
    **dict.fromkeys("34", "UPPER_SECONDARY"),
    **dict.fromkeys("5678", "HIGHER"),
}

_MUNICIPALITY_CODE = re.compile(r"\d{3}")
_LANGUAGE_CODE = re.compile(r"[a-z]{2}")


# --- What the caller gets ------------------------------------------------------------


@dataclass(frozen=True)
class BackgroundProfile:
    """The client profile's parts filled in from Työmarkkinatori; None or empty when unknown.

    Field names and values are those of the guidance's ``ClientProfile``
    input; ``languages`` holds ``(ISO 639-1 code, level)`` pairs.
    """

    age: int | None = None
    municipality: str | None = None
    languages: tuple[tuple[str, str | None], ...] = ()
    education_level: str | None = None
    competences: tuple[str, ...] = ()
    service_needs: tuple[str, ...] = ()
    # A client signing in for themself is a person, never an employer.
    audience: str = "person"

    def as_profile(self):
        """The profile as a ``ClientProfile`` input arrives in a resolver (snake_case keys),
        the parts that are unknown left out."""
        data = {
            "age": self.age,
            "municipality": self.municipality,
            "languages": [{"code": code, "level": level} for code, level in self.languages],
            "education_level": self.education_level,
            "competences": list(self.competences),
            "service_needs": list(self.service_needs),
            "audience": self.audience,
        }
        return {name: value for name, value in data.items() if value not in (None, [])}


# --- What can go wrong -------------------------------------------------------------


class BackgroundDataError(Exception):
    """Background data could not be had; ``message`` says so to the client, ``code`` to
    the frontend, ``detail`` (never personal data) to the log."""

    code = "BACKGROUND_DATA_UNAVAILABLE"
    message = _("Background data could not be fetched from Työmarkkinatori.")

    def __init__(self, detail=""):
        super().__init__(detail or self.code)
        self.detail = detail


class NotConfigured(BackgroundDataError):
    code = "BACKGROUND_DATA_OFF"
    message = _("Background data from Työmarkkinatori is not in use in this service.")


class ConsentRefused(BackgroundDataError):
    code = "CONSENT_REFUSED"
    message = _(
        "You have not consented to sharing your background data from Työmarkkinatori, so "
        "none was fetched. You can continue without it."
    )


class SignInExpired(BackgroundDataError):
    code = "SIGN_IN_EXPIRED"
    message = _("Työmarkkinatori did not accept your sign-in; it may have expired. Sign in again.")


class NoProfile(BackgroundDataError):
    code = "NO_PROFILE"
    message = _("Työmarkkinatori has no background data about you. You can continue without it.")


class TimedOut(BackgroundDataError):
    code = "TIMEOUT"
    message = _(
        "Työmarkkinatori did not answer in time. Try again later, or continue without "
        "background data."
    )


class Unavailable(BackgroundDataError):
    code = "UNAVAILABLE"
    message = _(
        "Työmarkkinatori could not be reached. Try again later, or continue without "
        "background data."
    )


class BadAnswer(BackgroundDataError):
    code = "BAD_ANSWER"
    message = _(
        "Työmarkkinatori's answer could not be read. Try again later, or continue without "
        "background data."
    )


# --- The call ----------------------------------------------------------------------


def fetch_profile(access_token, *, fields=FIELDS, timeout=None):
    """The client's background data from Työmarkkinatori, as a ``BackgroundProfile``.

    ``access_token``: the client's token from their sign-in, which carries their
    consent. ``fields``: the parts (of ``FIELDS``) the client agreed to share;
    only they are asked for and returned. ``timeout``: seconds
    (``TYOMARKKINATORI_PROFILE_TIMEOUT_SECONDS`` by default). Raises a
    ``BackgroundDataError`` subclass when there is nothing to return.
    """
    wanted = [field for field in FIELDS if field in set(fields)]
    if not wanted:
        return BackgroundProfile()
    url = settings.TYOMARKKINATORI_PROFILE_API_URL
    if not url:
        raise NotConfigured("TYOMARKKINATORI_PROFILE_API_URL is not set")
    if timeout is None:
        timeout = settings.TYOMARKKINATORI_PROFILE_TIMEOUT_SECONDS
    try:
        answer = _get(url, access_token, [API_NAMES[field] for field in wanted], timeout)
        return _profile(answer, wanted)
    except BackgroundDataError as error:
        logger.warning("Työmarkkinatori profile not fetched: %s (%s)", error.code, error.detail)
        raise


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is answered as the error it is here: the token goes nowhere else."""

    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _get(url, access_token, api_fields, timeout):
    """The decoded JSON object of the profile request, or a BackgroundDataError."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise NotConfigured("TYOMARKKINATORI_PROFILE_API_URL is not an http(s) address")
    separator = "&" if parts.query else "?"
    request = urllib.request.Request(
        f"{url}{separator}{urllib.parse.urlencode({'fields': ','.join(api_fields)})}",
        headers={
            "Accept": "application/json",
            "Authorization": f"Bearer {access_token}",
            "User-Agent": USER_AGENT,
        },
    )
    try:
        with _opener.open(request, timeout=timeout) as response:
            body = response.read(MAX_ANSWER_BYTES + 1)
    except urllib.error.HTTPError as error:
        error.close()
        raise _refusal(error.code) from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise TimedOut(f"no answer within {timeout} s") from None
        raise Unavailable(f"no connection ({error.reason})") from None
    except TimeoutError:
        raise TimedOut(f"no answer within {timeout} s") from None
    except (OSError, http.client.HTTPException) as error:
        raise Unavailable(f"the connection failed ({error.__class__.__name__})") from None
    if len(body) > MAX_ANSWER_BYTES:
        raise BadAnswer(f"the answer is larger than {MAX_ANSWER_BYTES} bytes")
    try:
        answer = json.loads(body)
    except ValueError:
        raise BadAnswer("the answer is not JSON") from None
    if not isinstance(answer, dict):
        raise BadAnswer("the answer is not a JSON object")
    if answer.get("error") == "consent_refused":
        raise ConsentRefused("consent_refused")
    return answer


def _refusal(status):
    if status == 403:
        return ConsentRefused("HTTP 403")
    if status == 401:
        return SignInExpired("HTTP 401")
    if status == 404:
        return NoProfile("HTTP 404")
    return Unavailable(f"HTTP {status}")


# --- Reading the answer ------------------------------------------------------------


def _profile(answer, wanted):
    """Map Työmarkkinatori's answer to a BackgroundProfile, reading the wanted parts only."""
    parts = {}
    for field in wanted:
        value = _READERS[field](answer)
        if value is not None:
            parts[field] = value
    return BackgroundProfile(**_known(parts))


def _known(parts):
    """The parts with only the municipality, languages and service needs the catalogue has
    terms for. The terms are read whole (a few dozen), so no value of the client's is
    ever written into a query."""
    municipality = parts.get("municipality")
    if municipality and municipality not in _terms_of("municipalities"):
        del parts["municipality"]
    if languages := parts.get("languages"):
        known = _terms_of("languages")
        parts["languages"] = tuple(pair for pair in languages if pair[0] in known)
    if service_needs := parts.get("service_needs"):
        parts["service_needs"] = _categories(service_needs)
    return parts


def _categories(service_needs):
    """Service category slugs for Työmarkkinatori's service needs: a slug as it is, a
    national class (a category's ``national_uri``) as every category of that class."""
    categories = TERM_FILTERS["categories"].model.objects.filter(locale=Locale.get_default())
    by_need = {}
    for slug, national_uri in categories.values_list("slug", "national_uri"):
        by_need.setdefault(slug, []).append(slug)
        if national_uri:
            by_need.setdefault(national_uri, []).append(slug)
    return tuple(dict.fromkeys(slug for need in service_needs for slug in by_need.get(need, ())))


def _terms_of(name):
    term_filter = TERM_FILTERS[name]
    terms = term_filter.model.objects.filter(locale=Locale.get_default())
    return set(terms.values_list(term_filter.key, flat=True))


def _age(answer):
    age = answer.get("age")
    if age is None and answer.get("birthYear") is not None:
        birth_year = answer["birthYear"]
        if not _whole_number(birth_year):
            raise BadAnswer("birthYear is not a whole number")
        # The age reached this year: a year ahead of the exact age until the birthday.
        age = timezone.localdate().year - birth_year
    if age is None:
        return None
    if not _whole_number(age) or not AGE_RANGE[0] <= age <= AGE_RANGE[1]:
        raise BadAnswer("age is not a whole number between {} and {}".format(*AGE_RANGE))
    return age


def _municipality(answer):
    code = answer.get("homeMunicipality")
    if code is None:
        return None
    if not isinstance(code, str) or not _MUNICIPALITY_CODE.fullmatch(code):
        raise BadAnswer("homeMunicipality is not a three-digit municipality code")
    return code


def _languages(answer):
    skills = _list(answer, "languageSkills")
    if skills is None:
        return None
    levels = {}
    for skill in skills:
        if not isinstance(skill, dict):
            raise BadAnswer("languageSkills holds something other than objects")
        language, level = skill.get("language"), skill.get("level")
        if not isinstance(language, str) or not _LANGUAGE_CODE.fullmatch(language.lower()):
            raise BadAnswer("a languageSkills language is not an ISO 639-1 code")
        if level is not None and not isinstance(level, str):
            raise BadAnswer("a languageSkills level is not a text")
        # An unknown level is left for the input's default; a language given twice
        # keeps its better level.
        level = LANGUAGE_LEVELS.get((level or "").strip().lower())
        known = levels.get(language.lower())
        if known is None or (level and _rank(level) < _rank(known)):
            levels[language.lower()] = level
    return tuple(levels.items())


def _rank(level):
    return (NATIVE, FLUENT, BASIC).index(level) if level else 3


def _education_level(answer):
    level = answer.get("educationLevel")
    if level is None:
        return None
    if _whole_number(level):
        level = str(level)
    if not isinstance(level, str) or not re.fullmatch(r"\d", level.strip()):
        raise BadAnswer("educationLevel is not a one-digit education level")
    return EDUCATION_LEVELS.get(level.strip())  # 9 (unknown): None


def _competences(answer):
    values = _strings(answer, "competences")
    if values is None:
        return None
    # Longer than the input takes, a term is no keyword anyway: left out.
    return tuple(value for value in values if len(value) <= MAX_TERM)[:MAX_COMPETENCES]


def _service_needs(answer):
    return _strings(answer, "serviceNeeds")


def _strings(answer, name):
    values = _list(answer, name)
    if values is None:
        return None
    if not all(isinstance(value, str) for value in values):
        raise BadAnswer(f"{name} holds something other than texts")
    return tuple(dict.fromkeys(value.strip() for value in values if value.strip()))


def _list(answer, name):
    values = answer.get(name)
    if values is None:
        return None
    if not isinstance(values, list):
        raise BadAnswer(f"{name} is not a list")
    return values[:MAX_LIST]


def _whole_number(value):
    return isinstance(value, int) and not isinstance(value, bool)


_READERS = {
    "age": _age,
    "municipality": _municipality,
    "languages": _languages,
    "education_level": _education_level,
    "competences": _competences,
    "service_needs": _service_needs,
}

"""Validation of an exchange document (docs/exchange-format.md).

The whole document is checked before anything is written, and every problem
is collected as one message that names the record and the field, e.g.
``services[work-trial].municipalities: unknown municipality code "999"``.

``parse_document`` reads the JSON text so that nothing a JSON parser would
quietly resolve escapes validation: a member name given twice in one object
(the parser would keep the last value), bytes that are not UTF-8 and control
characters are each reported under the record and field they occur in.

A valid document comes back in canonical form: every field present (defaults
filled in, empty optional values as ``null``, localised texts as ``""``),
term lists sorted, long text sanitised. That is exactly the shape export
writes, so the importer can tell an unchanged record by comparing the two.
"""

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator, validate_slug
from wagtail.models import Locale

from catalogue.models import (
    DeliveryLanguage,
    DeliveryMethod,
    LifeSituation,
    Municipality,
    OrganisationPage,
    ServiceCategory,
    ServicePage,
)
from exchange.html import to_exchange
from guides.models import GuidePage

FORMAT_VERSION = 1
SOURCE_LANGUAGE = "fi"
STATUSES = ("draft", "published")
# The models' own choices: a new kind or audience needs no second edit here.
ORGANISATION_KINDS = tuple(OrganisationPage.Kind.values)
AUDIENCES = tuple(ServicePage.Audience.values)
GUIDE_KINDS = tuple(GuidePage.Kind.values)
SECTIONS = ("organisations", "services", "instructions", "guides")
# A service's taxonomies: (document field, SiteTerms attribute, noun in messages).
SERVICE_TERMS = (
    ("categories", "categories", "category"),
    ("lifeSituations", "life_situations", "life situation"),
    ("methods", "methods", "method"),
    ("municipalities", "municipalities", "municipality code"),
    ("languages", "languages", "language code"),
)

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CLOCK_TIME = re.compile(r"^([01]\d|2[0-4]):[0-5]\d$")
# Opening hours (ServiceLocation.opening_hours): PTV's serviceHourType and day names.
OPENING_HOURS_TYPES = ("DaysOfTheWeek", "Exceptional", "OverMidnight")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Plain text (titles, names, summaries, keywords…) is delivered as text, never as
# HTML, so markup in it is a mistake of the sender: a tag, or a character
# reference that a frontend would show literally ("R&amp;D").
MARKUP = re.compile(r"<[a-zA-Z/!?]|&(?:[a-zA-Z][a-zA-Z0-9]*|#[0-9]+|#[xX][0-9a-fA-F]+);")
# Control characters (C0, DEL, C1) and surrogates, which are no text; tab and
# line breaks are allowed in multi-line texts (MULTILINE_FIELDS).
_BAD_IN_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_BAD_IN_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_email = EmailValidator()
_url = URLValidator(schemes=["http", "https"])


class ExchangeError(Exception):
    """A document that cannot be imported; ``messages`` lists every problem."""

    def __init__(self, messages):
        super().__init__(f"{len(messages)} error(s) in the document")
        self.messages = messages


def enabled_languages():
    """The site's content languages, source language first (settings.WAGTAIL_CONTENT_LANGUAGES)."""
    return [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]


# The service's taxonomies: model and the field a document names a term by.
TAXONOMY_MODELS = {
    "categories": (ServiceCategory, "slug"),
    "life_situations": (LifeSituation, "slug"),
    "methods": (DeliveryMethod, "slug"),
    "languages": (DeliveryLanguage, "slug"),
    "municipalities": (Municipality, "code"),
}


@dataclass
class SiteTerms:
    """What a document may refer to on the site, loaded once per import or export."""

    source_locale: Locale
    categories: dict  # slug → ServiceCategory (Finnish term)
    life_situations: dict
    methods: dict
    languages: dict
    municipalities: dict  # code → Municipality
    area_of: dict  # municipality code → employment area code
    organisation_keys: set = field(default_factory=set)  # Finnish pages already on the site
    # Per taxonomy (categories, …, municipalities): slug or code → the languages it exists in.
    # A translated page holds its own language's terms (ServicePage.clean).
    term_languages: dict = field(default_factory=dict)
    service_keys: set = field(default_factory=set)
    live_service_keys: set = field(default_factory=set)
    # (taxonomy, language code) → {slug or code: term}, loaded when first asked for.
    localised: dict = field(default_factory=dict)

    def in_language(self, taxonomy, code):
        """One taxonomy's terms in one language, by slug (municipalities: by code).

        A page holds its own language's terms; validation has refused a record
        naming a term that has no translation in one of its languages.
        """
        if code == self.source_locale.language_code:
            return getattr(self, taxonomy)
        if (taxonomy, code) not in self.localised:
            model, key = TAXONOMY_MODELS[taxonomy]
            self.localised[taxonomy, code] = {
                getattr(term, key): term
                for term in model.objects.filter(locale__language_code=code)
            }
        return self.localised[taxonomy, code]

    @classmethod
    def load(cls):
        locale = Locale.objects.get(language_code=SOURCE_LANGUAGE)

        def by_slug(model):
            return {term.slug: term for term in model.objects.filter(locale=locale)}

        municipalities = {
            m.code: m
            for m in Municipality.objects.filter(locale=locale).select_related("employment_area")
        }
        services = ServicePage.objects.filter(locale=locale).values_list("key", "live")

        def languages_of(model, key="slug"):
            found = {}
            for value, code in model.objects.values_list(key, "locale__language_code"):
                found.setdefault(value, set()).add(code)
            return found

        return cls(
            source_locale=locale,
            categories=by_slug(ServiceCategory),
            life_situations=by_slug(LifeSituation),
            methods=by_slug(DeliveryMethod),
            languages=by_slug(DeliveryLanguage),
            municipalities=municipalities,
            area_of={code: m.employment_area.code for code, m in municipalities.items()},
            organisation_keys=set(
                OrganisationPage.objects.filter(locale=locale).values_list("key", flat=True)
            ),
            service_keys={key for key, _live in services},
            live_service_keys={key for key, live in services if live},
            term_languages={
                "categories": languages_of(ServiceCategory),
                "life_situations": languages_of(LifeSituation),
                "methods": languages_of(DeliveryMethod),
                "languages": languages_of(DeliveryLanguage),
                "municipalities": languages_of(Municipality, "code"),
            },
        )


def order_municipalities(codes, area_of):
    """Codes sorted, those of the first code's employment area first.

    The first municipality decides which area folder an instruction lives in,
    so this order survives a round trip while the rest is canonical.
    """
    if not codes:
        return []
    area = area_of.get(codes[0])
    return sorted(set(codes), key=lambda code: (area_of.get(code) != area, code))


def _key(data):
    """A record's key as validated by DocumentValidator._records (None when unusable)."""
    key = data.get("key")
    return key if isinstance(key, str) else None


def _json_type(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return f'"{printable(value)}"' if len(value) <= 40 else "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def printable(text):
    """``text`` with control characters and undecodable bytes written as escapes,
    so that a message naming a bad value can itself be printed and read."""
    return "".join(
        f"\\u{ord(char):04x}" if unicodedata.category(char) in ("Cc", "Cs") else char
        for char in text
    )


def character_problem(text, multiline):
    """What is wrong with the characters of one string, or None.

    Refused: bytes that are not UTF-8 (``parse_document`` decodes them as lone
    surrogates U+DC80–U+DCFF), other unpaired surrogates (``"\\ud800"``), NUL
    and every other control character (C0, DEL, C1), except tab and line breaks
    in multi-line texts.
    """
    match = (_BAD_IN_LINES if multiline else _BAD_IN_LINE).search(text)
    if match is None:
        return None
    code, position = ord(match.group()), match.start()
    if 0xDC80 <= code <= 0xDCFF:
        return f"not valid UTF-8 (byte 0x{code - 0xDC00:02X} at character {position})"
    if 0xD800 <= code <= 0xDFFF:
        return f"unpaired surrogate U+{code:04X} at character {position}; not valid text"
    name = "NUL character" if code == 0 else "control character"
    allowed = "tab and line breaks only" if multiline else "one line of text"
    return f"{name} U+{code:04X} at character {position} (this field takes {allowed})"


class JSONObject(dict):
    """A JSON object as ``parse_document`` reads it: also the member names given more than once
    (``{"status": "published", "status": "draft"}``), which a dict alone cannot show."""

    repeated = {}  # name → how many times it was given


def _json_object(pairs):
    obj = JSONObject(pairs)
    if len(obj) < len(pairs):
        obj.repeated = {name: n for name, n in Counter(name for name, _ in pairs).items() if n > 1}
    return obj


def _no_constant(name):
    raise ExchangeError([f"document: {name} is not a JSON value"])


def parse_document(raw):
    """The exchange document in the JSON text ``raw`` (bytes or str), ready for validation.

    Bytes that are not UTF-8 are kept as lone surrogates and repeated member
    names are remembered (``JSONObject``), so that validation reports each
    under its record and field rather than the parser failing on the first or
    keeping one value silently. Control characters in strings, raw or escaped,
    are likewise left to validation. A UTF-8 byte order mark is ignored.
    Raises ExchangeError when the text is not JSON.
    """
    text = raw.decode("utf-8", errors="surrogateescape") if isinstance(raw, bytes) else raw
    try:
        return json.loads(
            text.removeprefix("\ufeff"),
            object_pairs_hook=_json_object,
            parse_constant=_no_constant,
            strict=False,  # control characters are validation's to report, by field
        )
    except json.JSONDecodeError as error:
        raise ExchangeError([f"document: not valid JSON: {error}"]) from None


class _Reader:
    """Reads the fields of one JSON object, reporting problems under its label."""

    def __init__(self, errors, label, data):
        self.errors = errors
        self.label = label
        self.data = data
        self._check_members()

    def _check_members(self):
        """Report repeated member names and bad characters in member names and strings."""
        for name, count in getattr(self.data, "repeated", {}).items():
            self.error(printable(name), f"given {count} times; a name may appear once per object")
        for name, value in self.data.items():
            if problem := character_problem(name, multiline=False):
                self.error(printable(name), f"field name: {problem}")
                continue
            multiline = name in MULTILINE_FIELDS
            values = enumerate(value) if isinstance(value, list) else [(None, value)]
            for index, item in values:
                if isinstance(item, str) and (problem := character_problem(item, multiline)):
                    self.error(name if index is None else f"{name}[{index}]", problem)

    def known(self, record):
        """``record``, after reporting fields of the input that it does not have."""
        for name in self.data:
            if name not in record:
                self.error(printable(name), "unknown field")
        return record

    def error(self, name, message):
        self.errors.append(f"{self.label}.{name}: {message}")

    def _get(self, name, required):
        value = self.data.get(name)
        if value is None and required:
            self.error(name, "required")
        return value

    def text(self, name, required=False, max_length=None):
        """A plain-text string; ``""`` when left out."""
        value = self.string(name, required, max_length)
        if match := MARKUP.search(value):
            self.error(
                name,
                f'plain text cannot contain HTML markup (found "{printable(match.group())}"); '
                "write characters as themselves, e.g. & and <",
            )
        return value

    def string(self, name, required=False, max_length=None):
        """A string as given (text or HTML source); ``""`` when left out."""
        value = self._get(name, required)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.error(name, f"expected a string, got {_json_type(value)}")
            return ""
        if required and not value.strip():
            self.error(name, "required")
        if max_length and len(value) > max_length:
            self.error(name, f"at most {max_length} characters, got {len(value)}")
        return value

    def optional(self, name, max_length=None, validator=None, what=None, plain=True):
        """A string that may be empty or null; ``None`` when empty. ``plain=False`` for
        values that are not text, such as URLs, whose ``&…;`` is no character reference."""
        read = self.text if plain else self.string
        value = read(name, max_length=max_length) or None
        if value is not None and validator is not None:
            try:
                validator(value)
            except ValidationError:
                self.error(name, f"not a valid {what}: {_json_type(value)}")
        return value

    def html(self, name):
        return to_exchange(self.string(name))

    def choice(self, name, choices, default=None):
        value = self._get(name, required=default is None)
        if value is None:
            return default
        if value not in choices:
            self.error(name, f"expected one of {', '.join(choices)}, got {_json_type(value)}")
            return default
        return value

    def boolean(self, name, default):
        value = self.data.get(name)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(name, f"expected true or false, got {_json_type(value)}")
            return default
        return value

    def integer(self, name, minimum, maximum, default=None):
        value = self.data.get(name)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(name, f"expected a whole number, got {_json_type(value)}")
            return default
        if not minimum <= value <= maximum:
            self.error(name, f"must be between {minimum} and {maximum}, got {value}")
            return default
        return value

    def number(self, name, minimum, maximum):
        value = self.data.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(name, f"expected a number, got {_json_type(value)}")
            return None
        if not minimum <= value <= maximum:
            self.error(name, f"must be between {minimum} and {maximum}, got {value}")
            return None
        return float(value)

    def date(self, name):
        value = self.data.get(name)
        if value is None:
            return None
        try:
            if not isinstance(value, str) or not ISO_DATE.match(value):
                raise ValueError
            date.fromisoformat(value)
        except ValueError:
            self.error(name, f"expected an ISO date (YYYY-MM-DD), got {_json_type(value)}")
            return None
        return value

    def time(self, name):
        """A time of day, ``HH:MM`` (00:00–24:00); ``None`` when left out."""
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, str) or not CLOCK_TIME.match(value) or value > "24:00":
            self.error(name, f"expected a time of day (HH:MM), got {_json_type(value)}")
            return None
        return value

    def array(self, name, required=False):
        value = self._get(name, required)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(name, f"expected an array, got {_json_type(value)}")
            return []
        return value

    def terms(self, name, known, noun, required=False, order=sorted, languages=None):
        """Slugs or codes of existing terms, without repeats, in canonical ``order``.

        ``languages`` (slug or code → the languages the term exists in) tells a
        term of another language from an unknown one.
        """
        found = []
        for value in self.array(name, required):
            if not isinstance(value, str):
                self.error(name, f"expected {noun}s as strings, got {_json_type(value)}")
            elif value not in known and value in (languages or {}):
                self.error(
                    name,
                    f'{noun} "{printable(value)}" is a term of another language'
                    f" ({', '.join(sorted(languages[value]))}), not of {SOURCE_LANGUAGE}",
                )
            elif value not in known:
                self.error(name, f'unknown {noun} "{printable(value)}"')
            else:
                found.append(value)
        return order(list(dict.fromkeys(found)))

    def objects(self, name, read):
        """A list of objects, each read by ``read(reader)``."""
        items = []
        for index, item in enumerate(self.array(name)):
            if not isinstance(item, dict):
                self.error(f"{name}[{index}]", f"expected an object, got {_json_type(item)}")
                continue
            reader = _Reader(self.errors, f"{self.label}.{name}[{index}]", item)
            items.append(reader.known(read(reader)))
        return items

    def locales(self, fields):
        """The ``locales`` map: ``fields`` is {name: read(reader, name)} per language."""
        value = self.data.get("locales")
        if not isinstance(value, dict):
            self.error("locales", "required" if value is None else "expected an object")
            return {}
        for code, count in getattr(value, "repeated", {}).items():
            self.error(
                f"locales.{printable(code)}", f"given {count} times; a language may appear once"
            )
        if SOURCE_LANGUAGE not in value:
            self.error(f"locales.{SOURCE_LANGUAGE}", "required (Finnish is the source language)")
        enabled = enabled_languages()
        result = {}
        for code in enabled:
            if code not in value:
                continue
            texts = value[code]
            if not isinstance(texts, dict):
                self.error(f"locales.{code}", f"expected an object, got {_json_type(texts)}")
                continue
            reader = _Reader(self.errors, f"{self.label}.locales.{code}", texts)
            result[code] = reader.known({name: read(reader, name) for name, read in fields.items()})
        for code in value:
            if code not in enabled:
                self.error(
                    f"locales.{printable(code)}",
                    f'language "{printable(code)}" is not enabled on this site'
                    f" (enabled: {', '.join(enabled)})",
                )
        return result


def _title(reader, name):
    return reader.text(name, required=True, max_length=255)


def _plain(reader, name):
    return reader.text(name)


def _html(reader, name):
    return reader.html(name)


def _keywords(reader, name):
    words = []
    for word in reader.array(name):
        if not isinstance(word, str) or not word.strip():
            reader.error(name, f"expected non-empty strings, got {_json_type(word)}")
        elif "," in word:
            reader.error(name, f'a keyword cannot contain a comma: "{printable(word)}"')
        elif MARKUP.search(word):
            reader.error(name, f'plain text cannot contain HTML markup: "{printable(word)}"')
        else:
            words.append(word.strip())
    if len(", ".join(words)) > 500:
        reader.error(name, "at most 500 characters in all")
    return words


ORGANISATION_TEXTS = {"name": _title}
SERVICE_TEXTS = {
    "title": _title,
    "summary": _plain,
    "description": _html,
    "targetGroup": _html,
    "implementation": _html,
    "participation": _html,
    "keywords": _keywords,
}
INSTRUCTION_TEXTS = {
    "title": _title,
    "guidance": _html,
    "participation": _html,
    "statementsAndBenefits": _html,
    "clientRecords": _html,
    "supplementary": _html,
    "internalContacts": _html,
}
GUIDE_TEXTS = {"title": _title, "summary": _plain, "body": _html}
# Texts of more than one line: summaries, HTML and the opening hours' additional
# information. Every other string is one line.
MULTILINE_FIELDS = frozenset(
    name
    for texts in (SERVICE_TEXTS, INSTRUCTION_TEXTS, GUIDE_TEXTS)
    for name, read in texts.items()
    if read in (_plain, _html)
) | {"info"}


def _contact(r):
    return {
        "name": r.text("name", required=True, max_length=200),
        "email": r.optional("email", max_length=254, validator=_email, what="e-mail address"),
        "phone": r.optional("phone", max_length=50),
    }


def _link(r):
    url = r.string("url", required=True, max_length=500)
    if url:
        try:
            _url(url)
        except ValidationError:
            r.error("url", f"not a valid http(s) URL: {_json_type(url)}")
    return {"title": r.text("title", required=True, max_length=200), "url": url}


def _location(r):
    return {
        "name": r.text("name", required=True, max_length=200),
        "address": r.optional("address", max_length=200),
        "postalCode": r.optional("postalCode", max_length=10),
        "city": r.optional("city", max_length=100),
        "lat": r.number("lat", -90, 90),
        "lon": r.number("lon", -180, 180),
        "phone": r.optional("phone", max_length=50),
        "email": r.optional("email", max_length=254, validator=_email, what="e-mail address"),
        "website": r.optional(
            "website", max_length=500, validator=_url, what="http(s) URL", plain=False
        ),
        "openingHours": r.objects("openingHours", _opening_hours),
        "ptvId": r.optional("ptvId", max_length=64),
        "servicemapId": r.optional("servicemapId", max_length=64),
    }


def _opening_hours(r):
    """One opening-hours entry of a location (aukioloajat), as PTV gives them."""
    return {
        "type": r.choice("type", OPENING_HOURS_TYPES),
        "validFrom": r.date("validFrom"),
        "validTo": r.date("validTo"),
        "isClosed": r.boolean("isClosed", False),
        "isAlwaysOpen": r.boolean("isAlwaysOpen", False),
        "hours": r.objects("hours", _hours),
        "info": r.text("info", max_length=1000),
    }


def _hours(r):
    """Opening hours of one day, or of the days from ``dayFrom`` to ``dayTo``."""
    return {
        "dayFrom": r.choice("dayFrom", WEEKDAYS),
        "dayTo": r.choice("dayTo", WEEKDAYS, default=False) or None,
        "from": r.time("from"),
        "to": r.time("to"),
    }


class DocumentValidator:
    """Checks a parsed document against the contract and the site's terms."""

    def __init__(self, terms):
        self.terms = terms
        self.errors = []

    def validate(self, data):
        """The canonical document, or ExchangeError listing every problem."""
        if not isinstance(data, dict):
            raise ExchangeError([f"document: expected a JSON object, got {_json_type(data)}"])
        top = _Reader(self.errors, "document", data)
        top.known({"version": FORMAT_VERSION, **dict.fromkeys(SECTIONS)})
        if data.get("version") != FORMAT_VERSION:
            top.error(
                "version", f"expected {FORMAT_VERSION}, got {_json_type(data.get('version'))}"
            )
        sections = {name: self._records(top, name) for name in SECTIONS}
        organisations = [self._organisation(*item) for item in sections["organisations"]]
        organisation_keys = self.terms.organisation_keys | {r["key"] for r in organisations}
        services = [self._service(*item, organisation_keys) for item in sections["services"]]
        service_keys = self.terms.service_keys | {r["key"] for r in services}
        document = {
            "version": FORMAT_VERSION,
            "organisations": organisations,
            "services": services,
            "instructions": [
                self._instruction(*item, service_keys) for item in sections["instructions"]
            ],
            "guides": [self._guide(*item) for item in sections["guides"]],
        }
        if self.errors:
            raise ExchangeError(self.errors)
        return document

    def _records(self, top, section):
        """(label, data) for each record of a section, reporting bad and repeated keys."""
        records, seen = [], {}
        for index, data in enumerate(top.array(section)):
            key = data.get("key") if isinstance(data, dict) else None
            label = (
                f"{section}[{printable(key)}]"
                if isinstance(key, str) and key
                else f"{section}[#{index}]"
            )
            if not isinstance(data, dict):
                self.errors.append(f"{label}: expected an object, got {_json_type(data)}")
                continue
            if not isinstance(key, str) or not key:
                self.errors.append(f"{label}.key: required (a string)")
            else:
                try:
                    validate_slug(key)
                    if len(key) > 100:
                        raise ValidationError("too long")
                except ValidationError:
                    self.errors.append(
                        f"{label}.key: use at most 100 letters, digits, hyphens or underscores"
                    )
                if key in seen:
                    self.errors.append(f"{label}.key: duplicate key (also record #{seen[key]})")
                seen.setdefault(key, index)
            records.append((label, data))
        return records

    def _organisation(self, label, data):
        r = _Reader(self.errors, label, data)
        return r.known(
            {
                "key": _key(data),
                "kind": r.choice("kind", ORGANISATION_KINDS),
                "businessId": r.optional("businessId", max_length=20),
                "ptvId": r.optional("ptvId", max_length=64),
                "website": r.optional(
                    "website", max_length=200, validator=_url, what="http(s) URL", plain=False
                ),
                "locales": r.locales(ORGANISATION_TEXTS),
            }
        )

    def _service(self, label, data, organisation_keys):
        r = _Reader(self.errors, label, data)
        terms = self.terms
        record = {
            "key": _key(data),
            "organisation": r.text("organisation", required=True),
            "status": r.choice("status", STATUSES),
            "audience": r.choice("audience", AUDIENCES),
            **{
                name: r.terms(
                    name, getattr(terms, attr), noun, languages=terms.term_languages.get(attr)
                )
                for name, attr, noun in SERVICE_TERMS
            },
            "ageMin": r.integer("ageMin", 0, 150),
            "ageMax": r.integer("ageMax", 0, 150),
            "free": r.boolean("free", True),
            "accessible": r.boolean("accessible", False),
            "priority": r.integer("priority", 0, 100, default=0),
            "effectiveness": r.integer("effectiveness", 0, 100),
            "responsible": r.optional(
                "responsible", max_length=254, validator=_email, what="e-mail address"
            ),
            "validFrom": r.date("validFrom"),
            "validUntil": r.date("validUntil"),
            "contacts": r.objects("contacts", _contact),
            "links": r.objects("links", _link),
            "locations": r.objects("locations", _location),
            "locales": r.locales(SERVICE_TEXTS),
        }
        r.known(record)
        if record["organisation"] and record["organisation"] not in organisation_keys:
            r.error("organisation", f'unknown organisation "{printable(record["organisation"])}"')
        self._check_translated_terms(r, record)
        if None not in (record["ageMin"], record["ageMax"]) and record["ageMin"] > record["ageMax"]:
            r.error("ageMax", f"must not be below ageMin ({record['ageMin']})")
        if None not in (record["validFrom"], record["validUntil"]) and (
            record["validFrom"] > record["validUntil"]
        ):
            r.error("validUntil", f"must not be before validFrom ({record['validFrom']})")
        if record["responsible"] is None:
            if record["status"] == "published":
                r.error(
                    "responsible",
                    "required to publish: every service must have one named responsible person",
                )
            elif record["key"] in terms.live_service_keys:
                r.error(
                    "responsible",
                    "required: the service is published on the site, and every published service"
                    " must have one named responsible person",
                )
        return record

    def _check_translated_terms(self, r, record):
        """Each translation of the service holds its own language's terms, so every term
        must exist in every language the record has texts in."""
        for name, attr, noun in SERVICE_TERMS:
            languages = self.terms.term_languages.get(attr, {})
            for value in record[name]:
                for code in record["locales"]:
                    if code != SOURCE_LANGUAGE and code not in languages.get(value, {code}):
                        r.error(
                            name,
                            f'{noun} "{printable(value)}" has no {code} translation,'
                            f" so the {code} page cannot hold it",
                        )

    def _instruction(self, label, data, service_keys):
        r = _Reader(self.errors, label, data)
        area_of = self.terms.area_of
        record = {
            "key": _key(data),
            "service": r.text("service", required=True),
            "status": r.choice("status", STATUSES),
            "municipalities": r.terms(
                "municipalities",
                self.terms.municipalities,
                "municipality code",
                required=True,
                order=lambda codes: order_municipalities(codes, area_of),
            ),
            "locales": r.locales(INSTRUCTION_TEXTS),
        }
        r.known(record)
        if data.get("municipalities") == []:
            r.error("municipalities", "at least one municipality is required")
        if record["service"] and record["service"] not in service_keys:
            r.error("service", f'unknown service "{printable(record["service"])}"')
        return record

    def _guide(self, label, data):
        r = _Reader(self.errors, label, data)
        return r.known(
            {
                "key": _key(data),
                "kind": r.choice("kind", GUIDE_KINDS),
                "internal": r.boolean("internal", False),
                "status": r.choice("status", STATUSES),
                "locales": r.locales(GUIDE_TEXTS),
            }
        )


def validate_document(data, terms=None):
    """Canonical form of ``data``; raises ExchangeError with every problem found."""
    return DocumentValidator(terms or SiteTerms.load()).validate(data)

"""One service → the body PTV's Open API v11 takes for a service (``V9VmOpenApiServiceIn``).

Only what the public sees is mapped: the Finnish page's live version and its
live, public translations (cms.visibility with no user). Drafts never enter,
because a live page's own row is its published content (Wagtail keeps
unpublished changes in revisions), and internal content never does: process
instructions are another page type, and a page behind a view restriction is
not public.

The PTV rules checked here are the ones its input models declare (lengths,
required fields, code-list URI patterns); a service that breaks one is not
sent, and the error names the service and the field.
"""

import re
from html.parser import HTMLParser

from wagtail.models import Page
from wagtail.rich_text import expand_db_html

from catalogue.models import OrganisationPage
from cms.visibility import Visibility

# Limits of V9VmOpenApiServiceInBase and VmOpenApiServiceBase.
NAME_MAX = 100
SUMMARY_MAX = 150
DESCRIPTION_MAX = 2500  # Description and UserInstruction
REQUIREMENTS_MAX = 2500
KEYWORD_MAX = 150
SOURCE_ID = re.compile(r"^[A-Za-z0-9-.]*$")
LANGUAGE = re.compile(r"^[a-z-]*$")
MUNICIPALITY_CODE = re.compile(r"^[0-9]{1,3}$")
GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")

# PTV's code lists (ValidationConsts): a term's national URI goes to the list it belongs to.
CLASSIFICATIONS = {
    "serviceClasses": re.compile(
        r"^http:\/\/(urn.fi\/URN:NBN:fi:au:ptvl:v[0-9]+$|uri.suomi.fi\/codelist\/ptv\/"
        r"ptvserclass[2]{0,1}\/code\/P[0-9]{1,2}((.[0-9]{1,2}){0,1})*$)"
    ),
    "ontologyTerms": re.compile(r"^http://www.yso.fi/onto/[a-z]*/p[0-9]{1,5}$"),
    "targetGroups": re.compile(
        r"^http:\/\/(urn.fi\/URN:NBN:fi:au:ptvl:v[0-9]+$|uri.suomi.fi\/codelist\/ptv\/"
        r"ptvkohderyhmat\/code\/KR[1-3](.[0-9])*$)"
    ),
    "lifeEvents": re.compile(
        r"^http:\/\/(urn.fi\/URN:NBN:fi:au:ptvl:v[0-9]+$|uri.suomi.fi\/codelist\/ptv\/"
        r"ptvelti\/code\/KE[0-9]{1,2}(.[0-9])*$)"
    ),
    "industrialClasses": re.compile(
        r"^http:\/\/(www.stat.fi\/meta\/luokitukset\/toimiala\/001-2008\/[0-9]{1,5}$|"
        r"uri.suomi.fi\/codelist\/jhs\/toimiala_1_20080101\/code\/[A-Z0-9]{1,5}$)"
    ),
}
# The languages of PTV's texts that the manual writes; other content languages stay out.
PTV_LANGUAGES = ("fi", "sv", "en")
# Who a service is for, as PTV's main target groups: citizens (KR1), businesses (KR2).
TARGET_GROUP = "http://uri.suomi.fi/codelist/ptv/ptvkohderyhmat/code/{}"
AUDIENCE_TARGET_GROUPS = {"person": "KR1", "employer": "KR2"}


class MappingError(Exception):
    """A service that cannot go to PTV as it is; ``problems`` name the fields."""

    def __init__(self, page, problems):
        self.page = page
        self.problems = problems
        super().__init__(f"{page.title} ({page.key}): " + "; ".join(problems))


def public_versions(page):
    """The live, public versions of a Finnish service in PTV's languages: {language: page},
    Finnish first.

    Empty when the Finnish page itself is not public (never published,
    unpublished, or behind a view restriction): nothing is exported then.
    """
    visibility = Visibility(None)
    page = Page.objects.get(pk=page.pk).specific  # the stored (published) version
    if not visibility.can_view_page(page):
        return {}
    versions = {page.locale.language_code: page}
    translations = page.get_translations().live().filter(locale__language_code__in=PTV_LANGUAGES)
    for translation in translations.specific().select_related("locale"):
        if visibility.can_view_page(translation):
            versions[translation.locale.language_code] = translation
    return versions


def build_payload(record):
    """The v11 body for the record's service; raises MappingError naming what is wrong.

    Returns None when the service has no public version (nothing to send).
    """
    versions = public_versions(record.page)
    if not versions:
        return None
    source = next(iter(versions.values()))  # the Finnish page the record is keyed by
    problems = []
    organisation = source.get_parent().specific
    ptv_org = _organisation_id(organisation, problems)

    names, descriptions, requirements, keywords = [], [], [], []
    for language, page in versions.items():
        names.append(_text(problems, "title", language, page.title, NAME_MAX, type="Name"))
        summary = " ".join(page.summary.split())
        if not summary:
            problems.append(f"summary ({language}) is empty; PTV requires a summary")
        elif summary == " ".join(page.title.split()):
            problems.append(f"summary ({language}) equals the name; PTV refuses that")
        descriptions.append(_text(problems, "summary", language, summary, SUMMARY_MAX, "Summary"))
        description = markdown(page.description)
        if not description:
            problems.append(f"description ({language}) is empty; PTV requires a description")
        descriptions.append(
            _text(problems, "description", language, description, DESCRIPTION_MAX, "Description")
        )
        if instruction := markdown(page.implementation):
            descriptions.append(
                _text(
                    problems,
                    "implementation",
                    language,
                    instruction,
                    DESCRIPTION_MAX,
                    "UserInstruction",
                )
            )
        if participation := markdown(page.participation):
            item = _text(problems, "participation", language, participation, REQUIREMENTS_MAX)
            requirements.append(item)
        for word in page.keyword_list:
            keywords.append(_text(problems, "keywords", language, word, KEYWORD_MAX))

    languages = sorted({term.slug for term in source.languages.all()})
    if not languages:
        problems.append("languages: none chosen; PTV requires the languages of the service")
    for code in languages:
        if not LANGUAGE.match(code):
            problems.append(f"languages: {code!r} is not a language code")

    codes = sorted({municipality.code for municipality in source.municipalities.all()})
    if not codes:
        problems.append("municipalities: none chosen; PTV requires the area of the service")
    for code in codes:
        if not MUNICIPALITY_CODE.match(code):
            problems.append(f"municipalities: {code!r} is not a municipality code")

    if not SOURCE_ID.match(record.source_id):
        problems.append(f"sourceId {record.source_id!r} has characters PTV does not allow")

    classified = _classifications(source, problems)
    if problems:
        raise MappingError(source, problems)
    return {
        "sourceId": record.source_id,
        "type": "Service",
        "fundingType": (
            "MarketFunded"
            if organisation.kind == OrganisationPage.Kind.COMPANY
            else "PubliclyFunded"
        ),
        "serviceNames": names,
        "serviceChargeType": "FreeOfCharge" if source.free else "Chargeable",
        "areaType": "LimitedType",
        "areas": [{"type": "Municipality", "areaCodes": codes}],
        "serviceDescriptions": descriptions,
        "languages": languages,
        **classified,
        "keywords": keywords,
        "requirements": requirements,
        "serviceProducers": [{"provisionType": "SelfProducedServices", "organizations": [ptv_org]}],
        "publishingStatus": "Published",
        "mainResponsibleOrganization": ptv_org,
    }


def _organisation_id(organisation, problems):
    ptv_id = organisation.ptv_id.strip()
    if not ptv_id:
        problems.append(
            f"organisation {organisation.title!r} has no PTV id (ptv_id); "
            "PTV requires the responsible organisation"
        )
    elif not GUID.match(ptv_id):
        problems.append(f"organisation {organisation.title!r}: PTV id {ptv_id!r} is not a GUID")
    return ptv_id


def _text(problems, field, language, value, limit, type=None):
    if len(value) > limit:
        problems.append(
            f"{field} ({language}) is {len(value)} characters; PTV allows at most {limit}"
        )
    item = {"language": language, "value": value}
    if type:
        item["type"] = type
    return item


def _classifications(source, problems):
    """The national URIs of the service's terms, each in the PTV list whose pattern it fits."""
    found = {name: set() for name in CLASSIFICATIONS}
    found["targetGroups"].add(TARGET_GROUP.format(AUDIENCE_TARGET_GROUPS[source.audience]))
    for field in ("categories", "life_situations"):
        for term in getattr(source, field).all():
            uri = term.national_uri.strip()
            if not uri:
                continue
            lists = [name for name, pattern in CLASSIFICATIONS.items() if pattern.match(uri)]
            if not lists:
                problems.append(
                    f"{field}: {term.name!r} has a national URI PTV does not know: {uri}"
                )
            for name in lists:
                found[name].add(uri)
    return {name: sorted(uris) for name, uris in found.items() if uris}


class _Markdown(HTMLParser):
    """Rich text as PTV's plain text: paragraphs, list items as "- " or "1. ", links as text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []  # finished paragraphs and lists
        self.line = []  # words of the paragraph or list item being read
        self.lists = []  # open lists: [kind, next number]
        self.items = []  # lines of the list being read
        self.href = None

    def handle_starttag(self, tag, attrs):
        if tag in ("p", "h3"):
            self._end_line()
        elif tag in ("ul", "ol"):
            self._end_line()
            self.lists.append([tag, 1])
        elif tag in ("li", "br"):
            self._end_line()
        elif tag == "a":
            self.href = dict(attrs).get("href")
            self.link_start = len(self.line)

    def handle_endtag(self, tag):
        if tag in ("p", "h3", "li"):
            self._end_line()
        elif tag in ("ul", "ol") and self.lists:
            self._end_line()
            self.lists.pop()
            if not self.lists and self.items:
                self.blocks.append("\n".join(self.items))
                self.items = []
        elif tag == "a" and self.href:
            text = "".join(self.line[self.link_start :]).strip()
            if self.href.startswith(("http://", "https://")) and self.href != text:
                self.line.append(f" ({self.href})")
            self.href = None

    def handle_data(self, data):
        self.line.append(data)

    def _end_line(self):
        text = " ".join("".join(self.line).split())
        self.line = []
        if not text:
            return
        if self.lists:
            kind = self.lists[-1]
            marker = f"{kind[1]}." if kind[0] == "ol" else "-"
            kind[1] += 1
            indent = "  " * (len(self.lists) - 1)
            self.items.append(f"{indent}{marker} {text}")
        else:
            self.blocks.append(text)

    def result(self):
        self.close()
        self._end_line()
        if self.items:
            self.blocks.append("\n".join(self.items))
        return "\n\n".join(self.blocks)


def markdown(stored_html):
    """A stored rich text value in PTV's Markdown subset (internal links resolved first)."""
    parser = _Markdown()
    parser.feed(expand_db_html(stored_html or ""))
    return parser.result()

"""The published catalogue in the shapes of Open Referral HSDS 3.0 (avoin data).

What the open-data feed (integrations.open_data_views) publishes and how each
record is shaped; docs/integrations.md describes the mapping for consumers.

- **What:** what an anonymous caller may see (cms.visibility: live pages
  outside restricted sections, so never internal instructions or drafts), of
  the services running today (the public listing's validity rule,
  search.filters), in one language with the project's fallback to Finnish
  (cms.localisation.served).
- **Ids** are UUIDs derived (uuid5) from the exchange keys of services and
  organisations, the taxonomy codes, and a location's place in its service's
  list, so the same record keeps its id across runs and languages and a mirror
  can follow it.
- **Cost:** a page of records is read with a fixed number of queries whatever
  its size: the page, then each relation for the whole page at once.
"""

import math
import uuid
from dataclasses import dataclass

from django.db.models import F, Window, prefetch_related_objects
from django.db.models.functions import RowNumber
from django.utils import timezone, translation
from django.utils.html import strip_tags

from catalogue.models import (
    DeliveryLanguage,
    DeliveryMethod,
    LifeSituation,
    Municipality,
    OrganisationPage,
    ServiceCategory,
    ServiceLocation,
    ServicePage,
)
from cms import localisation
from cms.visibility import Visibility
from integrations import tyomarkkinatori
from search.filters import CURRENT, validity_q

HSDS_VERSION = "3.0"
# Fixed for good: changing it would give every record a new id.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://palvelumanuaali.fi/open-data/hsds")

# Fixed texts of the feed, by language.
FEES = {
    "fi": {True: "Maksuton", False: "Maksullinen"},
    "sv": {True: "Avgiftsfri", False: "Avgiftsbelagd"},
    "en": {True: "Free of charge", False: "Chargeable"},
}
CLOSED = {"fi": "Suljettu", "sv": "Stängt", "en": "Closed"}
# The manual covers the Uusimaa region; HSDS asks every address for its state or province.
REGION = {"fi": "Uusimaa", "sv": "Nyland", "en": "Uusimaa"}
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Taxonomy:
    """One of the project's taxonomies as an HSDS taxonomy."""

    key: str
    model: type
    field: str  # the ServicePage field that classifies by it
    code: str  # the term field that is its code


TAXONOMIES = (
    Taxonomy("service-categories", ServiceCategory, "categories", "slug"),
    Taxonomy("life-situations", LifeSituation, "life_situations", "slug"),
    Taxonomy("delivery-methods", DeliveryMethod, "methods", "slug"),
    Taxonomy("service-languages", DeliveryLanguage, "languages", "slug"),
    Taxonomy("municipalities", Municipality, "municipalities", "code"),
)


def stable_id(*parts):
    """A record's id: the same parts give the same UUID in every run and language."""
    return str(uuid.uuid5(NAMESPACE, ":".join(str(part) for part in parts)))


def _compact(record):
    """The record without empty optional fields (HSDS types them as strings or numbers)."""
    return {name: value for name, value in record.items() if value not in (None, [], "")}


def _plain(html):
    return strip_tags(html or "").strip()


def _text(*parts):
    return "\n\n".join(text for text in (_plain(part) for part in parts) if text)


def paged(total, page_number, per_page, contents):
    """The paged-response shape of the HSDS API."""
    total_pages = math.ceil(total / per_page)
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page_number,
        "size": len(contents),
        "first_page": page_number == 1,
        "last_page": page_number >= total_pages,
        "empty": total == 0,
        "contents": contents,
    }


def _location_order(location):
    return (location.sort_order is None, location.sort_order or 0, location.pk)


class Feed:
    """The catalogue as the public sees it, in one language, for one request."""

    def __init__(self, locale):
        self.locale = locale
        self.language = locale.language_code
        # The feed is public: what anyone, signed in or not, may see.
        self.visibility = Visibility(None)
        self.today = timezone.localdate()

    # --- What is published --------------------------------------------------

    def services(self):
        visible = ServicePage.objects.filter(
            self.visibility.page_filter(), validity_q((CURRENT,), self.today)
        )
        return localisation.served(visible, self.locale).order_by("key", "pk")

    def organisations(self):
        visible = OrganisationPage.objects.filter(self.visibility.page_filter())
        return localisation.served(visible, self.locale).order_by("key", "pk")

    def locations(self):
        """The services' locations, each with its service and its place in the service's list."""
        position = Window(
            RowNumber(),
            partition_by=[F("page_id")],
            order_by=[F("sort_order").asc(nulls_last=True), F("pk").asc()],
        )
        return (
            ServiceLocation.objects.filter(page__in=self.services())
            .select_related("page")
            .annotate(position=position)
            .order_by("page__key", "page_id", "position")
        )

    def terms(self):
        """Every term of every taxonomy once, in the language where translated: (taxonomy, term)."""
        default = localisation.default_locale()
        found = []
        for taxonomy in TAXONOMIES:
            chosen = {}
            for term in taxonomy.model.objects.filter(locale__in=[self.locale, default]):
                if term.locale_id == self.locale.pk or term.translation_key not in chosen:
                    chosen[term.translation_key] = term
            terms = sorted(chosen.values(), key=lambda t: (getattr(t, "sort_order", 0), t.name))
            found += [(taxonomy, term) for term in terms]
        return found

    # --- Loading a page of records ------------------------------------------

    def load_services(self, pages):
        """Each service with its relations and its organisation, fetched for all at once."""
        pages = list(
            pages.prefetch_related("contacts", "locations", *(t.field for t in TAXONOMIES))
        )
        organisations = self._organisations_of(pages)
        for page in pages:
            page._feed_organisation = organisations.get(page.path[: -ServicePage.steplen])
        return pages

    def load_locations(self, locations):
        locations = list(locations)
        pages = [location.page for location in locations]
        prefetch_related_objects(pages, "contacts")
        organisations = self._organisations_of(pages)
        for location in locations:
            location.page._feed_organisation = organisations.get(
                location.page.path[: -ServicePage.steplen]
            )
        return locations

    def _organisations_of(self, pages):
        parents = {page.path[: -ServicePage.steplen] for page in pages}
        organisations = OrganisationPage.objects.filter(
            self.visibility.page_filter(), path__in=parents
        ).prefetch_related("contacts")
        return {organisation.path: organisation for organisation in organisations}

    def load_organisations(self, organisations):
        return list(organisations.prefetch_related("contacts"))

    # --- Records ------------------------------------------------------------

    def organisation(self, page, services=None):
        oid = stable_id("organization", page.key)
        identifiers = []
        if page.business_id:
            identifiers.append(
                {
                    "id": stable_id("organization", page.key, "identifier", "business_id"),
                    "organization_id": oid,
                    "identifier_scheme": "FI-PRO",
                    "identifier_type": "business_id",
                    "identifier": page.business_id,
                }
            )
        if page.ptv_id:
            identifiers.append(
                {
                    "id": stable_id("organization", page.key, "identifier", "ptv"),
                    "organization_id": oid,
                    "identifier_type": "ptv",
                    "identifier": page.ptv_id,
                }
            )
        contacts = [
            self._contact(("organization", page.key, "contact", n), contact, organization_id=oid)
            for n, contact in enumerate(page.contacts.all(), start=1)
        ]
        record = {
            "id": oid,
            "name": page.title,
            # Organisations carry no description of their own in the manual.
            "description": "",
            "website": page.website,
            "email": next((c["email"] for c in contacts if c.get("email")), None),
            "organization_identifiers": identifiers,
            "contacts": contacts,
        }
        if services is not None:
            record["services"] = [self._service_summary(service) for service in services]
        return {**_compact(record), "description": ""}

    def _contact(self, id_parts, contact, **links):
        cid = stable_id(*id_parts)
        phones = []
        if contact.phone:
            phones.append(
                {"id": stable_id(*id_parts, "phone"), "contact_id": cid, "number": contact.phone}
            )
        return _compact(
            {"id": cid, **links, "name": contact.name, "email": contact.email, "phones": phones}
        )

    def _service_summary(self, page):
        return {"id": stable_id("service", page.key), "name": page.title, "status": "active"}

    def service(self, page, full=False):
        """A service: its one-to-one fields and organisation; ``full``: all its relations."""
        sid = stable_id("service", page.key)
        organisation = page._feed_organisation
        links = tyomarkkinatori.links(page, self.language)
        contacts = [
            self._contact(("service", page.key, "contact", n), contact, service_id=sid)
            for n, contact in enumerate(page.contacts.all(), start=1)
        ]
        record = {
            "id": sid,
            "organization_id": organisation and stable_id("organization", organisation.key),
            "name": page.title,
            "description": _text(page.summary, page.description),
            # The service's own page in Työmarkkinatori, the national online service.
            "url": links[0][1] if links else None,
            "email": next((c["email"] for c in contacts if c.get("email")), None),
            "status": "active",
            "application_process": _plain(page.participation),
            "fees_description": FEES[self.language][page.free],
            "eligibility_description": _plain(page.target_group),
            "minimum_age": page.age_min,
            "maximum_age": page.age_max,
            "assured_date": page.last_reviewed_at and page.last_reviewed_at.isoformat(),
            "organization": organisation and self.organisation(organisation),
        }
        if full:
            terms = {t.field: list(getattr(page, t.field).all()) for t in TAXONOMIES}
            record.update(
                contacts=contacts,
                languages=[
                    {
                        "id": stable_id("service", page.key, "language", term.slug),
                        "service_id": sid,
                        "name": term.name,
                        "code": term.slug,
                    }
                    for term in terms["languages"]
                ],
                service_areas=[
                    _compact(
                        {
                            "id": stable_id("service", page.key, "service_area", term.code),
                            "service_id": sid,
                            "name": term.name,
                            "uri": term.national_uri,
                        }
                    )
                    for term in terms["municipalities"]
                ],
                attributes=[
                    {
                        "id": stable_id("service", page.key, "attribute", taxonomy.key, term_code),
                        "link_id": sid,
                        "link_entity": "service",
                        "taxonomy_term_id": self._term_id(taxonomy, term),
                        "taxonomy_term": self.taxonomy_term(taxonomy, term),
                    }
                    for taxonomy in TAXONOMIES
                    for term in terms[taxonomy.field]
                    for term_code in [getattr(term, taxonomy.code)]
                ],
                service_at_locations=[
                    self.service_at_location(page, location, position)
                    for position, location in enumerate(
                        sorted(page.locations.all(), key=_location_order), start=1
                    )
                ],
            )
        return _compact(record)

    def service_at_location(self, page, location, position, with_service=False):
        record = {
            "id": stable_id("service", page.key, "service_at_location", position),
            "service_id": stable_id("service", page.key),
            "location_id": stable_id("service", page.key, "location", position),
            "location": self.location(page, location, position),
        }
        if with_service:
            record["service"] = self.service(page)
        return record

    def location(self, page, location, position):
        id_parts = ("service", page.key, "location", position)
        lid = stable_id(*id_parts)
        organisation = page._feed_organisation
        addresses = []
        if location.address and location.city and location.postal_code:
            addresses.append(
                {
                    "id": stable_id(*id_parts, "address"),
                    "location_id": lid,
                    "address_1": location.address,
                    "city": location.city,
                    "state_province": REGION[self.language],
                    "postal_code": location.postal_code,
                    "country": "FI",
                    "address_type": "physical",
                }
            )
        phones = []
        if location.phone:
            phones.append(
                {"id": stable_id(*id_parts, "phone"), "location_id": lid, "number": location.phone}
            )
        contacts = []
        if location.email:
            contacts.append(
                {"id": stable_id(*id_parts, "contact"), "location_id": lid, "email": location.email}
            )
        external = (
            (location.ptv_id, "PTV") if location.ptv_id else (location.servicemap_id, "servicemap")
        )
        return _compact(
            {
                "id": lid,
                "location_type": "physical",
                "organization_id": organisation and stable_id("organization", organisation.key),
                "name": location.name,
                "latitude": location.latitude,
                "longitude": location.longitude,
                "external_identifier": external[0],
                "external_identifier_type": external[0] and external[1],
                "addresses": addresses,
                "phones": phones,
                "contacts": contacts,
                "schedules": self.schedules(id_parts, lid, location.opening_hours),
            }
        )

    def schedules(self, id_parts, location_id, opening_hours):
        """A location's opening hours (aukioloajat) as weekly RFC 5545-like schedules."""
        found = []
        for n, entry in enumerate(opening_hours or [], start=1):
            if not isinstance(entry, dict):
                continue
            common = {
                "location_id": location_id,
                "valid_from": entry.get("valid_from") or None,
                "valid_to": entry.get("valid_to") or None,
                "description": self._info(entry.get("info")),
            }
            if entry.get("is_closed"):
                description = common["description"] or CLOSED[self.language]
                found.append(
                    _compact(
                        {
                            "id": stable_id(*id_parts, "schedule", n),
                            **common,
                            "description": description,
                        }
                    )
                )
            elif entry.get("is_always_open"):
                found.append(
                    _compact(
                        {
                            "id": stable_id(*id_parts, "schedule", n),
                            **common,
                            "freq": "WEEKLY",
                            "byday": ",".join(DAYS),
                            "opens_at": "00:00",
                            "closes_at": "23:59",
                        }
                    )
                )
            else:
                for m, hours in enumerate(entry.get("hours") or [], start=1):
                    days = _days(hours.get("day_from"), hours.get("day_to"))
                    opens, closes = _time(hours.get("from")), _time(hours.get("to"))
                    if not days or not opens or not closes:
                        continue
                    found.append(
                        _compact(
                            {
                                "id": stable_id(*id_parts, "schedule", n, m),
                                **common,
                                "freq": "WEEKLY",
                                "byday": ",".join(days),
                                "opens_at": opens,
                                "closes_at": closes,
                            }
                        )
                    )
        return found

    def _info(self, info):
        """Additional information, a text or texts by language."""
        if isinstance(info, dict):
            return info.get(self.language) or info.get("fi") or None
        return info or None

    def _term_id(self, taxonomy, term):
        return stable_id("taxonomy", taxonomy.key, "term", getattr(term, taxonomy.code))

    def taxonomy(self, taxonomy):
        with translation.override(self.language):
            name = str(taxonomy.model._meta.verbose_name_plural).capitalize()
        return {
            "id": stable_id("taxonomy", taxonomy.key),
            "name": name,
            "description": f"Palvelumanuaali: {name}",
        }

    def taxonomy_term(self, taxonomy, term):
        detail = self.taxonomy(taxonomy)
        return _compact(
            {
                "id": self._term_id(taxonomy, term),
                "code": getattr(term, taxonomy.code),
                "name": term.name,
                "taxonomy": detail["name"],
                "taxonomy_id": detail["id"],
                "language": localisation.locale_by_id(term.locale_id).language_code,
                # The national classification the term stands for (uri.suomi.fi).
                "term_uri": term.national_uri,
            }
        ) | {"description": ""}


def _days(day_from, day_to):
    """The two-letter days from ``day_from`` to ``day_to`` (names, codes or 1–7 from Monday)."""
    start, end = _day(day_from), _day(day_to)
    if start is None:
        return []
    end = start if end is None else end
    return [DAYS[(start + offset) % 7] for offset in range((end - start) % 7 + 1)]


def _day(value):
    if value is None or value == "":
        return None
    text = str(value).strip().lower()
    if text.isdigit():
        number = int(text)
        return number - 1 if 1 <= number <= 7 else None
    for index, (code, name) in enumerate(zip(DAYS, DAY_NAMES, strict=True)):
        if text in (code.lower(), name, name[:3]):
            return index
    return None


def _time(value):
    """``HH:MM`` of ``H:MM``, ``HH:MM`` or ``HH:MM:SS``; None for anything else."""
    parts = str(value or "").split(":")
    if len(parts) < 2 or not all(part.isdigit() for part in parts[:2]):
        return None
    hours, minutes = int(parts[0]), int(parts[1])
    if hours > 24 or minutes > 59:
        return None
    return f"{hours:02d}:{minutes:02d}"

"""The floor of the delivery benchmarks: the canonical queries' data, hand-written with the ORM.

What the data costs without an API: live public pages in the locale,
taxonomies prefetched, organisations by parent path, facets as grouped
counts, serialised with json.dumps. ``scripts/bench_graphql.py`` measures
GraphQL against it, and tests/cms/test_benchmark_floor.py checks that it
returns what GraphQL returns, so the ratio compares like with like.
Needs a configured Django (``django.setup()``).
"""

import json
from collections import Counter, defaultdict

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, ExpressionWrapper, F, FloatField, Prefetch, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Page
from wagtail.rich_text import expand_db_html
from wagtail.search.backends import get_search_backend

from catalogue.models import (
    DeliveryLanguage,
    DeliveryMethod,
    LifeSituation,
    Municipality,
    OrganisationPage,
    ServiceAttachment,
    ServiceCategory,
    ServicePage,
)
from guides.models import InstructionAttachment, ProcessInstructionPage
from search.filters import AUDIENCE_LABELS, BOOLEAN_LABELS, CURRENT, validity_q


def dumps(data):
    return json.dumps(data, default=lambda value: value.isoformat()).encode()  # dates


def contacts(related):
    return [{"name": c.name, "email": c.email, "phone": c.phone} for c in related.all()]


def documents(attachments, *names):
    return [
        {"document": {"id": str(a.document.pk)} | {n: getattr(a.document, n) for n in names}}
        for a in attachments.all()
    ]


class Floor:
    """The same data as each GraphQL document, hand-written with the ORM: no API in between."""

    # A taxonomy's field on ServicePage and the identifying field of its terms.
    TAXONOMIES = {
        "categories": "slug",
        "life_situations": "slug",
        "municipalities": "code",
        "methods": "slug",
        "languages": "slug",
    }
    LISTED = ("categories", "municipalities", "methods", "languages")  # what list items show
    SERVICE_TEXT = ("description", "target_group", "implementation", "participation")
    INSTRUCTION_TEXT = (
        "guidance",
        "participation",
        "statements_and_benefits",
        "client_records",
        "supplementary",
        "internal_contacts",
    )

    def __init__(self, locale):
        self.locale = locale
        self.steplen = ServicePage.steplen

    def parent_path(self, page):
        return page.path[: -self.steplen]

    def organisations(self, pages, *names):
        parents = {self.parent_path(page) for page in pages}
        rows = OrganisationPage.objects.filter(path__in=parents).values("path", *names)
        return {row.pop("path"): row for row in rows}

    def available_locales(self, visible, pages):
        keys = {page.translation_key for page in pages}
        rows = visible.filter(translation_key__in=keys).values_list(
            "translation_key", "locale__language_code"
        )
        available = defaultdict(list)
        for key, code in rows:
            available[key].append(code)
        return available

    def terms(self, page, name):
        key = self.TAXONOMIES[name]
        return [{key: getattr(term, key), "name": term.name} for term in getattr(page, name).all()]

    def in_municipality(self, visible, code):
        running = validity_q((CURRENT,), timezone.localdate())
        return visible.filter(running, locale=self.locale, municipalities__code=code)

    @staticmethod
    def ranked(services):
        """The relevance order when there is neither search text nor a filter list of two
        values or more: priority and effectiveness weighed as settings.SERVICE_RANKING says."""
        weights = settings.SERVICE_RANKING
        rank = weights["priority"] * F("priority") + weights["effectiveness"] * Coalesce(
            "effectiveness", 0
        )
        rank = ExpressionWrapper(rank, FloatField())
        return services.annotate(rank=rank).order_by("-rank", "title", "path")

    def term_facets(self, services, names):
        """Services per term of each taxonomy, in the taxonomy's order: one grouped query each."""
        pks = services.values("pk")
        facets = {}
        for name in names:
            m2m = ServicePage._meta.get_field(name)
            page, term = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
            rows = (
                m2m.remote_field.through.objects.filter(**{f"{page}__in": pks})
                .values_list(f"{term}__{self.TAXONOMIES[name]}", f"{term}__name")
                .annotate(count=Count(page))
                .order_by(*(f"{term}__{o}" for o in m2m.related_model._meta.ordering))
            )
            facets[name] = [{"value": v, "label": label, "count": n} for v, label, n in rows]
        return facets

    def flag_facets(self, services):
        """Audience, free and accessible from one grouped query, whose sum is the total count."""
        counts = {"audience": Counter(), "free": Counter(), "accessible": Counter()}
        rows = services.order_by().values_list("audience", "free", "accessible")
        for audience, free, accessible, n in rows.annotate(n=Count("pk")):
            counts["audience"][audience] += n
            counts["free"][free] += n
            counts["accessible"][accessible] += n
        facets = {
            "audience": [
                {"value": value.upper(), "label": str(label), "count": counts["audience"][value]}
                for value, label in AUDIENCE_LABELS.items()
                if counts["audience"][value]
            ]
        }
        for flag, labels in BOOLEAN_LABELS.items():
            facets[flag] = [
                {
                    "value": str(value).lower(),
                    "label": str(labels[value]),
                    "count": counts[flag][value],
                }
                for value in (True, False)
                if counts[flag][value]
            ]
        return sum(counts["free"].values()), facets

    def organisation_facet(self, services):
        counts = Counter(p[: -self.steplen] for p in services.values_list("path", flat=True))
        rows = OrganisationPage.objects.filter(path__in=counts).values_list("path", "key", "title")
        buckets = [{"value": key, "label": title, "count": counts[p]} for p, key, title in rows]
        return sorted(buckets, key=lambda bucket: (-bucket["count"], bucket["label"].casefold()))

    # One method per canonical document.

    def service_list(self, code):
        visible = ServicePage.objects.live().public()
        services = self.in_municipality(visible, code)
        total, facets = self.flag_facets(services)
        window = list(
            self.ranked(services).select_related("locale").prefetch_related(*self.LISTED)[:20]
        )
        organisations = self.organisations(window, "key", "title")
        available = self.available_locales(visible, window)
        items = [
            {
                "id": str(page.pk),
                "key": page.key,
                "title": page.title,
                "summary": page.summary,
                "url": page.url,
                "locale": page.locale.language_code,
                "availableLocales": sorted(available[page.translation_key]),
                "audience": page.audience,
                "free": page.free,
                "accessible": page.accessible,
                "ageMin": page.age_min,
                "ageMax": page.age_max,
                "organisation": organisations.get(self.parent_path(page)),
                **{name: self.terms(page, name) for name in self.LISTED},
            }
            for page in window
        ]
        facets |= self.term_facets(services, self.TAXONOMIES)
        facets["organisations"] = self.organisation_facet(services)
        locale = self.locale.language_code
        return dumps({"totalCount": total, "locale": locale, "items": items, "facets": facets})

    def municipality_page(self, code):
        municipalities = list(
            Municipality.objects.filter(locale=self.locale).values("code", "name")
        )
        services = self.in_municipality(ServicePage.objects.live().public(), code)
        total, flags = self.flag_facets(services)
        window = list(self.ranked(services).select_related("locale")[:10])
        organisations = self.organisations(window, "title")
        items = [
            {
                "key": page.key,
                "title": page.title,
                "summary": page.summary,
                "url": page.url,
                "locale": page.locale.language_code,
                "organisation": organisations.get(self.parent_path(page)),
            }
            for page in window
        ]
        facets = self.term_facets(services, ["categories", "life_situations"])
        facets["audience"] = flags["audience"]
        return dumps(
            {
                "municipalities": municipalities,
                "services": {"totalCount": total, "facets": facets, "items": items},
            }
        )

    def service_detail(self, key, expert=False):
        visible = ServicePage.objects.live().public()
        page = (
            visible.filter(locale=self.locale, key=key)
            .select_related("locale")
            .prefetch_related(
                *self.TAXONOMIES,
                "contacts",
                "links",
                "locations",
                Prefetch("attachments", ServiceAttachment.objects.select_related("document")),
            )
            .get()
        )
        organisation = OrganisationPage.objects.prefetch_related("contacts").get(
            path=self.parent_path(page)
        )
        available = self.available_locales(visible, [page])[page.translation_key]
        data = {
            "id": str(page.pk),
            "key": page.key,
            "title": page.title,
            "locale": page.locale.language_code,
            "availableLocales": sorted(available),
            "url": page.url,
            "lastPublishedAt": page.last_published_at,
            "summary": page.summary,
            "keywords": page.keywords,
            "audience": page.audience,
            "ageMin": page.age_min,
            "ageMax": page.age_max,
            "free": page.free,
            "accessible": page.accessible,
            "priority": page.priority,
            "effectiveness": page.effectiveness,
            "validFrom": page.valid_from,
            "validUntil": page.valid_until,
            "lastReviewedAt": page.last_reviewed_at,
            **{name: expand_db_html(getattr(page, name)) for name in self.SERVICE_TEXT},
            "organisation": {
                "key": organisation.key,
                "title": organisation.title,
                "website": organisation.website,
                "contacts": contacts(organisation.contacts),
            },
            **{name: self.terms(page, name) for name in self.TAXONOMIES},
            "contacts": contacts(page.contacts),
            "links": [{"title": link.title, "url": link.url} for link in page.links.all()],
            "locations": [
                {
                    "name": place.name,
                    "address": place.address,
                    "postalCode": place.postal_code,
                    "city": place.city,
                    "latitude": place.latitude,
                    "longitude": place.longitude,
                }
                for place in page.locations.all()
            ],
            "attachments": documents(page.attachments, "title", "url", "file_size"),
            # Anonymous callers never see instructions: no query needed.
            "instructions": self.instructions(page) if expert else [],
        }
        return dumps(data)

    def instructions(self, service):
        # The expert passes the internal section's view restriction: nothing to exclude.
        found = (
            ProcessInstructionPage.objects.live()
            .filter(service__translation_key=service.translation_key, locale=service.locale)
            .prefetch_related(
                "municipalities",
                Prefetch("attachments", InstructionAttachment.objects.select_related("document")),
            )
            .order_by("title")
        )
        return [
            {
                "id": str(instruction.pk),
                "key": instruction.key,
                "title": instruction.title,
                "locale": service.locale.language_code,
                "municipalities": self.terms(instruction, "municipalities"),
                **{
                    name: expand_db_html(getattr(instruction, name))
                    for name in self.INSTRUCTION_TEXT
                },
                "attachments": documents(instruction.attachments, "title", "url"),
            }
            for instruction in found
        ]

    def site_search(self, text):
        """One backend search over live public pages and one over documents, merged by score."""
        backend = get_search_backend()
        pages = Page.objects.live().public().filter(locale=self.locale)
        page_hits = list(backend.search(text, pages, operator="or").annotate_score("_score"))
        hidden_paths = CollectionViewRestriction.objects.values_list("collection__path", flat=True)
        hidden = set()
        if hidden_paths:  # (an empty Q would match every collection)
            subtrees = Q.create([("path__startswith", p) for p in hidden_paths], connector=Q.OR)
            hidden = set(Collection.objects.filter(subtrees).values_list("pk", flat=True))
        document_hits = [
            document
            for document in backend.search(
                text, get_document_model().objects.all(), operator="or"
            ).annotate_score("_score")
            if document.collection_id not in hidden
        ]
        hits = sorted(page_hits + document_hits, key=lambda hit: -(hit._score or 0))[:20]
        specific = Page.objects.filter(pk__in=[h.pk for h in hits if isinstance(h, Page)])
        specific = {page.pk: page for page in specific.specific()}
        organisations = self.organisations(
            [page for page in specific.values() if isinstance(page, ServicePage)], "title"
        )
        items = []
        for hit in hits:
            if not isinstance(hit, Page):
                document = {"id": str(hit.pk), "fileSize": hit.file_size}
                items.append({"kind": "ATTACHMENT", "title": hit.title, "document": document})
                continue
            page = specific[hit.pk]
            item = {"id": str(page.pk), "locale": self.locale.language_code}
            if isinstance(page, ServicePage):
                item |= {
                    "summary": page.summary,
                    "organisation": organisations.get(self.parent_path(page)),
                }
            items.append(
                {
                    "kind": type(page).__name__,
                    "key": getattr(page, "key", None),
                    "title": page.title,
                    "url": page.url,
                    "excerpt": getattr(page, "summary", ""),
                    "page": item,
                }
            )
        kinds = Counter(ContentType.objects.get_for_id(h.content_type_id).model for h in page_hits)
        kinds["document"] = len(document_hits)
        return dumps(
            {
                "totalCount": len(page_hits) + len(document_hits),
                "kindCounts": [{"kind": kind, "count": n} for kind, n in kinds.items()],
                "items": items,
            }
        )

    def taxonomies(self):
        in_locale = {"locale": self.locale}
        municipalities = Municipality.objects.filter(**in_locale).select_related("employment_area")
        return dumps(
            {
                "municipalities": [
                    {
                        "code": m.code,
                        "name": m.name,
                        "employmentArea": {
                            "code": m.employment_area.code,
                            "name": m.employment_area.name,
                        },
                    }
                    for m in municipalities
                ],
                "serviceCategories": list(
                    ServiceCategory.objects.filter(**in_locale).values(
                        "slug", "name", "national_uri"
                    )
                ),
                "lifeSituations": list(
                    LifeSituation.objects.filter(**in_locale).values("slug", "name", "national_uri")
                ),
                "methods": list(DeliveryMethod.objects.filter(**in_locale).values("slug", "name")),
                "serviceLanguages": list(
                    DeliveryLanguage.objects.filter(**in_locale).values("slug", "name")
                ),
            }
        )


# --- The run ------------------------------------------------------------------------

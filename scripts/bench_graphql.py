"""Benchmark of GraphQL delivery (not a test): ``.venv/bin/python scripts/bench_graphql.py``.

Runs the frontends' canonical query documents (graphql/queries/) in-process
through django.test.Client and reports for each the p50 and p95 latency over
``--runs`` requests after a warm-up, and the SQL queries per request. Beside
each, measured in the same run, the same data fetched two other ways:

- the floor: hand-written Django ORM queries (live public pages in the locale,
  taxonomies prefetched, organisations by parent path, facets as grouped
  counts) serialised with json.dumps: what the data costs without an API;
- Wagtail's REST API v2 (``wagtail.api.v2``) with ``api_fields`` set here.
  The product does not mount v2 (its documents endpoint ignores collection
  view restrictions), so only this process installs it, under /api/v2/. v2
  cannot filter services by municipality code, compute facets or serve
  snippets, so each REST row fetches the closest equivalent (listed under the
  table); Taxonomies has none.

The variants of a query take turns request by request, so that noise from
other work on the machine falls on each alike. Everything is read in the
locale ``fi`` (the catalogue's source language), so the floor needs no
translation fallback.

Data: the configured database (DATABASE_URL; by default var/db.sqlite3, as
``make run`` leaves it). ``--database-url`` points the run elsewhere, e.g. at
a copy: ``--database-url sqlite:////tmp/bench.sqlite3``. A database without
services is first migrated and given the demo content (``load_demo``, about
90 s on SQLite), which is kept. The measurements run in one transaction that
is rolled back, so the signed-in expert (a user created for the run) and its
session leave nothing behind. With ELASTICSEARCH_URL set, searches go to
Elasticsearch, as in production.
"""

# Django is configured from the command line (--database-url) before its modules are imported.
# ruff: noqa: E402

import argparse
import json
import logging
import math
import os
import re
import statistics
import sys
import time
import types
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "graphql" / "queries"
URLCONF = "bench_graphql_urls"  # a module made by install_urlconf()
LOCALE = "fi"
HOST = "localhost"  # in the default ALLOWED_HOSTS


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="measured requests per variant (30)")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured requests first (3)")
    parser.add_argument(
        "--database-url",
        help="database to use instead of DATABASE_URL (itself defaulting to var/db.sqlite3), "
        "e.g. sqlite:////tmp/bench.sqlite3 for a copy",
    )
    parser.add_argument("--municipality", default="049", help="municipality code (049, Espoo)")
    parser.add_argument(
        "--service",
        help="key of the ServiceDetail service; none: the first one with a process instruction",
    )
    parser.add_argument("--search", default="palkkatuki", help="SiteSearch text (palkkatuki)")
    args = parser.parse_args()
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be at least 1 and --warmup not negative")
    return args


ARGS = parse_args()
if ARGS.database_url:
    os.environ["DATABASE_URL"] = ARGS.database_url
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
# The runtime settings refuse to start without a secret key; here it signs
# nothing but the benchmark's own session cookie, inside this process.
os.environ.setdefault("SECRET_KEY", "bench-graphql-in-process-only")

import django
from benchlib import QueryCounter, ensure_demo_content, ratio  # noqa: E402  (scripts/)
from django.conf import settings

settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "wagtail.api.v2", "rest_framework"]
settings.ROOT_URLCONF = URLCONF
django.setup()

from django.db import connection, transaction
from django.test import Client
from django.urls import include, path
from floor import Floor  # scripts/; needs Django set up
from rest_framework import serializers
from wagtail.api import APIField
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents import get_document_model
from wagtail.models import Locale

from catalogue.models import (
    DeliveryLanguage,
    DeliveryMethod,
    LifeSituation,
    Municipality,
    OrganisationPage,
    ServiceAttachment,
    ServiceCategory,
    ServiceContact,
    ServiceLink,
    ServiceLocation,
    ServicePage,
)
from guides.models import InstructionAttachment, ProcessInstructionPage
from people.users import add_user

# --- REST API v2, in this process only --------------------------------------------


def install_urlconf():
    router = WagtailAPIRouter("wagtailapi")
    router.register_endpoint("pages", PagesAPIViewSet)
    urlconf = types.ModuleType(URLCONF)
    # Before cms.urls: Wagtail's page serving at its end catches every other path.
    urlconf.urlpatterns = [path("api/v2/", router.urls), path("", include("cms.urls"))]
    sys.modules[URLCONF] = urlconf


class OrganisationField(serializers.Field):
    """A service's provider: its parent page. v2 has no prefetch hook, so one query per page."""

    def __init__(self):
        super().__init__(source="*", read_only=True)

    def to_representation(self, page):
        parent = OrganisationPage.objects.filter(path=page.path[: -page.steplen])
        return parent.values("key", "title", "website").first()


def add_api_fields():
    """The ``api_fields`` the REST rows ask for; the product's models declare none."""

    def fields(names):
        return [APIField(name) for name in names.split()]

    ServicePage.api_fields = [
        *fields(
            "key last_published_at summary description keywords audience target_group age_min "
            "age_max free accessible implementation participation priority effectiveness "
            "valid_from valid_until last_reviewed_at categories life_situations municipalities "
            "methods languages contacts links locations attachments"
        ),
        APIField("organisation", serializer=OrganisationField()),
    ]
    for model in (ServiceCategory, LifeSituation, DeliveryMethod, DeliveryLanguage):
        model.api_fields = fields("slug name")
    Municipality.api_fields = fields("code name")
    ServiceContact.api_fields = fields("name email phone")
    ServiceLink.api_fields = fields("title url")
    ServiceLocation.api_fields = fields("name address postal_code city latitude longitude")
    ServiceAttachment.api_fields = InstructionAttachment.api_fields = fields("document")
    get_document_model().api_fields = fields("title url file_size")
    ProcessInstructionPage.api_fields = fields(
        "key service municipalities guidance participation statements_and_benefits "
        "client_records supplementary internal_contacts attachments"
    )


# --- Measuring --------------------------------------------------------------------


@dataclass
class Variant:
    """One way of fetching a query's data; ``fetch`` returns the response body."""

    name: str
    fetch: object
    note: str = ""  # what it fetches instead, when not the same data
    seconds: list = field(default_factory=list)
    queries: list = field(default_factory=list)
    size: int = 0

    def p50(self):
        return statistics.median(self.seconds)

    def p95(self):
        ordered = sorted(self.seconds)
        return ordered[math.ceil(0.95 * len(ordered)) - 1]  # nearest rank

    def query_count(self):
        low, high = min(self.queries), max(self.queries)
        return str(low) if low == high else f"{low}–{high}"


@dataclass
class Scenario:
    name: str
    variants: list

    def variant(self, name):
        return next((v for v in self.variants if v.name == name), None)


def measure(scenario, runs, warmup):
    for index in range(warmup + runs):
        for variant in scenario.variants:
            counter = QueryCounter()
            with connection.execute_wrapper(counter):
                started = time.perf_counter()
                body = variant.fetch()
                seconds = time.perf_counter() - started
            if index >= warmup:
                variant.seconds.append(seconds)
                variant.queries.append(counter.count)
                variant.size = len(body)


# --- GraphQL and REST requests ------------------------------------------------------


def graphql(client, operation, variables):
    """A canonical document, by operation name, POSTed to /graphql/ as a frontend does."""
    pattern = re.compile(rf"\bquery {operation}\b")
    texts = [p.read_text() for p in sorted(QUERIES.glob("*.graphql"))]
    document = next(text for text in texts if pattern.search(text))
    payload = json.dumps({"query": document, "operationName": operation, "variables": variables})

    def fetch():
        response = client.post("/graphql/", payload, content_type="application/json")
        body = response.content
        if response.status_code != 200 or b'"errors":' in body:
            sys.exit(f"{operation} failed ({response.status_code}): {body[:500].decode()}")
        return body

    return fetch


def rest(client, *urls):
    """GETs to the REST API v2; several URLs make one client-side view (detail + instructions)."""

    def fetch():
        bodies = []
        for url in urls:
            response = client.get(url, HTTP_ACCEPT="application/json")
            if response.status_code != 200:
                sys.exit(f"GET {url} failed ({response.status_code}): {response.content[:500]}")
            bodies.append(response.content)
        return b"".join(bodies)

    fetch.urls = urls  # for the report
    return fetch


# --- The floor ----------------------------------------------------------------------


def detail_service(locale, key):
    """The ServiceDetail rows' service: the one asked for, or else the first (by key) with a
    live process instruction, so that the expert's row has instructions to fetch."""
    services = ServicePage.objects.live().filter(locale=locale)
    if not key:
        with_instructions = ProcessInstructionPage.objects.live().filter(service__in=services)
        key = with_instructions.order_by("service__key").values_list("service__key", flat=True)
        key = key.first() or services.order_by("key").values_list("key", flat=True).first()
    service = services.filter(key=key).first()
    if service is None:
        sys.exit(f"No live service with key {key!r} in locale {locale.language_code}.")
    return service


def scenarios(anonymous, expert, service):
    floor = Floor(service.locale)
    code, text = ARGS.municipality, ARGS.search
    listing = f"/api/v2/pages/?type=catalogue.ServicePage&locale={LOCALE}"
    list_fields = (
        "_,id,title,html_url,locale,key,summary,audience,free,accessible,age_min,age_max,"
        "organisation,categories(_,slug,name),municipalities(_,code,name),"
        "methods(_,slug,name),languages(_,slug,name)"
    )
    detail = (
        f"/api/v2/pages/{service.pk}/?rich_text_format=html&fields=categories(_,slug,name),"
        "life_situations(_,slug,name),municipalities(_,code,name),methods(_,slug,name),"
        "languages(_,slug,name),attachments(document(title,url,file_size))"
    )
    instructions = (
        f"/api/v2/pages/?type=guides.ProcessInstructionPage&service={service.pk}"
        f"&locale={LOCALE}&rich_text_format=html&fields=_,id,title,locale,key,"
        "municipalities(_,code,name),guidance,participation,statements_and_benefits,"
        "client_records,supplementary,internal_contacts,attachments(document(title,url))"
    )
    search = "/api/v2/pages/?" + urlencode({"search": text, "locale": LOCALE, "limit": 20})
    detail_variables = {"key": service.key, "locale": LOCALE}
    return [
        Scenario(
            f"ServiceList {code}",
            [
                Variant(
                    "GraphQL",
                    graphql(
                        anonymous,
                        "ServiceList",
                        {"locale": LOCALE, "filter": {"municipalities": [code]}},
                    ),
                ),
                Variant("ORM floor", lambda: floor.service_list(code)),
                Variant(
                    "REST v2",
                    rest(anonymous, f"{listing}&limit=20&fields={list_fields}"),
                    "the first 20 of all services (no municipality filter), no facets",
                ),
            ],
        ),
        Scenario(
            "ServiceDetail anonymous",
            [
                Variant("GraphQL", graphql(anonymous, "ServiceDetail", detail_variables)),
                Variant("ORM floor", lambda: floor.service_detail(service.key)),
                Variant(
                    "REST v2",
                    rest(anonymous, detail),
                    "by page id, looked up beforehand; no availableLocales, no organisation "
                    "contacts",
                ),
            ],
        ),
        Scenario(
            "ServiceDetail expert",
            [
                Variant("GraphQL", graphql(expert, "ServiceDetail", detail_variables)),
                Variant("ORM floor", lambda: floor.service_detail(service.key, expert=True)),
                Variant(
                    "REST v2",
                    rest(expert, detail, instructions),
                    "as anonymous, then the instructions in a second request",
                ),
            ],
        ),
        Scenario(
            f"MunicipalityPage {code}",
            [
                Variant(
                    "GraphQL",
                    graphql(anonymous, "MunicipalityPage", {"code": code, "locale": LOCALE}),
                ),
                Variant("ORM floor", lambda: floor.municipality_page(code)),
                Variant(
                    "REST v2",
                    rest(
                        anonymous,
                        f"{listing}&limit=10&fields=_,title,html_url,locale,key,summary,"
                        "organisation",
                    ),
                    "the first 10 of all services, no facets, no municipality list "
                    "(no snippet endpoint)",
                ),
            ],
        ),
        Scenario(
            f"SiteSearch {text!r}",
            [
                Variant(
                    "GraphQL", graphql(anonymous, "SiteSearch", {"query": text, "locale": LOCALE})
                ),
                Variant("ORM floor", lambda: floor.site_search(text)),
                Variant(
                    "REST v2",
                    rest(anonymous, search),
                    "pages' titles and URLs only: no summaries, excerpts, kind counts nor "
                    "documents",
                ),
            ],
        ),
        Scenario(
            "Taxonomies",
            [
                Variant("GraphQL", graphql(anonymous, "Taxonomies", {"locale": LOCALE})),
                Variant("ORM floor", floor.taxonomies),
            ],
        ),
    ]


def report(measured):
    runs = f"{ARGS.runs} run{'s' if ARGS.runs > 1 else ''}"
    print(f"\n{runs} per variant after {ARGS.warmup} warm-up, variants interleaved\n")
    print(f"{'query':<28} {'variant':<10} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'KB':>6}")
    for scenario in measured:
        for index, variant in enumerate(scenario.variants):
            print(
                f"{scenario.name if index == 0 else '':<28} {variant.name:<10} "
                f"{variant.p50() * 1000:8.1f} {variant.p95() * 1000:8.1f} "
                f"{variant.query_count():>8} {variant.size / 1024:6.1f}"
            )

    print(f"\n{'':<28} {'GraphQL / ORM floor':>26} {'GraphQL / REST v2':>26}")
    print(f"{'query':<28}" + f"{'p50':>8} {'p95':>8} {'queries':>8}" * 2)
    for scenario in measured:
        ours = scenario.variant("GraphQL")
        line = f"{scenario.name:<28}"
        for other in (scenario.variant("ORM floor"), scenario.variant("REST v2")):
            if other is None:
                line += f"{'—':>8} {'—':>8} {'—':>8}"
                continue
            line += (
                f"{ratio(ours.p50(), other.p50()):>8} {ratio(ours.p95(), other.p95()):>8} "
                f"{ours.query_count() + '/' + other.query_count():>8}"
            )
        print(line)

    print(
        "\nREST v2 is mounted only in this process (the product does not serve it), with "
        "api_fields set here.\nIt cannot filter by municipality code, compute facets or "
        "serve snippets; each REST row fetches\nthe closest equivalent:"
    )
    for scenario in measured:
        api = scenario.variant("REST v2")
        print(f"  {scenario.name}: {api.note if api else 'no REST v2 equivalent'}")
        for url in api.fetch.urls if api else ():
            print(f"    GET {re.sub(r'fields=[^&]*', 'fields=…', url)}")


class Rollback(Exception):
    pass


def main():
    install_urlconf()
    add_api_fields()
    # Wagtail logs every page save at INFO, which would bury the table while demo content loads.
    logging.getLogger("wagtail").setLevel(logging.WARNING)
    # WhiteNoise warns when static files were never collected; the benchmark asks for none.
    warnings.filterwarnings("ignore", message="No directory at")
    ensure_demo_content()

    search = "Elasticsearch" if settings.ELASTICSEARCH_URL else "database search"
    print(f"database: {connection.vendor} {settings.DATABASES['default']['NAME']}, {search}")
    if settings.DEBUG:
        print("DEBUG is on: Django records every query, which inflates every timing.")
    if not Municipality.objects.filter(code=ARGS.municipality).exists():
        sys.exit(f"No municipality with code {ARGS.municipality!r}.")
    locale = Locale.objects.get(language_code=LOCALE)
    service = detail_service(locale, ARGS.service)
    services = ServicePage.objects.live().filter(locale=locale)
    print(
        f"content: {services.count()} live services in {LOCALE}, "
        f"{services.filter(municipalities__code=ARGS.municipality).count()} of them in "
        f"municipality {ARGS.municipality}; ServiceDetail of {service.key!r} (page {service.pk})"
    )
    try:
        with transaction.atomic():
            anonymous, expert = Client(HTTP_HOST=HOST), Client(HTTP_HOST=HOST)
            expert.force_login(add_user("bench-expert@example.invalid", "expert").user)
            measured = scenarios(anonymous, expert, service)
            for scenario in measured:
                print(f"measuring {scenario.name} …", flush=True)
                measure(scenario, ARGS.runs, ARGS.warmup)
            raise Rollback
    except Rollback:
        pass
    report(measured)


if __name__ == "__main__":
    main()

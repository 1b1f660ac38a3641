"""Benchmark of delivery search (not a test): ``.venv/bin/python scripts/bench_search.py``.

On a generated catalogue of ``--services`` services (5,000 by default), each
in Finnish, Swedish and English, it measures:

- a full reindex (``search.index.rebuild()``), beside the floor of building
  the same index documents without Elasticsearch, and the index size from
  Elasticsearch's ``_stats`` beside the JSON size of those documents;
- for Finnish, Swedish and English texts, with and without municipality and
  category filters and facets: p50 and p95 of ``siteSearch`` and ``services``
  through GraphQL (the canonical documents of graphql/queries/, POSTed
  in-process with django.test.Client), and the SQL queries per request;
- beside each, the raw Elasticsearch query: the very request body that the
  GraphQL request sent (captured from search.backends.elasticsearch, so no query
  logic is repeated here), sent again with one long-lived client. Its
  ``took`` is the server's time; its round trip adds the HTTP and JSON work
  of the Python client. The GraphQL request and the raw query take turns, so
  that noise from other work on the machine falls on both alike.

Data: never the developer's. By default a PostgreSQL database named
``bench_search_<name>`` beside the one DATABASE_URL names (``--database-url``
for another), created when missing, and Elasticsearch indices under the
prefix ``bench_search_``. A catalogue that already has ``--services``
Finnish services is reused; otherwise the demo generator (exchange.demo,
``all_languages``) imports one through the exchange import path, which
takes minutes for thousands of services. Both are kept for the next run;
``--drop`` removes them at the end. Needs DATABASE_URL (PostgreSQL) and
ELASTICSEARCH_URL: ``eval "$(deploy/local-services.sh env)"``.
"""

# Django is configured from the command line (database, index prefix) before its modules load.
# ruff: noqa: E402

import argparse
import json
import logging
import math
import os
import re
import shutil
import statistics
import sys
import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "graphql" / "queries"
HOST = "localhost"  # in the default ALLOWED_HOSTS
DEVELOPER_PREFIX = "palvelumanuaali_"  # settings' default ELASTICSEARCH_INDEX_PREFIX


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=5000, help="services (5000)")
    parser.add_argument("--organisations", type=int, default=150, help="organisations (150)")
    parser.add_argument("--runs", type=int, default=30, help="measured requests per query (30)")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured requests first (3)")
    parser.add_argument(
        "--database-url",
        help="PostgreSQL database for the benchmark, created when missing "
        "(default: bench_search_<name> beside DATABASE_URL's)",
    )
    parser.add_argument(
        "--index-prefix", default="bench_search_", help="Elasticsearch index prefix (bench_search_)"
    )
    parser.add_argument(
        "--drop", action="store_true", help="drop the database and indices at the end"
    )
    args = parser.parse_args()
    if args.services < 1 or args.runs < 1 or args.warmup < 0:
        parser.error("--services and --runs must be at least 1, --warmup not negative")
    if not os.environ.get("ELASTICSEARCH_URL"):
        parser.error('ELASTICSEARCH_URL is not set: eval "$(deploy/local-services.sh env)"')
    if args.index_prefix in ("", DEVELOPER_PREFIX, os.environ.get("ELASTICSEARCH_INDEX_PREFIX")):
        parser.error(f"--index-prefix {args.index_prefix!r} would share the developer's indices")
    developer_url = os.environ.get("DATABASE_URL", "")
    if not args.database_url:
        if not developer_url.startswith(("postgres://", "postgresql://")):
            parser.error("DATABASE_URL must name a PostgreSQL database (or pass --database-url)")
        name = urlsplit(developer_url).path.lstrip("/")
        args.database_url = urlsplit(developer_url)._replace(path=f"/bench_search_{name}").geturl()
    elif not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--database-url must name a PostgreSQL database")
    if developer_url and database_key(args.database_url) == database_key(developer_url):
        parser.error("the benchmark generates content: give it a database of its own")
    return args


def database_key(url):
    parts = urlsplit(url)
    return parts.hostname, parts.port or 5432, parts.path.lstrip("/")


@contextmanager
def maintenance_connection(url):
    """An autocommit connection to the server's ``postgres`` database, for CREATE/DROP DATABASE."""
    with psycopg.connect(urlsplit(url)._replace(path="/postgres").geturl(), autocommit=True) as c:
        yield c


def ensure_database(url):
    name = urlsplit(url).path.lstrip("/")
    with maintenance_connection(url) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if found.fetchone() is None:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


ARGS = parse_args()
ensure_database(ARGS.database_url)
os.environ["DATABASE_URL"] = ARGS.database_url
os.environ["ELASTICSEARCH_INDEX_PREFIX"] = ARGS.index_prefix
# The demo's attachments are files; they live beside the database they belong to.
MEDIA_ROOT = ROOT / "var" / urlsplit(ARGS.database_url).path.lstrip("/")
os.environ["MEDIA_STORAGE"] = "local"
os.environ["MEDIA_ROOT"] = str(MEDIA_ROOT / "media")
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
# The runtime settings refuse to start without a secret key; this process signs nothing.
os.environ.setdefault("SECRET_KEY", "bench-search-in-process-only")

import django
from benchlib import QueryCounter, ratio  # noqa: E402  (scripts/)

django.setup()

from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from graphql import FragmentDefinitionNode, OperationDefinitionNode, parse, print_ast
from wagtail.models import Page

from catalogue.models import ServicePage
from exchange.demo import load_demo
from search import index

# --- Measuring --------------------------------------------------------------------


def p50(values):
    return statistics.median(values)


def p95(values):
    ordered = sorted(values)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]  # nearest rank


def ms(seconds):
    return f"{seconds * 1000:8.1f}"


@dataclass
class SearchCall:
    request: dict  # keyword arguments of Elasticsearch.search(), the body among them
    seconds: float  # client creation + round trip, as the Elasticsearch engine makes the call
    total: int  # hits


class RecordingClient:
    """Stands in for ``search.index.client()`` during GraphQL requests: makes the same call
    on a client made as the Elasticsearch engine makes it, and keeps the request and its times."""

    def __init__(self, make_client, calls):
        self.make_client = make_client
        self.calls = calls

    def search(self, **request):
        started = time.perf_counter()
        response = self.make_client().search(**request)
        seconds = time.perf_counter() - started
        total = response["hits"]["total"]["value"]
        self.calls.append(SearchCall(request, seconds, total))
        return response


@contextmanager
def recording(calls):
    make_client = index.client
    index.client = lambda: RecordingClient(make_client, calls)
    try:
        yield
    finally:
        index.client = make_client


# --- The queries ------------------------------------------------------------------


def canonical(operation):
    """A frontend's query document from graphql/queries/, by operation name."""
    pattern = re.compile(rf"\bquery {operation}\b")
    texts = [p.read_text() for p in sorted(QUERIES.glob("*.graphql"))]
    return next(text for text in texts if pattern.search(text))


def without_facets(document):
    """ServiceList without its ``facets`` selection (and the fragment only facets use)."""
    tree = parse(document)
    operation = next(d for d in tree.definitions if isinstance(d, OperationDefinitionNode))
    services = operation.selection_set.selections[0]
    services.selection_set.selections = tuple(
        s for s in services.selection_set.selections if s.name.value != "facets"
    )
    tree.definitions = tuple(
        d for d in tree.definitions if not isinstance(d, FragmentDefinitionNode)
    )
    return print_ast(tree)


@dataclass
class Case:
    """One GraphQL request and, beside it, its Elasticsearch request sent raw."""

    name: str
    operation: str
    document: str
    variables: dict
    graphql: list = field(default_factory=list)
    queries: list = field(default_factory=list)
    in_request: list = field(default_factory=list)  # the ES call inside the GraphQL request
    raw: list = field(default_factory=list)
    took: list = field(default_factory=list)
    size: int = 0
    total: int = 0


def cases():
    site_search, service_list = canonical("SiteSearch"), canonical("ServiceList")
    bare_list = without_facets(service_list)

    def search(locale, text, **extra):
        variables = {"query": text, "locale": locale, **extra}
        label = f"siteSearch {locale} {text!r}" + (" SERVICE" if extra else "")
        return Case(label, "SiteSearch", site_search, variables)

    def services(locale, text=None, facets=True, **filters):
        variables = {"locale": locale, "filter": filters}
        if text:
            variables["query"] = text
        label = " ".join(
            [f"services {locale}", repr(text) if text else "–"]
            + [f"{name[:3]}={','.join(values)}" for name, values in filters.items()]
            + ([] if facets else ["no facets"])
        )
        return Case(label, "ServiceList", service_list if facets else bare_list, variables)

    return [
        search("fi", "työkokeilu"),
        search("fi", "palkkatuki"),
        search("fi", "valmennus"),  # part of compounds (n-grams)
        search("fi", "työkokelu"),  # a typo
        search("sv", "arbetsprövning"),
        search("en", "job search coaching"),
        search("fi", "rekrytointi", kinds=["SERVICE"]),
        services("fi", "työnhaku"),
        services("fi", "työnhaku", municipalities=["049"]),
        services("fi", "työnhaku", facets=False, municipalities=["049"]),
        services("fi", municipalities=["091"], categories=["job-search-support"]),
        services("fi"),
        services("sv", "rekrytering", categories=["employer-services"]),
        services("en", "coaching", municipalities=["091", "049"]),
    ]


def measure(case, client, es, runs, warmup):
    """GraphQL request and raw Elasticsearch request in turns, ``warmup`` of each unmeasured."""
    payload = json.dumps(
        {"query": case.document, "operationName": case.operation, "variables": case.variables}
    )
    for run in range(warmup + runs):
        calls, counter = [], QueryCounter()
        with recording(calls), connection.execute_wrapper(counter):
            started = time.perf_counter()
            response = client.post("/graphql/", payload, content_type="application/json")
            seconds = time.perf_counter() - started
        if response.status_code != 200 or b'"errors":' in response.content:
            sys.exit(f"{case.name} failed ({response.status_code}): {response.content[:500]}")
        if len(calls) != 1:
            sys.exit(f"{case.name}: {len(calls)} Elasticsearch searches, expected one")
        (call,) = calls

        started = time.perf_counter()
        raw = es.search(**call.request)
        raw_seconds = time.perf_counter() - started
        if run < warmup:
            continue
        case.graphql.append(seconds)
        case.queries.append(counter.count)
        case.in_request.append(call.seconds)
        case.raw.append(raw_seconds)
        case.took.append(raw["took"] / 1000)
        case.size, case.total = len(response.content), call.total


# --- Catalogue and index ---------------------------------------------------------


def ensure_catalogue(services, organisations):
    """Migrate; generate the catalogue unless ``services`` Finnish services are there already."""
    call_command("migrate", interactive=False, verbosity=0)
    present = ServicePage.objects.filter(locale__language_code="fi").count()
    if present >= services:
        print(f"reusing the catalogue: {present} Finnish services (--services {services})")
        return
    print(
        f"generating {services} services × fi, sv, en through the import path "
        f"({present} Finnish services present) …",
        flush=True,
    )
    started = time.perf_counter()
    load_demo(services=services, organisations=organisations, all_languages=True)
    seconds = time.perf_counter() - started
    pages = Page.objects.filter(depth__gt=2).count()
    print(
        f"generated in {seconds:.0f} s: {pages} pages (services × fi, sv, en; organisations, "
        f"instructions, guides), {pages / seconds:.1f} pages a second",
        flush=True,
    )


def built_documents():
    """The rebuild's documents without Elasticsearch: (count, JSON bytes)."""
    count = size = 0
    for obj in index.all_objects():
        doc = index.page_document(obj) if isinstance(obj, Page) else index.document_document(obj)
        if doc is not None:
            count += 1
            size += len(json.dumps(doc, default=str, ensure_ascii=False).encode())
    return count, size


def timed(function):
    counter = QueryCounter()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        result = function()
    return result, time.perf_counter() - started, counter.count


def reindex(es):
    print("reindexing …", flush=True)
    (name, count), rebuild_seconds, rebuild_queries = timed(index.rebuild)
    rebuilt = time.monotonic()
    (built, json_bytes), build_seconds, build_queries = timed(built_documents)
    # Elasticsearch caches an index's store size for index.store.stats_refresh_interval (10 s).
    time.sleep(max(0, rebuilt + 11 - time.monotonic()))
    stats = es.indices.stats(index=index.alias(), metric="docs,store")["_all"]["primaries"]
    store, docs = stats["store"]["size_in_bytes"], stats["docs"]["count"]
    kinds = es.search(
        index=index.alias(),
        size=0,
        aggs={
            "kind": {"terms": {"field": "kind"}, "aggs": {"locale": {"terms": {"field": "locale"}}}}
        },
    )["aggregations"]["kind"]["buckets"]
    mb = 1024 * 1024

    print(f"\n{'reindex':<46} {'s':>8} {'docs':>8} {'docs/s':>8} {'SQL':>8}")
    print(
        f"{'floor: index documents built, no Elasticsearch':<46} {build_seconds:8.1f} "
        f"{built:8d} {built / build_seconds:8.0f} {build_queries:8d}"
    )
    print(
        f"{'search.index.rebuild() (new index, alias swap)':<46} {rebuild_seconds:8.1f} "
        f"{count:8d} {count / rebuild_seconds:8.0f} {rebuild_queries:8d}"
    )
    print(
        f"rebuild: {ratio(rebuild_seconds, build_seconds)} the floor, "
        f"{rebuild_queries / count:.1f} SQL queries and "
        f"{rebuild_seconds / count * 1000:.1f} ms per document"
    )
    print(
        f"\nindex {name}: {docs} documents, {store / mb:.1f} MB store (primaries, "
        f"{store / docs / 1024:.1f} KB per document), {ratio(store, json_bytes)} their "
        f"{json_bytes / mb:.1f} MB of JSON"
    )
    for bucket in kinds:
        locales = ", ".join(f"{b['key']} {b['doc_count']}" for b in bucket["locale"]["buckets"])
        print(f"  {bucket['key']:<12} {bucket['doc_count']:6d}  ({locales})")


def drop(es):
    connections.close_all()
    name = urlsplit(ARGS.database_url).path.lstrip("/")
    with maintenance_connection(ARGS.database_url) as c:
        c.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
    # Elasticsearch refuses wildcard deletes (action.destructive_requires_name).
    for index_name in es.indices.get(index=f"{ARGS.index_prefix}*", expand_wildcards="all"):
        es.indices.delete(index=index_name, ignore_unavailable=True)
    shutil.rmtree(MEDIA_ROOT, ignore_errors=True)
    print(f"\ndropped database {name}, indices {ARGS.index_prefix}*, {MEDIA_ROOT}")


# --- Report ------------------------------------------------------------------------


def report(measured):
    runs = f"{ARGS.runs} run{'s' if ARGS.runs > 1 else ''}"
    print(
        f"\n{runs} per query after {ARGS.warmup} warm-up; GraphQL and raw Elasticsearch in "
        "turns; times in ms\n"
    )
    width = max(len(case.name) for case in measured)
    head = f"{'GraphQL':>17} {'ES in req.':>9} {'raw ES round trip':>17} {'raw ES took':>17}"
    print(f"{'':<{width}} {head} {'SQL':>4} {'KB':>5} {'hits':>5}")
    print(f"{'query':<{width}} {'p50':>8} {'p95':>8} {'p50':>9} " + f"{'p50':>8} {'p95':>8} " * 2)
    for case in measured:
        low, high = min(case.queries), max(case.queries)
        queries = str(low) if low == high else f"{low}–{high}"
        print(
            f"{case.name:<{width}} {ms(p50(case.graphql))} {ms(p95(case.graphql))} "
            f"{ms(p50(case.in_request)):>9} {ms(p50(case.raw))} {ms(p95(case.raw))} "
            f"{ms(p50(case.took))} {ms(p95(case.took))} {queries:>4} "
            f"{case.size / 1024:5.1f} {case.total:5d}"
        )

    print(
        f"\n{'':<{width}} {'GraphQL / round trip':>17} {'GraphQL / took':>17} {'GraphQL − ES':>13}"
    )
    print(f"{'query':<{width}} " + f"{'p50':>8} {'p95':>8} " * 2 + f"{'in req., p50':>13}")
    for case in measured:
        print(
            f"{case.name:<{width}} "
            f"{ratio(p50(case.graphql), p50(case.raw)):>8} "
            f"{ratio(p95(case.graphql), p95(case.raw)):>8} "
            f"{ratio(p50(case.graphql), p50(case.took)):>8} "
            f"{ratio(p95(case.graphql), p95(case.took)):>8} "
            f"{ms(p50(case.graphql) - p50(case.in_request)):>13}"
        )
    print(
        "\nES in req.: the Elasticsearch call inside the GraphQL request as the engine "
        "makes it (a new client, then the round trip).\nRaw ES: the same request body again "
        "on one long-lived client. GraphQL − ES: what Django, GraphQL and SQL add."
    )


def main():
    # Wagtail logs every page save at INFO, and search.index each rebuild.
    logging.getLogger("wagtail").setLevel(logging.WARNING)
    logging.getLogger("search").setLevel(logging.WARNING)
    # WhiteNoise warns when static files were never collected; the benchmark asks for none.
    warnings.filterwarnings("ignore", message="No directory at")
    es = index.client()
    print(
        f"database: {settings.DATABASES['default']['NAME']}, "
        f"Elasticsearch {es.info()['version']['number']}, index {index.alias()}"
    )
    if settings.DEBUG:
        print("DEBUG is on: Django records every query, which inflates every timing.")
    try:
        ensure_catalogue(ARGS.services, ARGS.organisations)
        live = ServicePage.objects.live()
        print(
            "live services: "
            + ", ".join(
                f"{code} {live.filter(locale__language_code=code).count()}"
                for code in ("fi", "sv", "en")
            )
        )
        reindex(es)
        client = Client(HTTP_HOST=HOST)
        measured = cases()
        print()
        for case in measured:
            print(f"measuring {case.name} …", flush=True)
            measure(case, client, es, ARGS.runs, ARGS.warmup)
        report(measured)
    finally:
        if ARGS.drop:
            drop(es)


if __name__ == "__main__":
    main()

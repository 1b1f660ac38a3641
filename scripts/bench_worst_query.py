"""The most expensive anonymous request /graphql/ still accepts (not a test).

    .venv/bin/python scripts/bench_worst_query.py [--runs 5] [--database-url …]

An anonymous caller can send anything; the guard rails (cms.graphql_guards)
refuse what costs too much before it runs. This script builds, for each kind
of expensive root field, the heaviest request the rules still accept: as many
aliases as the root-field cap allows, each with the largest page the cost
budget leaves room for and every listing field selected. It sends each one
in-process through Django's test client as an anonymous caller and prints
its cost score beside the server time it took (median of ``--runs``), next
to ``/health/live`` as the framework's floor, measured in the same run.

The target (docs/operations.md): the worst accepted request finishes within
2 s of server time on a 2-core machine against the 500-service demo on
PostgreSQL + Elasticsearch. Data: DATABASE_URL (and ELASTICSEARCH_URL when
set); a database without services first gets ``migrate`` + ``load_demo``.
"""

# Django is configured from the command line (--database-url) before its modules are imported.
# ruff: noqa: E402

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 2.0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="measured requests per query (5)")
    parser.add_argument("--database-url", help="database to use instead of DATABASE_URL")
    return parser.parse_args()


ARGS = parse_args()
if ARGS.database_url:
    os.environ["DATABASE_URL"] = ARGS.database_url
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
os.environ.setdefault("SECRET_KEY", "bench-worst-query-in-process-only")

import django

django.setup()

from benchlib import ensure_demo_content, ratio
from django.conf import settings
from django.test import Client
from django.utils import translation
from graphql import parse, validate
from grapple.schema import schema

from cms import graphql_guards

LIST_ITEM = (
    "key title summary url locale availableLocales audience free accessible ageMin ageMax "
    "validity organisation { key title } categories { slug name } municipalities { code name } "
    "methods { slug name } languages { slug name }"
)
FACETS = (
    "facets { municipalities { value label count } categories { value label count } "
    "lifeSituations { value label count } organisations { value label count } "
    "audience { value label count } free { value label count } }"
)


def services(limit):
    return (
        f'services(limit: {limit}, query: "työ") {{ totalCount items {{ {LIST_ITEM} }} {FACETS} }}'
    )


def site_search(limit):
    return (
        f'siteSearch(query: "työllisyys palvelu", limit: {limit}) '
        f"{{ totalCount kindCounts {{ kind count }} items {{ kind key title url excerpt }} }}"
    )


def service_detail(_limit):
    return (
        'service(key: "KEY") { key title summary description targetGroup implementation '
        "participation availableLocales organisation { key title } "
        "categories { slug name } municipalities { code name } contacts { name email phone } "
        "links { title url } locations { name address } }"
    )


def pages(limit):
    return f'pages(searchQuery: "työ", limit: {limit}) {{ id title url }}'


def introspection(_limit):
    return "__schema { types { name fields { name type { name } } } }"


CANDIDATES = {
    "services": services,
    "siteSearch": site_search,
    "service": service_detail,
    "pages(searchQuery)": pages,
    "__schema": introspection,
}


def cost_and_errors(query):
    with translation.override("en"):  # the message's number format
        rules = graphql_guards.validation_rules({})
        errors = validate(schema.graphql_schema, parse(query), rules)
    cost_errors = [e.message for e in errors if e.message.startswith("Query cost ")]
    cost = None
    if cost_errors:
        cost = int(cost_errors[0].split()[2].replace(",", ""))
    return cost, errors


def score(query):
    """The query's cost as QueryBudgetRule counts it (by lowering the budget to zero)."""
    budget = settings.GRAPHQL_MAX_COST
    settings.GRAPHQL_MAX_COST = 0
    try:
        cost, _ = cost_and_errors(query)
    finally:
        settings.GRAPHQL_MAX_COST = budget
    return cost


def heaviest(selection, key):
    """The heaviest accepted requests of this kind: the most aliases (with the largest page
    that still fits), and the largest page (with the most aliases that still fit)."""
    accepted = []
    for limit in (100, 50, 20, 10, 1):
        for count in range(settings.GRAPHQL_MAX_ROOT_FIELDS, 0, -1):
            fields = " ".join(f"a{i}: {selection(limit)}" for i in range(count))
            query = "{ " + fields.replace("KEY", key) + " }"
            if not cost_and_errors(query)[1]:
                accepted.append((count, limit, query))
                break
    if not accepted:
        return []
    most_aliases = max(accepted, key=lambda found: (found[0], found[1]))
    largest_page = max(accepted, key=lambda found: (found[1], found[0]))
    return list(dict.fromkeys([most_aliases, largest_page]))


def timed(client, query, runs):
    seconds = []
    for _ in range(runs + 1):  # the first is a warm-up
        started = time.perf_counter()
        response = client.post(
            "/graphql/", json.dumps({"query": query}), content_type="application/json"
        )
        seconds.append(time.perf_counter() - started)
        body = response.json()
        if response.status_code != 200 or body.get("errors"):
            raise SystemExit(f"refused or failed: {json.dumps(body)[:300]}")
    return statistics.median(seconds[1:])


def main():
    ensure_demo_content()
    from catalogue.models import ServicePage

    key = ServicePage.objects.live().order_by("key").values_list("key", flat=True).first()
    client = Client(HTTP_HOST="localhost")  # in the default ALLOWED_HOSTS
    floor = statistics.median(
        _time(lambda: client.get("/health/live")) for _ in range(max(ARGS.runs, 5))
    )
    engine = "Elasticsearch" if settings.ELASTICSEARCH_URL else "database search"
    print(
        f"{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]} + {engine}, "
        f"{ServicePage.objects.live().count()} live service pages; budget "
        f"{settings.GRAPHQL_MAX_COST:,}, at most {settings.GRAPHQL_MAX_ROOT_FIELDS} root fields, "
        f"median of {ARGS.runs} runs\n"
    )
    print(f"{'heaviest accepted request':36} {'cost':>8} {'server ms':>10} {'× /health':>10}")
    worst = (0.0, None)
    for name, selection in CANDIDATES.items():
        candidates = heaviest(selection, key)
        if not candidates:
            print(f"{name:36} refused at every size")
        for count, limit, query in candidates:
            if "limit:" not in query and candidates.index((count, limit, query)):
                continue  # no page size: one candidate says it all
            seconds = timed(client, query, ARGS.runs)
            label = f"{count} × {name}" + (f" (limit {limit})" if "limit:" in query else "")
            cells = f"{score(query):>8,} {seconds * 1000:>10.0f} {ratio(seconds, floor):>10}"
            print(f"{label:36} {cells}")
            worst = max(worst, (seconds, label))
    print(f"\n/health/live (framework floor): {floor * 1000:.1f} ms")
    seconds, label = worst
    verdict = "within" if seconds <= TARGET_SECONDS else "OVER"
    print(
        f"worst accepted: {label}, {seconds:.2f} s of server time — {verdict} the "
        f"{TARGET_SECONDS:.0f} s target ({ratio(seconds, TARGET_SECONDS)} of it)"
    )


def _time(call):
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


if __name__ == "__main__":
    main()

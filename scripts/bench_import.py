"""Benchmark of the exchange import (not a test): ``.venv/bin/python scripts/bench_import.py``.

Runs on a throwaway database created like the test suite's (SQLite in memory,
or a ``bench_…`` database beside the one DATABASE_URL names, dropped at the
end), so it never touches real content. With ELASTICSEARCH_URL set, page
saves also update Elasticsearch, as in production.

It generates the demo document (500 services by default), then times:
validation alone, the full import, an identical re-import (nothing changes),
a re-import where every service changed, and the export. Each import prints
pages per second (the document's pages, translations included, over the
wall-clock time) and queries per page; the CPU time of this process is
printed beside the wall-clock time, because on a busy machine the two part
ways. As a floor measured in the same run it times creating the same number
of plain Django rows one by one (``auth.Group``), so the ratio says how many
"plain row saves" one imported page costs, whatever the machine.
"""

import argparse
import json
import logging
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.test_settings")

import django  # noqa: E402
from benchlib import QueryCounter  # noqa: E402  (scripts/)

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, transaction  # noqa: E402


@contextmanager
def measured(label, results, pages=None):
    """Time a phase; with ``pages``, also pages per second and queries per page."""
    counter = QueryCounter()
    started, cpu_started = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(counter):
        yield
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    results[label] = seconds
    line = f"{label:<38} {seconds:8.2f} s {cpu:8.2f} s CPU {counter.count:8d} queries"
    if pages:
        line += f" {pages / seconds:7.1f} pages/s {counter.count / pages:6.1f} queries/page"
    print(line, flush=True)


def floor(rows):
    """Creating ``rows`` plain rows one by one in a transaction (rolled back)."""

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            for index in range(rows):
                Group.objects.create(name=f"bench-floor-{index}")
            raise Rollback
    except Rollback:
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=500)
    parser.add_argument("--organisations", type=int, default=150)
    args = parser.parse_args()
    logging.getLogger("wagtail").setLevel(logging.WARNING)

    database = settings.DATABASES["default"]
    # The run id keeps benchmarks side by side on one server apart (cms.test_settings).
    server_name = f"bench_{database['NAME']}_{settings.RUN_ID}"
    database.setdefault("TEST", {})["NAME"] = (
        ":memory:" if "sqlite" in database["ENGINE"] else server_name
    )
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if settings.ELASTICSEARCH_URL:
            from wagtail.search.backends import get_search_backend

            es = get_search_backend().es
            prefix = settings.WAGTAILSEARCH_BACKENDS["default"]["INDEX_PREFIX"]
            # Elasticsearch refuses wildcard deletes (action.destructive_requires_name).
            for name in es.indices.get(index=f"{prefix}*", expand_wildcards="all"):
                es.indices.delete(index=name, ignore_unavailable=True)


def run(args):
    from exchange.demo import build_document
    from exchange.exporter import export_document
    from exchange.importer import import_document
    from exchange.validation import validate_document
    from people.site_tree import ensure_site_tree

    search = "Elasticsearch" if settings.ELASTICSEARCH_URL else "database search"
    print(f"database: {connection.vendor}, search: {search}, load average {os.getloadavg()[0]:.1f}")
    document = build_document(args.services, args.organisations)
    pages = sum(len(r["locales"]) for section in document.values() if isinstance(section, list)
                for r in section)  # fmt: skip
    print(
        f"document: {args.organisations} organisations, {args.services} services, "
        f"{len(document['instructions'])} instructions, {len(document['guides'])} guides "
        f"= {pages} pages with translations"
    )
    results = {}
    with measured("site tree (once per database)", results):
        ensure_site_tree()
    with measured(f"floor: {args.services} plain rows one by one", results):
        floor(args.services)
    with measured("JSON round trip + validation only", results):
        validate_document(json.loads(json.dumps(document)))
    with measured("import into an empty site", results, pages):
        import_document(document)
    with measured("re-import, nothing changed", results, pages):
        import_document(document)
    for service in document["services"]:
        service["locales"]["fi"]["summary"] += " Päivitetty."
    with measured("re-import, every service changed", results, pages):
        import_document(document)
    with measured("export", results):
        export_document()

    full = results["import into an empty site"]
    print(
        f"\nfull import: {pages / full:.1f} pages/s, {full / pages * 1000:.1f} ms per page, "
        f"{full / results[f'floor: {args.services} plain rows one by one']:.0f}× the floor, "
        f"{full / results['JSON round trip + validation only']:.0f}× validation alone"
    )


if __name__ == "__main__":
    main()

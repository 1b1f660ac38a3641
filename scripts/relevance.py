"""Search relevance of ``services(query:)``, scored on a judged test set of our own.

``corpus.json`` is an exchange document of services (most with Swedish and
English versions), a few guides and instructions; ``queries.json`` holds
Finnish, Swedish and English queries, each labelled with what makes it hard
(``kind``: inflected, compound-part, folded, typo, abbreviation, phrase,
exact) and judged by service key: grade 3 is the service the user is after,
2 and 1 are also relevant. The synonym groups are the ones a fresh site gets
from its migrations, as administrators would start from.

Scores, overall, per kind and per language:

- nDCG@10 with gains 2^grade − 1, against the ideal order of the judged services;
- MRR: the reciprocal rank of the grade-3 target within the first ten (0 if absent);
- top-3: how many targets are among the first three.

Run ``.venv/bin/python scripts/search_relevance.py [--backend database|elasticsearch|both]``
(or ``python -m scripts.relevance``). Each backend runs in a
process of its own, because settings fix the search backend at start-up, on a
throwaway database: SQLite in memory by default, or with ``--database
configured`` a ``relevance_…`` database beside the one DATABASE_URL names.
Elasticsearch indices get this run's unique prefix and are dropped at the end,
so a developer's content and indices are never touched.

``tests/search/test_relevance.py`` uses the same files and metrics.
"""

import argparse
import json
import logging
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The judged set lives with the tests that hold the scores to a floor.
HERE = ROOT / "tests" / "search" / "relevance"
CORPUS = HERE / "corpus.json"
QUERIES = HERE / "queries.json"

TARGET_GRADE = 3
CUTOFF = 10
KINDS = ("exact", "inflected", "compound-part", "folded", "typo", "abbreviation", "phrase")
LANGUAGES = {"fi": "Finnish", "sv": "Swedish", "en": "English"}
BACKENDS = ("database", "elasticsearch")

SERVICES_QUERY = """query Relevance($query: String!, $locale: String, $limit: Int) {
  services(query: $query, locale: $locale, limit: $limit) { items { key } }
}"""


# --- The test set ----------------------------------------------------------


def corpus():
    return json.loads(CORPUS.read_text(encoding="utf-8"))


def queries():
    return json.loads(QUERIES.read_text(encoding="utf-8"))["queries"]


def target(judged):
    return next(key for key, grade in judged["expected"].items() if grade == TARGET_GRADE)


# --- Metrics ---------------------------------------------------------------


def _dcg(grades):
    return sum((2**grade - 1) / math.log2(position + 2) for position, grade in enumerate(grades))


def ndcg(ranked, expected, cutoff=CUTOFF):
    """nDCG@cutoff of keys in ranked order against graded judgements {key: grade}."""
    ideal = _dcg(sorted(expected.values(), reverse=True)[:cutoff])
    return _dcg([expected.get(key, 0) for key in ranked[:cutoff]]) / ideal if ideal else 0.0


def target_rank(ranked, judged, cutoff=CUTOFF):
    """1-based rank of the query's grade-3 target among the first ``cutoff``, or None."""
    wanted = target(judged)
    for position, key in enumerate(ranked[:cutoff], start=1):
        if key == wanted:
            return position
    return None


def evaluate(search, judged_queries=None):
    """Run each judged query through ``search(query, locale) -> [key, ...]`` and score it."""
    results = []
    for judged in judged_queries or queries():
        ranked = search(judged["query"], judged["locale"])
        rank = target_rank(ranked, judged)
        results.append(
            {
                **judged,
                "ranked": ranked[:CUTOFF],
                "ndcg": ndcg(ranked, judged["expected"]),
                "rr": 1 / rank if rank else 0.0,
                "rank": rank,
            }
        )
    return results


def summary(results):
    """[(group, n, mean nDCG@10, MRR, targets in the top 3)] overall, per kind, per language."""
    groups = [("all", results)]
    groups += [(kind, [r for r in results if r["kind"] == kind]) for kind in KINDS]
    groups += [
        (name, [r for r in results if r["locale"] == code]) for code, name in LANGUAGES.items()
    ]
    rows = []
    for name, members in groups:
        if members:
            rows.append(
                (
                    name,
                    len(members),
                    sum(r["ndcg"] for r in members) / len(members),
                    sum(r["rr"] for r in members) / len(members),
                    sum(1 for r in members if r["rank"] and r["rank"] <= 3),
                )
            )
    return rows


def misses(results, within=3):
    """The results whose target is not among the first ``within``."""
    return [r for r in results if not r["rank"] or r["rank"] > within]


def mrr(results):
    return sum(r["rr"] for r in results) / len(results)


# --- Running the queries ---------------------------------------------------


def graphql_search(client):
    """A ``search`` for ``evaluate`` that asks /graphql/ as an anonymous frontend would."""

    def search(query, locale):
        response = client.post(
            "/graphql/",
            data=json.dumps(
                {
                    "query": SERVICES_QUERY,
                    "variables": {"query": query, "locale": locale, "limit": CUTOFF},
                }
            ),
            content_type="application/json",
        )
        body = response.json()
        if body.get("errors"):
            raise RuntimeError(f"{query!r} ({locale}): {body['errors']}")
        return [item["key"] for item in body["data"]["services"]["items"]]

    return search


def load_corpus():
    """Import the corpus through the exchange format (the site tree must exist)."""
    from exchange.importer import import_document

    return import_document(corpus())


def _index_everything():
    """Wagtail's index and the delivery index, built from the database and refreshed."""
    from django.conf import settings
    from django.core.management import call_command

    if settings.ELASTICSEARCH_URL:
        from search import index

        call_command("update_index", verbosity=0)
        index.rebuild()


def _drop_indices(prefix):
    from wagtail.search.backends import get_search_backend

    es = get_search_backend().es
    # Elasticsearch refuses wildcard deletes (action.destructive_requires_name).
    for name in es.indices.get(index=f"{prefix}*", expand_wildcards="all"):
        es.indices.delete(index=name, ignore_unavailable=True)


def measure_here(database):
    """Load the corpus into a throwaway database, run every query; in this process's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.test_settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    for name in ("wagtail", "search", "elastic_transport"):
        logging.getLogger(name).setLevel(logging.WARNING)
    setup_test_environment()
    db = settings.DATABASES["default"]
    if database == "sqlite" and "sqlite" not in db["ENGINE"]:
        raise SystemExit("--database sqlite needs DATABASE_URL to name SQLite (the parent sets it)")
    db.setdefault("TEST", {})["NAME"] = (
        ":memory:" if "sqlite" in db["ENGINE"] else f"relevance_{db['NAME']}"
    )
    # cms.test_settings gives this run's indices, Wagtail's and the delivery one, a unique prefix.
    prefix = settings.ELASTICSEARCH_INDEX_PREFIX if settings.ELASTICSEARCH_URL else None
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from people.site_tree import ensure_site_tree

        ensure_site_tree()
        _index_everything()  # Wagtail's mappings exist before the import writes to them
        load_corpus()
        _index_everything()
        return evaluate(graphql_search(Client()))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if prefix:
            _drop_indices(prefix)


def measure(backend, database="sqlite"):
    """Results of one backend, measured in a child process with that backend's environment."""
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="cms.test_settings")
    if backend == "database":
        env.pop("ELASTICSEARCH_URL", None)
    elif not env.get("ELASTICSEARCH_URL"):
        raise SystemExit("--backend elasticsearch needs ELASTICSEARCH_URL")
    with tempfile.TemporaryDirectory(prefix="relevance-") as scratch:
        if database == "sqlite":
            # Only names the engine: the test database itself is in memory.
            env["DATABASE_URL"] = f"sqlite:///{scratch}/relevance.sqlite3"
        out = Path(scratch) / "results.json"
        command = [sys.executable, "-m", "scripts.relevance"]
        command += ["--child", backend, "--database", database, "--out", str(out)]
        subprocess.run(command, cwd=ROOT, env=env, check=True)
        return json.loads(out.read_text(encoding="utf-8"))


# --- Report ----------------------------------------------------------------


def report(by_backend):
    """The score table, backends side by side, and the targets left out of the top 3."""
    backends = list(by_backend)
    summaries = {
        backend: {row[0]: row for row in summary(by_backend[backend])} for backend in backends
    }
    groups = list(summaries[backends[0]])
    lines = [
        f"Search relevance: {len(by_backend[backends[0]])} queries, "
        f"{len(corpus()['services'])} services ({HERE.relative_to(ROOT)})",
        "",
        f"{'':<15}{'':>4}" + "".join(f"  {backend:<24}" for backend in backends),
        f"{'group':<15}{'n':>4}"
        + "".join(f"  {'nDCG@10':>7} {'MRR':>6} {'top-3':>9}" for _ in backends),
    ]
    for group in groups:
        n = summaries[backends[0]][group][1]
        cells = ""
        for backend in backends:
            _, _, mean_ndcg, mean_rr, top3 = summaries[backend][group]
            cells += f"  {mean_ndcg:>7.3f} {mean_rr:>6.3f} {f'{top3}/{n}':>9}"
        lines.append(f"{group:<15}{n:>4}{cells}")
    for backend in backends:
        missed = misses(by_backend[backend])
        lines += ["", f"{backend}: {len(missed)} targets not in the top 3"]
        for r in missed:
            where = f"at {r['rank']}" if r["rank"] else "not in the top 10"
            top = ", ".join(r["ranked"][:3]) or "nothing found"
            lines.append(
                f"  {r['locale']}  {r['kind']:<13} {r['query']!r}: {target(r)} {where} (top: {top})"
            )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--backend",
        choices=(*BACKENDS, "both"),
        help="default: both when ELASTICSEARCH_URL is set, else database",
    )
    parser.add_argument(
        "--database",
        choices=("sqlite", "configured"),
        default="sqlite",
        help="sqlite: in memory (default); configured: relevance_… beside DATABASE_URL's database",
    )
    parser.add_argument("--json", type=Path, help="also write every query's results here")
    parser.add_argument("--child", choices=BACKENDS, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        results = measure_here(args.database)
        args.out.write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
        return
    backend = args.backend or ("both" if os.environ.get("ELASTICSEARCH_URL") else "database")
    backends = BACKENDS if backend == "both" else (backend,)
    by_backend = {name: measure(name, args.database) for name in backends}
    print(report(by_backend))
    if args.json:
        args.json.write_text(json.dumps(by_backend, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()

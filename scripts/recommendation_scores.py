"""How good ``recommendations`` are, scored on judged client situations of our own.

``tests/guidance/judged_situations.json`` holds client situations written from
the domain brief, each with the demo services a careful expert would
recommend, graded 3 (best fit), 2 or 1. Each situation is asked two ways, as
an anonymous frontend would ask /graphql/:

- ``recommendations(profile:)`` with the situation's profile;
- ``services(filter:, exclude:)`` with the same facts as filters: the home
  municipality, the age, the languages, the audience, the service needs and
  life situations (from the profile and the answers) and the answers'
  exclusions — how an expert would search without recommendations.

Both are scored with nDCG@10 (gains 2^grade − 1, scripts.relevance.ndcg).

``scripts/score_recommendations.py`` loads the demo content into a throwaway
database and prints the scores; ``tests/guidance/test_judged_set.py`` uses the
same files and functions.
"""

import json
import logging
from pathlib import Path

from scripts.relevance import ndcg

ROOT = Path(__file__).resolve().parents[1]
SITUATIONS = ROOT / "tests" / "guidance" / "judged_situations.json"
CUTOFF = 10

RECOMMENDATIONS_QUERY = """query Scored($profile: ClientProfile, $limit: Int) {
  recommendations(profile: $profile, limit: $limit) { items { service { key } } }
}"""
SERVICES_QUERY = """query Filtered($filter: ServiceFilter, $exclude: ServiceFilter, $limit: Int) {
  services(filter: $filter, exclude: $exclude, limit: $limit) { items { key } }
}"""


# --- The judged set --------------------------------------------------------------------


def judged_set():
    return json.loads(SITUATIONS.read_text(encoding="utf-8"))


def situations():
    return judged_set()["situations"]


def with_revisions(profile, revisions):
    """The profile with each answer set naming its questionnaire's live revision
    (``revisions``: {questionnaire key: revision id})."""
    return {
        **profile,
        "answers": [
            {**answer_set, "revision": str(revisions[answer_set["questionnaire"]])}
            for answer_set in profile.get("answers", [])
        ],
    }


def live_revisions():
    """{questionnaire key: live revision id} of the Finnish questionnaires."""
    from guidance.models import Questionnaire

    return dict(
        Questionnaire.objects.filter(live=True, locale__language_code="fi").values_list(
            "key", "live_revision_id"
        )
    )


def services_request(profile):
    """The ``services`` filter and exclusion that state the same facts as a profile (with
    revisions): what the client is, needs and rules out, read as recommendations read it."""
    from guidance import answers, recommendations
    from guidance.profile import parse_profile

    client_profile = parse_profile(_snake_case(profile))
    locale = _default_locale()
    chosen = answers.chosen_options(client_profile.answer_sets, locale)
    client = recommendations.build_client(client_profile, chosen, locale)
    needs = {taxonomy: sorted({slug for t, slug in client.needs if t == taxonomy})
             for taxonomy in ("categories", "life_situations")}  # fmt: skip
    age = client.age if client.age is not None else (client.age_band or (None,))[0]
    wanted = {
        "municipalities": [client.municipality] if client.municipality else [],
        "age": age,
        "languages": sorted(client.languages),
        "audience": client.audience.upper() or None,
        "categories": needs["categories"],
        "lifeSituations": needs["life_situations"],
    }
    excluded = {"categories": [], "lifeSituations": [], "methods": []}
    names = {"categories": "categories", "life_situations": "lifeSituations", "methods": "methods"}
    for taxonomy, slug in client.exclusions:
        excluded[names[taxonomy]].append(slug)
    return _given(wanted), _given(excluded)


def _given(values):
    return {name: value for name, value in values.items() if value not in (None, [])}


def _snake_case(profile):
    """A ClientProfile input as graphene hands it to the resolver (snake_case names)."""
    names = {"educationLevel": "education_level", "serviceNeeds": "service_needs",
             "lifeSituations": "life_situations"}  # fmt: skip
    converted = {names.get(name, name): value for name, value in profile.items()}
    if "audience" in converted:  # the enum's name in GraphQL, its value in Python
        converted["audience"] = converted["audience"].lower()
    return converted


def _default_locale():
    from cms import localisation

    return localisation.default_locale()


# --- Scoring ---------------------------------------------------------------------------


def evaluate(recommend, search, judged_situations=None, revisions=None):
    """Each situation run through ``recommend(profile) -> [key]`` and ``search(filter,
    exclude) -> [key]``, with both nDCG@10 scores."""
    revisions = live_revisions() if revisions is None else revisions
    results = []
    for situation in judged_situations or situations():
        profile = with_revisions(situation["profile"], revisions)
        recommended = recommend(profile)
        filtered = search(*services_request(profile))
        results.append(
            {
                "id": situation["id"],
                "description": situation["description"],
                "recommended": recommended[:CUTOFF],
                "filtered": filtered[:CUTOFF],
                "recommendations": ndcg(recommended, situation["judged"], CUTOFF),
                "services": ndcg(filtered, situation["judged"], CUTOFF),
            }
        )
    return results


def averages(results):
    """(mean nDCG@10 of recommendations, mean nDCG@10 of services filtering)."""
    count = len(results) or 1
    return (
        sum(r["recommendations"] for r in results) / count,
        sum(r["services"] for r in results) / count,
    )


def graphql_asker(client):
    """``recommend`` and ``search`` for ``evaluate`` that ask /graphql/ anonymously."""

    def ask(query, variables, field):
        response = client.post(
            "/graphql/",
            data=json.dumps({"query": query, "variables": variables}),
            content_type="application/json",
        )
        body = response.json()
        if body.get("errors"):
            raise RuntimeError(f"{field} {variables}: {body['errors']}")
        return body["data"][field]["items"]

    def recommend(profile):
        items = ask(RECOMMENDATIONS_QUERY, {"profile": profile, "limit": CUTOFF}, "recommendations")
        return [item["service"]["key"] for item in items]

    def search(filter, exclude):
        variables = {"filter": filter, "exclude": exclude, "limit": CUTOFF}
        return [item["key"] for item in ask(SERVICES_QUERY, variables, "services")]

    return recommend, search


def load_demo(services=None, organisations=None):
    """The demo content and questionnaires the judgements refer to (the site tree must exist)."""
    from exchange.demo import load_demo as load_catalogue
    from guidance.demo import load_demo_questionnaires

    demo = judged_set()["demo"]
    load_catalogue(
        services=services or demo["services"],
        organisations=organisations or demo["organisations"],
        seed=demo["seed"],
    )
    load_demo_questionnaires()


def measure_here():
    """Load the demo into a throwaway database (SQLite in memory, or ``bench_…`` beside
    DATABASE_URL's database), score every situation, drop the database."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    for name in ("wagtail", "search", "elastic_transport"):
        logging.getLogger(name).setLevel(logging.WARNING)
    setup_test_environment()
    database = settings.DATABASES["default"]
    database.setdefault("TEST", {})["NAME"] = (
        ":memory:"
        if "sqlite" in database["ENGINE"]
        else f"bench_{database['NAME']}_{settings.RUN_ID}"
    )
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from people.site_tree import ensure_site_tree

        ensure_site_tree()
        load_demo()
        return evaluate(*graphql_asker(Client()))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def report(results):
    """The per-situation table and both averages."""
    lines = [
        f"Recommendations on {len(results)} judged client situations "
        f"({SITUATIONS.relative_to(ROOT)}), nDCG@{CUTOFF}",
        "",
        f"{'situation':<34}{'recommendations':>16}{'services':>10}",
    ]
    for r in results:
        lines.append(f"{r['id']:<34}{r['recommendations']:>16.3f}{r['services']:>10.3f}")
    recommended, filtered = averages(results)
    lines += ["", f"{'average':<34}{recommended:>16.3f}{filtered:>10.3f}"]
    return "\n".join(lines)

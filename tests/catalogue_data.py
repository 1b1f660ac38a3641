"""A small catalogue in the exchange format with known classifications.

Four published services from three organisations (one with a Swedish
translation), one draft, one internal instruction: the fixture of the
delivery tests, loaded by the ``small_catalogue`` fixture.
"""


def service_record(key, organisation, title, **fields):
    fi = {"title": title, "summary": fields.pop("summary", f"{title}: kuvaus")}
    locales = {"fi": fi, **fields.pop("locales", {})}
    return {
        "key": key,
        "organisation": organisation,
        "status": fields.pop("status", "published"),
        "audience": fields.pop("audience", "person"),
        "responsible": "owner@example.org",
        "locales": locales,
        **fields,
    }


CATALOGUE = {
    "version": 1,
    "organisations": [
        {
            "key": "helsinki",
            "kind": "municipality",
            "locales": {
                "fi": {"name": "Helsingin työllisyyspalvelut"},
                "sv": {"name": "Helsingfors"},
            },
        },
        {"key": "espoo", "kind": "municipality", "locales": {"fi": {"name": "Espoon työllisyys"}}},
        {"key": "yrityssuomi", "kind": "state", "locales": {"fi": {"name": "Yrityssuomi"}}},
    ],
    "services": [
        service_record(
            "work-trial",
            "helsinki",
            "Työkokeilu",
            categories=["job-search-support"],
            lifeSituations=["young-adult"],
            methods=["in-person", "remote"],
            municipalities=["091", "049"],
            languages=["fi", "sv"],
            ageMin=17,
            ageMax=29,
            free=True,
            accessible=True,
            priority=60,
            locales={"sv": {"title": "Arbetsprövning", "summary": "Pröva en bransch."}},
        ),
        service_record(
            "career-coaching",
            "espoo",
            "Uravalmennus",
            categories=["career-planning", "job-search-support"],
            lifeSituations=["career-change", "over-55"],
            methods=["remote"],
            municipalities=["049"],
            languages=["fi"],
            free=True,
            accessible=False,
            priority=10,
        ),
        service_record(
            "startup-money",
            "yrityssuomi",
            "Starttiraha",
            audience="employer",
            categories=["entrepreneurship"],
            lifeSituations=["starting-business"],
            methods=["online"],
            municipalities=["091", "049", "092"],
            languages=["fi", "sv", "en"],
            ageMin=18,
            free=False,
            accessible=True,
            priority=90,
        ),
        service_record(
            "youth-workshop",
            "helsinki",
            "Nuorten työpaja",
            categories=["low-threshold-guidance"],
            lifeSituations=["young-adult"],
            methods=["in-person"],
            municipalities=["091"],
            languages=["fi"],
            ageMin=16,
            ageMax=24,
            priority=40,
        ),
        service_record(
            "secret-draft",
            "espoo",
            "Luonnospalvelu",
            status="draft",
            categories=["job-search-support"],
            lifeSituations=["young-adult"],
            municipalities=["049"],
            priority=100,
        ),
    ],
    "instructions": [
        {
            "key": "work-trial-helsinki",
            "service": "work-trial",
            "status": "published",
            "municipalities": ["091"],
            "locales": {"fi": {"title": "Työkokeilu Helsingissä", "guidance": "<p>Ohje</p>"}},
        }
    ],
}

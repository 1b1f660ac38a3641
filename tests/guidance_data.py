"""Test data of guidance: a catalogue whose services differ in exactly the ways
recommendations look at (the ``guidance_catalogue`` fixture of tests/guidance), the
query a frontend sends, and helpers to read its answer.

Services (all published unless said otherwise):

================  ========  ==========================  =====================  ==========
key               audience  needs met                   municipalities         languages
================  ========  ==========================  =====================  ==========
work-trial        person    job-search-support;         091, 049               fi, sv
                            young-adult, career-change  (ages 17–29, prio 60)
youth-workshop    person    job-search-support;         091                    fi
                            young-adult                 (ages 16–24, prio 40)
career-coaching   person    career-planning,            049                    fi
                            job-search-support;
                            career-change, over-55      (remote, prio 10)
finnish-for-work  person    integration,                091, 049, 092          fi, en, ar
                            education-and-skills;
                            immigrant                   (effectiveness 80)
online-job-club   person    job-search-support;         every municipality     fi, en
                            long-term-unemployed,
                            immigrant                   (online)
business-advice   person    entrepreneurship;           091, 049, 092          fi, sv, en
                            starting-business           (ages 18–)
startup-money     employer  entrepreneurship, …         091, 049, 092          fi
pay-subsidy       employer  employment-financial-…;     091, 092               fi, sv
                            recruiting-employer
secret-draft      person    (a draft, priority 100)     049
expert-pilot      person    (for experts only, 100)     091                    fi
================  ========  ==========================  =====================  ==========
"""

from catalogue_data import service_record

ALL_MUNICIPALITIES = ["091", "049", "235", "092", "245", "753", "638", "710", "078", "149"]

CATALOGUE = {
    "version": 1,
    "organisations": [
        {"key": "helsinki", "kind": "municipality", "locales": {"fi": {"name": "Helsinki"}}},
        {"key": "espoo", "kind": "municipality", "locales": {"fi": {"name": "Espoo"}}},
        {"key": "vantaa", "kind": "municipality", "locales": {"fi": {"name": "Vantaa"}}},
        {"key": "yrityssuomi", "kind": "state", "locales": {"fi": {"name": "Yrityssuomi"}}},
    ],
    "services": [
        service_record(
            "work-trial", "helsinki", "Työkokeilu",
            categories=["job-search-support"], lifeSituations=["young-adult", "career-change"],
            methods=["in-person", "remote"], municipalities=["091", "049"], languages=["fi", "sv"],
            ageMin=17, ageMax=29, priority=60,
            locales={"sv": {"title": "Arbetsprövning", "summary": "Pröva en bransch."}},
        ),
        service_record(
            "youth-workshop", "helsinki", "Nuorten työpaja",
            categories=["job-search-support"], lifeSituations=["young-adult"],
            methods=["in-person"], municipalities=["091"], languages=["fi"],
            ageMin=16, ageMax=24, priority=40,
        ),
        service_record(
            "career-coaching", "espoo", "Uravalmennus",
            categories=["career-planning", "job-search-support"],
            lifeSituations=["career-change", "over-55"],
            methods=["remote"], municipalities=["049"], languages=["fi"], priority=10,
        ),
        service_record(
            "finnish-for-work", "vantaa", "Suomea työelämään",
            categories=["integration", "education-and-skills"], lifeSituations=["immigrant"],
            methods=["hybrid"], municipalities=["091", "049", "092"], languages=["fi", "en", "ar"],
            effectiveness=80,
        ),
        service_record(
            "online-job-club", "vantaa", "Verkon työnhakuklubi",
            categories=["job-search-support"],
            lifeSituations=["long-term-unemployed", "immigrant"],
            methods=["online"], municipalities=ALL_MUNICIPALITIES, languages=["fi", "en"],
        ),
        service_record(
            "business-advice", "vantaa", "Yrittäjyysneuvonta",
            categories=["entrepreneurship"], lifeSituations=["starting-business"],
            methods=["in-person"], municipalities=["091", "049", "092"],
            languages=["fi", "sv", "en"], ageMin=18,
        ),
        service_record(
            "startup-money", "yrityssuomi", "Starttiraha",
            audience="employer", categories=["entrepreneurship", "employment-financial-support"],
            lifeSituations=["starting-business"], methods=["online"],
            municipalities=["091", "049", "092"], languages=["fi"],
        ),
        service_record(
            "pay-subsidy", "vantaa", "Palkkatuki",
            audience="employer", categories=["employment-financial-support", "employer-services"],
            lifeSituations=["recruiting-employer"], methods=["online"],
            municipalities=["091", "092"], languages=["fi", "sv"],
        ),
        service_record(
            "secret-draft", "espoo", "Luonnospalvelu",
            status="draft", categories=["job-search-support"], lifeSituations=["young-adult"],
            municipalities=["049"], priority=100,
        ),
        service_record(
            "expert-pilot", "helsinki", "Asiantuntijoiden pilotti",
            categories=["job-search-support"], lifeSituations=["young-adult"],
            methods=["in-person"], municipalities=["091"], languages=["fi"], priority=100,
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
}  # fmt: skip

RECOMMENDATIONS = """
query Recommendations(
  $profile: ClientProfile, $shared: String, $locale: String, $limit: Int, $offset: Int
) {
  recommendations(
    profile: $profile, shared: $shared, locale: $locale, limit: $limit, offset: $offset
  ) {
    locale
    totalCount
    excluded { reason label count }
    items {
      score
      service { key title instructions { title } }
      reasons { code text value source contribution }
      lifts { code text value source contribution }
      wouldExclude { code text value }
    }
  }
}
"""


def answers(questionnaire, **chosen):
    """An answer set of a questionnaire's live revision: ``tilanne=["nuori"]``."""
    return {
        "questionnaire": questionnaire.key,
        "revision": str(questionnaire.live_revision_id),
        "answers": [
            {"question": question.replace("_", "-"), "options": options}
            for question, options in chosen.items()
        ],
    }


def keys(result):
    return [item["service"]["key"] for item in result["items"]]


def excluded(result):
    return {entry["reason"]: entry["count"] for entry in result["excluded"]}

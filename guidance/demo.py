"""Demo questionnaires: for job seekers, immigrants and employers, in Finnish, Swedish and
English, published.

``load_demo_questionnaires`` (the command) creates the ones that are missing
and leaves existing ones, edited or not, as they are. Block ids are derived
from the keys, so the translations' questions line up with the Finnish ones.
"""

import uuid

from django.db import transaction
from wagtail.models import Locale

from guidance.models import Questionnaire

NAMESPACE = uuid.UUID("5b8f2a52-3f34-4c8e-9a57-3c1f6f0e2b11")


def _texts(fi, sv, en):
    return {"fi": fi, "sv": sv, "en": en}


def option(key, fi, sv, en, needs=None, facts=None, exclude=None, boost=None):
    return {
        "key": key,
        "label": _texts(fi, sv, en),
        "needs": needs or {},
        "facts": facts or {},
        "exclude": exclude or {},
        "boost": boost or {},
    }


def question(key, texts, options, multiple=False):
    return {"key": key, "text": _texts(*texts), "multiple": multiple, "options": options}


MUNICIPALITY_OPTIONS = [
    option(code, fi, sv, en, facts={"municipality": code})
    for code, fi, sv, en in [
        ("091", "Helsinki", "Helsingfors", "Helsinki"),
        ("049", "Espoo", "Esbo", "Espoo"),
        ("235", "Kauniainen", "Grankulla", "Kauniainen"),
        ("092", "Vantaa", "Vanda", "Vantaa"),
        ("245", "Kerava", "Kervo", "Kerava"),
        ("753", "Sipoo", "Sibbo", "Sipoo"),
        ("638", "Porvoo", "Borgå", "Porvoo"),
        ("710", "Raasepori", "Raseborg", "Raasepori"),
        ("078", "Hanko", "Hangö", "Hanko"),
        ("149", "Inkoo", "Ingå", "Inkoo"),
    ]
]

QUESTIONNAIRES = [
    {
        "key": "tyonhakija",
        "audience": "person",
        "title": _texts(
            "Työnhakijan palvelutarvekysely",
            "Kartläggning av servicebehov för arbetssökande",
            "Service-need questionnaire for job seekers",
        ),
        "intro": _texts(
            "Vastaa muutamaan kysymykseen, niin löydämme sinulle sopivat palvelut.",
            "Svara på några frågor så hittar vi tjänster som passar dig.",
            "Answer a few questions and we will find services that suit you.",
        ),
        "questions": [
            question(
                "tilanne",
                (
                    "Mikä kuvaa tilannettasi?",
                    "Vad beskriver din situation?",
                    "What describes your situation?",
                ),
                [
                    option(
                        "nuori", "Olen alle 30-vuotias", "Jag är under 30 år", "I am under 30",
                        needs={"life_situations": ["young-adult"]},
                        facts={"age_from": 15, "age_to": 29},
                    ),
                    option(
                        "pitkaan-tyoton",
                        "Olen ollut työttömänä yli vuoden",
                        "Jag har varit arbetslös i över ett år",
                        "I have been unemployed for over a year",
                        needs={"life_situations": ["long-term-unemployed"]},
                    ),
                    option(
                        "irtisanottu",
                        "Minut on lomautettu tai irtisanottu",
                        "Jag har permitterats eller sagts upp",
                        "I have been laid off or dismissed",
                        needs={"life_situations": ["laid-off"]},
                    ),
                    option(
                        "terveys",
                        "Terveyteni rajoittaa työntekoa",
                        "Min hälsa begränsar mitt arbete",
                        "My health limits my work",
                        needs={"life_situations": ["reduced-work-ability"]},
                    ),
                    option(
                        "yli-55", "Olen yli 55-vuotias", "Jag är över 55 år", "I am over 55",
                        needs={"life_situations": ["over-55"]},
                        facts={"age_from": 55},
                    ),
                    option(
                        "tauolta",
                        "Palaan työelämään pitkän tauon jälkeen",
                        "Jag återvänder till arbetslivet efter ett långt uppehåll",
                        "I am returning to work after a long break",
                        needs={"life_situations": ["returning-to-work"]},
                    ),
                ],
                multiple=True,
            ),
            question(
                "tavoite",
                (
                    "Mitä haluat seuraavaksi?",
                    "Vad vill du göra härnäst?",
                    "What would you like to do next?",
                ),
                [
                    option(
                        "tyopaikka", "Löytää työpaikan", "Hitta ett jobb", "Find a job",
                        needs={"categories": ["job-search-support"]},
                    ),
                    option(
                        "opiskelu",
                        "Opiskella tai kouluttautua",
                        "Studera eller utbilda mig",
                        "Study or train",
                        needs={"categories": ["education-and-skills"]},
                        boost={"categories": ["career-planning"]},
                    ),
                    option(
                        "alanvaihto", "Vaihtaa alaa", "Byta bransch", "Change careers",
                        needs={
                            "categories": ["career-planning"],
                            "life_situations": ["career-change"],
                        },
                    ),
                    option(
                        "yritys",
                        "Perustaa yrityksen",
                        "Starta ett företag",
                        "Start a business",
                        needs={
                            "categories": ["entrepreneurship"],
                            "life_situations": ["starting-business"],
                        },
                    ),
                    option(
                        "tyokyky",
                        "Vahvistaa työkykyä ja jaksamista",
                        "Stärka min arbetsförmåga och ork",
                        "Strengthen my work ability and wellbeing",
                        needs={"categories": ["work-ability"]},
                    ),
                ],
                multiple=True,
            ),
            question(
                "osallistuminen",
                (
                    "Miten haluat osallistua?",
                    "Hur vill du delta?",
                    "How would you like to take part?",
                ),
                [
                    option(
                        "paikan-paalla", "Paikan päällä", "På plats", "In person",
                        boost={"methods": ["in-person"]},
                    ),
                    option(
                        "etana",
                        "Etänä tai verkossa",
                        "På distans eller på nätet",
                        "Remotely or online",
                        exclude={"methods": ["in-person"]},
                        boost={"methods": ["remote", "online"]},
                    ),
                    option("kumpi-vain", "Kumpi vain", "Vilket som helst", "Either way"),
                ],
            ),
        ],
    },
    {
        "key": "maahan-muuttanut",
        "audience": "person",
        "title": _texts(
            "Maahan muuttaneen palvelutarvekysely",
            "Kartläggning av servicebehov för invandrare",
            "Service-need questionnaire for immigrants",
        ),
        "intro": _texts(
            "Kerro kielistäsi ja tavoitteistasi, niin löydämme sopivat palvelut.",
            "Berätta om dina språk och mål så hittar vi passande tjänster.",
            "Tell us about your languages and goals and we will find suitable services.",
        ),
        "questions": [
            question(
                "suomen-kieli",
                (
                    "Kuinka hyvin puhut suomea?",
                    "Hur bra talar du finska?",
                    "How well do you speak Finnish?",
                ),
                [
                    option(
                        "ei-lainkaan", "En lainkaan", "Inte alls", "Not at all",
                        needs={"categories": ["integration"], "life_situations": ["immigrant"]},
                    ),
                    option(
                        "vahan", "Vähän", "Lite", "A little",
                        needs={"categories": ["integration"], "life_situations": ["immigrant"]},
                    ),
                    option(
                        "hyvin", "Hyvin", "Bra", "Well",
                        needs={"life_situations": ["immigrant"]},
                        facts={"languages": ["fi"]},
                    ),
                ],
            ),
            question(
                "muut-kielet",
                (
                    "Millä muilla kielillä voit asioida?",
                    "På vilka andra språk kan du sköta ärenden?",
                    "Which other languages can you use?",
                ),
                [
                    option(code, fi, sv, en, facts={"languages": [code]})
                    for code, fi, sv, en in [
                        ("en", "englanti", "engelska", "English"),
                        ("sv", "ruotsi", "svenska", "Swedish"),
                        ("ru", "venäjä", "ryska", "Russian"),
                        ("ar", "arabia", "arabiska", "Arabic"),
                        ("so", "somali", "somaliska", "Somali"),
                        ("uk", "ukraina", "ukrainska", "Ukrainian"),
                        ("fa", "persia", "persiska", "Persian"),
                        ("et", "viro", "estniska", "Estonian"),
                    ]
                ],
                multiple=True,
            ),
            question(
                "tavoite",
                (
                    "Mitä haluat seuraavaksi?",
                    "Vad vill du göra härnäst?",
                    "What would you like to do next?",
                ),
                [
                    option(
                        "kieli", "Oppia suomea", "Lära mig finska", "Learn Finnish",
                        needs={"categories": ["integration"]},
                    ),
                    option(
                        "tyo", "Löytää töitä", "Hitta arbete", "Find work",
                        needs={"categories": ["job-search-support"]},
                        boost={"categories": ["networking"]},
                    ),
                    option(
                        "osaaminen",
                        "Saada osaamiseni tunnustetuksi",
                        "Få min kompetens erkänd",
                        "Have my skills recognised",
                        needs={"categories": ["skills-assessment"]},
                    ),
                    option(
                        "opiskelu",
                        "Opiskella ammatin",
                        "Studera till ett yrke",
                        "Study for a profession",
                        needs={"categories": ["education-and-skills"]},
                    ),
                ],
                multiple=True,
            ),
        ],
    },
    {
        "key": "tyonantaja",
        "audience": "employer",
        "title": _texts(
            "Työnantajan palvelutarvekysely",
            "Kartläggning av servicebehov för arbetsgivare",
            "Service-need questionnaire for employers",
        ),
        "intro": _texts(
            "Kerro, mihin yrityksenne tarvitsee apua.",
            "Berätta vad ert företag behöver hjälp med.",
            "Tell us what your company needs help with.",
        ),
        "questions": [
            question(
                "tarve",
                (
                    "Mihin tarvitsette apua?",
                    "Vad behöver ni hjälp med?",
                    "What do you need help with?",
                ),
                [
                    option(
                        "rekrytointi",
                        "Uuden työntekijän löytämiseen",
                        "Att hitta en ny medarbetare",
                        "Finding a new employee",
                        needs={
                            "categories": ["employer-services"],
                            "life_situations": ["recruiting-employer"],
                        },
                    ),
                    option(
                        "palkkakulut",
                        "Palkkauksen kustannuksiin",
                        "Lönekostnaderna",
                        "The costs of hiring",
                        needs={"categories": ["employment-financial-support"]},
                    ),
                    option(
                        "koulutus",
                        "Osaajien kouluttamiseen tarpeisiimme",
                        "Att utbilda kompetens för våra behov",
                        "Training people for our needs",
                        needs={"categories": ["education-and-skills"]},
                    ),
                ],
                multiple=True,
            ),
            question(
                "sijainti",
                (
                    "Missä kunnassa toimipaikkanne on?",
                    "I vilken kommun finns ert verksamhetsställe?",
                    "In which municipality is your workplace?",
                ),
                MUNICIPALITY_OPTIONS,
            ),
        ],
    },
]  # fmt: skip


def _id(*parts):
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def stream(definition, language):
    """The questions of a questionnaire definition as StreamField data in one language."""
    key = definition["key"]
    return [
        {
            "type": "question",
            "id": _id(key, q["key"]),
            "value": {
                "key": q["key"],
                "text": q["text"][language],
                "help": "",
                "multiple": q["multiple"],
                "options": [
                    {
                        "type": "item",
                        "id": _id(key, q["key"], o["key"]),
                        "value": {
                            "key": o["key"],
                            "label": o["label"][language],
                            "needs": {"categories": [], "life_situations": [], **o["needs"]},
                            "facts": {
                                "municipality": "",
                                "languages": [],
                                "audience": "",
                                "age_from": None,
                                "age_to": None,
                                **o["facts"],
                            },
                            "exclude": _terms(o["exclude"]),
                            "boost": _terms(o["boost"]),
                        },
                    }
                    for o in q["options"]
                ],
            },
        }
        for q in definition["questions"]
    ]


def _terms(values):
    return {"categories": [], "life_situations": [], "methods": [], **values}


def create_questionnaire(definition, languages=("fi", "sv", "en")):
    """Create and publish a questionnaire from a definition, with its translations."""
    source = None
    for language in languages:
        locale = Locale.objects.filter(language_code=language).first()
        if locale is None:
            continue
        fields = {
            "title": definition["title"][language],
            "intro": definition["intro"][language],
            "questions": stream(definition, language),
        }
        if source is None:
            questionnaire = Questionnaire(
                key=definition["key"], audience=definition["audience"], locale=locale, **fields
            )
        else:
            questionnaire = source.copy_for_translation(locale)
            for name, value in fields.items():
                setattr(questionnaire, name, value)
        questionnaire.save()
        questionnaire.save_revision().publish()
        source = source or questionnaire
    return source


@transaction.atomic
def load_demo_questionnaires():
    """Create the demo questionnaires that are missing; returns how many were created."""
    existing = set(Questionnaire.objects.values_list("key", flat=True))
    created = 0
    for definition in QUESTIONNAIRES:
        if definition["key"] not in existing:
            create_questionnaire(definition)
            created += 1
    return created

"""The initial taxonomies, in Finnish, Swedish and English.

Applied by a data migration; kept here (not inside the migration) so the
demo generator and tests read the same terms. National classification URIs
point at the Finnish Service Catalogue's code lists on uri.suomi.fi; they are
a starting mapping that administrators can correct in the admin.
"""

PTV_SERVICE_CLASS = "http://uri.suomi.fi/codelist/ptv/ptvserclass2/code/{}"
PTV_TARGET_GROUP = "http://uri.suomi.fi/codelist/ptv/ptvkohderyhmat/code/{}"
MUNICIPALITY_URI = "http://uri.suomi.fi/codelist/jhs/kunta_1_20240101/code/{}"

# (slug, fi, sv, en, national class)
CATEGORIES = [
    (
        "job-search-start",
        "Työnhaun alun palvelut",
        "Tjänster i början av arbetssökandet",
        "Starting a job search",
        "P10.1",
    ),
    (
        "job-search-support",
        "Työnhakua ja työllistymistä tukevat palvelut",
        "Tjänster som stöder arbetssökande och sysselsättning",
        "Job search and employment support",
        "P10.1",
    ),
    (
        "low-threshold-guidance",
        "Matalan kynnyksen neuvonta ja ohjaus",
        "Lågtröskelrådgivning och handledning",
        "Low-threshold advice and guidance",
        "P10.2",
    ),
    ("networking", "Verkostoitumisen palvelut", "Nätverkstjänster", "Networking services", "P10.1"),
    (
        "career-planning",
        "Urasuunnittelua tukevat palvelut",
        "Stöd för karriärplanering",
        "Career planning support",
        "P10.2",
    ),
    (
        "skills-assessment",
        "Osaamisen kartoittaminen",
        "Kartläggning av kompetens",
        "Skills assessment",
        "P10.2",
    ),
    (
        "education-and-skills",
        "Opiskelu ja osaamisen kehittäminen",
        "Studier och kompetensutveckling",
        "Studying and developing skills",
        "P10.3",
    ),
    (
        "integration",
        "Kotoutumista tukevat palvelut",
        "Tjänster som stöder integration",
        "Integration services",
        "P10.4",
    ),
    (
        "work-ability",
        "Työkykyä tukevat palvelut",
        "Tjänster som stöder arbetsförmågan",
        "Work ability support",
        "P10.5",
    ),
    (
        "employment-financial-support",
        "Työllistymisen taloudelliset tuet",
        "Ekonomiskt stöd för sysselsättning",
        "Financial support for employment",
        "P10.6",
    ),
    ("entrepreneurship", "Yrittäjyyspalvelut", "Företagartjänster", "Entrepreneurship", "P12"),
    ("employer-services", "Työnantajapalvelut", "Arbetsgivartjänster", "Employer services", "P12"),
]

# (slug, fi, sv, en, national target group)
LIFE_SITUATIONS = [
    (
        "young-adult",
        "Nuori aikuinen (alle 30 v.)",
        "Ung vuxen (under 30 år)",
        "Young adult (under 30)",
        "KR1",
    ),
    (
        "long-term-unemployed",
        "Pitkäaikaistyötön",
        "Långtidsarbetslös",
        "Long-term unemployed",
        "KR1",
    ),
    ("immigrant", "Maahan muuttanut", "Invandrare", "Immigrant", "KR1"),
    (
        "reduced-work-ability",
        "Osatyökykyinen",
        "Partiellt arbetsför",
        "Partial work ability",
        "KR1",
    ),
    ("over-55", "Yli 55-vuotias", "Över 55 år", "Over 55", "KR1"),
    (
        "laid-off",
        "Lomautettu tai irtisanottu",
        "Permitterad eller uppsagd",
        "Laid off or dismissed",
        "KR1",
    ),
    (
        "student",
        "Opiskelija tai vastavalmistunut",
        "Studerande eller nyutexaminerad",
        "Student or recent graduate",
        "KR1",
    ),
    ("career-change", "Alanvaihtaja", "Byter bransch", "Changing career", "KR1"),
    (
        "starting-business",
        "Yrittäjäksi aikova",
        "Blivande företagare",
        "Starting a business",
        "KR2",
    ),
    (
        "returning-to-work",
        "Palaamassa työelämään",
        "Återvänder till arbetslivet",
        "Returning to work",
        "KR1",
    ),
    (
        "recruiting-employer",
        "Rekrytoiva työnantaja",
        "Rekryterande arbetsgivare",
        "Employer recruiting",
        "KR2",
    ),
]

METHODS = [
    ("in-person", "Lähipalvelu", "Närservice", "In person"),
    ("remote", "Etäpalvelu", "Distansservice", "Remote"),
    ("hybrid", "Hybridi", "Hybrid", "Hybrid"),
    ("online", "Verkkopalvelu", "Webbtjänst", "Online"),
]

LANGUAGES = [
    ("fi", "suomi", "finska", "Finnish"),
    ("sv", "ruotsi", "svenska", "Swedish"),
    ("en", "englanti", "engelska", "English"),
    ("ru", "venäjä", "ryska", "Russian"),
    ("et", "viro", "estniska", "Estonian"),
    ("so", "somali", "somaliska", "Somali"),
    ("ar", "arabia", "arabiska", "Arabic"),
    ("uk", "ukraina", "ukrainska", "Ukrainian"),
    ("fa", "persia", "persiska", "Persian"),
]

# Employment areas, named after and coded by their lead municipality.
EMPLOYMENT_AREAS = [
    (
        "091",
        "Helsingin työllisyysalue",
        "Helsingfors sysselsättningsområde",
        "Helsinki employment area",
    ),
    ("049", "Espoon työllisyysalue", "Esbo sysselsättningsområde", "Espoo employment area"),
    ("092", "Vantaan työllisyysalue", "Vanda sysselsättningsområde", "Vantaa employment area"),
    ("245", "Keravan työllisyysalue", "Kervo sysselsättningsområde", "Kerava employment area"),
    ("638", "Porvoon työllisyysalue", "Borgå sysselsättningsområde", "Porvoo employment area"),
    (
        "710",
        "Raaseporin työllisyysalue",
        "Raseborgs sysselsättningsområde",
        "Raasepori employment area",
    ),
]

# (code, fi, sv, en, employment area code)
MUNICIPALITIES = [
    ("091", "Helsinki", "Helsingfors", "Helsinki", "091"),
    ("049", "Espoo", "Esbo", "Espoo", "049"),
    ("235", "Kauniainen", "Grankulla", "Kauniainen", "049"),
    ("092", "Vantaa", "Vanda", "Vantaa", "092"),
    ("245", "Kerava", "Kervo", "Kerava", "245"),
    ("753", "Sipoo", "Sibbo", "Sipoo", "245"),
    ("638", "Porvoo", "Borgå", "Porvoo", "638"),
    ("710", "Raasepori", "Raseborg", "Raasepori", "710"),
    ("078", "Hanko", "Hangö", "Hanko", "710"),
    ("149", "Inkoo", "Ingå", "Inkoo", "710"),
]

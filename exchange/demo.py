"""Demo content: a generated exchange document, imported through the real import path.

``build_document()`` composes a realistic service manual from vocabularies —
about 150 provider organisations (the municipalities' employment services,
Kela, the state, pension insurers, schools, NGOs, companies), about 500
services across the ten municipalities, internal process instructions and
guides — with a seeded random generator, so the same arguments always give
the same document and the same keys. ``load_demo()`` imports it through the
importer in its create-only mode and adds a few attachments, which the
exchange format does not carry: a rerun creates only what is missing and
never touches a page that already exists, so editors' work on demo pages
stays. ``replace=True`` imports it as an ordinary import does instead, putting
the generated version back over every demo page that differs.
"""

import random
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify
from wagtail.documents import get_document_model

from catalogue.models import OrganisationPage, ServicePage
from catalogue.taxonomy_seed import MUNICIPALITIES
from exchange.importer import Importer
from exchange.validation import SOURCE_LANGUAGE, SiteTerms, validate_document
from guides.models import GuidePage, ProcessInstructionPage
from people import organisations
from people.site_tree import ensure_site_tree

SEED = 2027

# code → (fi, sv, en, employment area code)
PLACES = {code: (fi, sv, en, area) for code, fi, sv, en, area in MUNICIPALITIES}
AREA_MUNICIPALITIES = {}
for _code, (*_names, _area) in PLACES.items():
    AREA_MUNICIPALITIES.setdefault(_area, []).append(_code)
ALL_CODES = sorted(PLACES)
# Approximate centres, for service locations on a map.
CENTRES = {
    "091": (60.170, 24.938),
    "049": (60.205, 24.652),
    "235": (60.211, 24.728),
    "092": (60.294, 25.040),
    "245": (60.404, 25.105),
    "753": (60.377, 25.270),
    "638": (60.393, 25.665),
    "710": (59.975, 23.437),
    "078": (59.823, 22.968),
    "149": (60.046, 24.006),
}
STREETS = [
    "Työpajankatu",
    "Asemakatu",
    "Kauppakatu",
    "Rantatie",
    "Koulukatu",
    "Puistokatu",
    "Teollisuuskatu",
    "Kirkkokatu",
]
FIRST_NAMES = ["aino", "eero", "helmi", "juha", "leena", "mikko", "sanna", "timo", "veera", "ville"]
LAST_NAMES = ["virtanen", "korhonen", "nieminen", "makinen", "hamalainen", "laine", "koskinen"]


@dataclass(frozen=True)
class ServiceType:
    """One kind of service, with everything needed to describe an instance of it."""

    key: str
    fi: str
    sv: str
    en: str
    summary_fi: str
    summary_sv: str
    summary_en: str
    categories: tuple
    life_situations: tuple = ()
    audience: str = "person"
    ages: tuple = (None, None)
    keywords: tuple = ()
    kinds: tuple = ("municipality", "employment_area", "ngo", "company", "education")


SERVICE_TYPES = [
    ServiceType(
        "work-trial",
        "Työkokeilu",
        "Arbetsprövning",
        "Work trial",
        "Kokeile, sopiiko ala tai työpaikka sinulle ennen kuin sitoudut.",
        "Pröva om branschen eller arbetsplatsen passar dig.",
        "Try out whether a field or workplace suits you.",
        ("job-search-support", "career-planning"),
        ("career-change", "young-adult"),
        ages=(17, None),
        keywords=("työkokeilu", "uravalinta"),
    ),
    ServiceType(
        "career-guidance",
        "Uraohjaus",
        "Karriärvägledning",
        "Career guidance",
        "Henkilökohtaista ohjausta ammatinvalintaan ja urasuunnitteluun.",
        "Personlig vägledning i yrkesval och karriärplanering.",
        "Personal guidance for choosing a profession and planning a career.",
        ("career-planning",),
        ("career-change", "student"),
        keywords=("uraohjaus", "ammatinvalinta", "urasuunnittelu"),
        kinds=("municipality", "employment_area", "education", "state"),
    ),
    ServiceType(
        "pay-subsidy",
        "Palkkatuki",
        "Lönesubvention",
        "Pay subsidy",
        "Tukea työnantajalle työttömän työnhakijan palkkauskuluihin.",
        "Stöd till arbetsgivaren för lönekostnader för en arbetslös arbetssökande.",
        "Support for an employer's costs of hiring an unemployed job seeker.",
        ("employment-financial-support", "employer-services"),
        ("recruiting-employer",),
        audience="employer",
        keywords=("palkkatuki", "rekrytointi", "tuki"),
        kinds=("municipality", "employment_area"),
    ),
    ServiceType(
        "start-up-grant",
        "Starttiraha",
        "Startpeng",
        "Start-up grant",
        "Taloudellista tukea päätoimisen yritystoiminnan alkuun.",
        "Ekonomiskt stöd för att starta företagsverksamhet på heltid.",
        "Financial support for starting full-time business activity.",
        ("entrepreneurship", "employment-financial-support"),
        ("starting-business",),
        ages=(18, None),
        keywords=("starttiraha", "yrittäjyys"),
        kinds=("municipality", "employment_area"),
    ),
    ServiceType(
        "digital-skills",
        "Digitaidot työnhakuun",
        "Digitala färdigheter för jobbsökning",
        "Digital skills for job seekers",
        "Opit käyttämään työnhaun verkkopalveluja ja laatimaan sähköisen hakemuksen.",
        "Du lär dig använda webbtjänster för jobbsökning och skriva en digital ansökan.",
        "Learn to use online job search services and write a digital application.",
        ("education-and-skills", "job-search-support"),
        ("over-55", "immigrant", "returning-to-work"),
        keywords=("digi", "digitaidot", "verkkopalvelut"),
    ),
    ServiceType(
        "youth-workshop",
        "Nuorten työpaja",
        "Ungdomsverkstad",
        "Youth workshop",
        "Työpajatoimintaa ja valmennusta alle 30-vuotiaille.",
        "Verkstadsverksamhet och coachning för personer under 30 år.",
        "Workshop activities and coaching for people under 30.",
        ("job-search-support", "education-and-skills"),
        ("young-adult",),
        ages=(16, 29),
        keywords=("työpaja", "nuoret", "valmennus"),
        kinds=("municipality", "ngo", "education"),
    ),
    ServiceType(
        "integration-training",
        "Kotoutumiskoulutus",
        "Integrationsutbildning",
        "Integration training",
        "Suomen kieltä sekä yhteiskunta- ja työelämätaitoja maahan muuttaneille.",
        "Finska språket samt samhälls- och arbetslivskunskaper för invandrare.",
        "Finnish language and society and working life skills for immigrants.",
        ("integration", "education-and-skills"),
        ("immigrant",),
        ages=(17, None),
        keywords=("kotoutuminen", "suomen kieli", "S2"),
        kinds=("municipality", "education", "ngo"),
    ),
    ServiceType(
        "job-search-coaching",
        "Työnhakuvalmennus",
        "Jobbsökarträning",
        "Job search coaching",
        "Valmennusta CV:n, hakemuksen ja työhaastattelun valmisteluun.",
        "Träning i att förbereda cv, ansökan och arbetsintervju.",
        "Coaching in preparing a CV, an application and a job interview.",
        ("job-search-support",),
        ("long-term-unemployed", "laid-off"),
        keywords=("työnhaku", "CV", "työhaastattelu"),
    ),
    ServiceType(
        "job-coaching",
        "Työhönvalmennus",
        "Arbetsträning",
        "Job coaching",
        "Työhönvalmentaja tukee työpaikan löytämisessä ja työssä pysymisessä.",
        "En jobbcoach stöder dig i att hitta och behålla ett arbete.",
        "A job coach helps you find a job and keep it.",
        ("work-ability", "job-search-support"),
        ("reduced-work-ability", "long-term-unemployed"),
        keywords=("työhönvalmennus", "osatyökykyiset"),
        kinds=("municipality", "ngo", "company"),
    ),
    ServiceType(
        "recruitment-training",
        "Rekrytointikoulutus",
        "Rekryteringsutbildning",
        "Recruitment training",
        "Räätälöity koulutus työnantajan osaajatarpeeseen yhteishankintana.",
        "Skräddarsydd utbildning för arbetsgivarens kompetensbehov.",
        "Tailored training for an employer's skills needs, procured jointly.",
        ("employer-services", "education-and-skills"),
        ("recruiting-employer",),
        audience="employer",
        keywords=("rekrytointi", "yhteishankintakoulutus"),
        kinds=("municipality", "employment_area", "state"),
    ),
    ServiceType(
        "recruitment-fair",
        "Rekrytointitapahtuma",
        "Rekryteringsevenemang",
        "Recruitment fair",
        "Työnantajat ja työnhakijat kohtaavat samassa tapahtumassa.",
        "Arbetsgivare och arbetssökande möts på samma evenemang.",
        "Employers and job seekers meet at one event.",
        ("employer-services", "networking"),
        ("recruiting-employer",),
        audience="employer",
        keywords=("rekrytointi", "messut", "työnantajat"),
        kinds=("municipality", "employment_area", "education", "company"),
    ),
    ServiceType(
        "skills-assessment",
        "Osaamiskartoitus",
        "Kompetenskartläggning",
        "Skills assessment",
        "Selvitetään yhdessä osaamisesi ja sen täydentämisen tarpeet.",
        "Vi kartlägger tillsammans din kompetens och behov av komplettering.",
        "Together we map your skills and what to add to them.",
        ("skills-assessment",),
        ("immigrant", "career-change"),
        keywords=("osaaminen", "kartoitus"),
        kinds=("municipality", "education", "company"),
    ),
    ServiceType(
        "work-ability-assessment",
        "Työkykykartoitus",
        "Kartläggning av arbetsförmåga",
        "Work ability assessment",
        "Arvio työ- ja toimintakyvystä sekä sopivista jatkopoluista.",
        "Bedömning av arbets- och funktionsförmåga och lämpliga fortsatta vägar.",
        "An assessment of work and functional ability and suitable next steps.",
        ("work-ability",),
        ("reduced-work-ability",),
        ages=(18, 67),
        keywords=("työkyky", "kuntoutus"),
        kinds=("municipality", "pension", "kela", "company"),
    ),
    ServiceType(
        "low-threshold-guidance",
        "Ohjaamo: matalan kynnyksen ohjaus",
        "Ohjaamo: lågtröskelvägledning",
        "Ohjaamo: low-threshold guidance",
        "Neuvontaa ja ohjausta alle 30-vuotiaille ilman ajanvarausta.",
        "Rådgivning och vägledning för personer under 30 år utan tidsbokning.",
        "Advice and guidance for people under 30, no appointment needed.",
        ("low-threshold-guidance",),
        ("young-adult", "student"),
        ages=(15, 29),
        keywords=("Ohjaamo", "nuoret", "neuvonta"),
        kinds=("municipality", "employment_area"),
    ),
    ServiceType(
        "business-advice",
        "Yrittäjyysneuvonta",
        "Företagsrådgivning",
        "Business advice",
        "Maksutonta neuvontaa yrityksen perustamiseen ja liiketoimintasuunnitelmaan.",
        "Kostnadsfri rådgivning om att starta företag och om affärsplanen.",
        "Free advice on starting a business and on the business plan.",
        ("entrepreneurship",),
        ("starting-business",),
        keywords=("yritys", "liiketoimintasuunnitelma"),
        kinds=("municipality", "company", "ngo"),
    ),
    ServiceType(
        "language-for-work",
        "Kielikurssi työelämään",
        "Språkkurs för arbetslivet",
        "Language course for working life",
        "Ammattikohtaista suomen tai ruotsin kieltä työn arjen tilanteisiin.",
        "Yrkesinriktad finska eller svenska för arbetslivets vardag.",
        "Profession-specific Finnish or Swedish for everyday work situations.",
        ("integration", "education-and-skills"),
        ("immigrant",),
        keywords=("kielikoulutus", "suomi", "ruotsi"),
        kinds=("education", "ngo"),
    ),
    ServiceType(
        "labour-market-training",
        "Työvoimakoulutus",
        "Arbetskraftsutbildning",
        "Labour market training",
        "Ammatillista koulutusta työttömille ja työttömyysuhan alaisille.",
        "Yrkesutbildning för arbetslösa och personer som hotas av arbetslöshet.",
        "Vocational training for the unemployed and those at risk of unemployment.",
        ("education-and-skills",),
        ("laid-off", "career-change"),
        ages=(18, None),
        keywords=("koulutus", "ammatti"),
        kinds=("education", "employment_area"),
    ),
    ServiceType(
        "self-motivated-study",
        "Omaehtoinen opiskelu työttömyysetuudella",
        "Frivilliga studier med arbetslöshetsförmån",
        "Self-motivated study on unemployment benefit",
        "Opiskele työttömyysetuudella tuettuna, kun opinnot parantavat työllistymistä.",
        "Studera med arbetslöshetsförmån när studierna förbättrar sysselsättningen.",
        "Study on unemployment benefit when the studies improve your employment.",
        ("education-and-skills", "employment-financial-support"),
        ("student", "career-change"),
        ages=(25, None),
        keywords=("omaehtoinen opiskelu", "etuus"),
        kinds=("municipality", "employment_area", "kela"),
    ),
    ServiceType(
        "rehabilitative-work",
        "Kuntouttava työtoiminta",
        "Arbetsverksamhet i rehabiliteringssyfte",
        "Rehabilitative work activity",
        "Säännöllistä toimintaa arjen hallintaan ja työelämävalmiuksien vahvistamiseen.",
        "Regelbunden verksamhet som stärker vardagen och beredskapen för arbetslivet.",
        "Regular activity that supports everyday life and readiness for work.",
        ("work-ability",),
        ("long-term-unemployed",),
        ages=(17, 64),
        keywords=("kuntouttava työtoiminta", "arjenhallinta"),
        kinds=("municipality", "ngo"),
    ),
    ServiceType(
        "mentoring",
        "Mentorointiohjelma",
        "Mentorprogram",
        "Mentoring programme",
        "Kokenut mentori tukee työnhaussa ja verkostojen rakentamisessa.",
        "En erfaren mentor stöder dig i jobbsökandet och i att bygga nätverk.",
        "An experienced mentor supports your job search and networking.",
        ("networking", "job-search-support"),
        ("immigrant", "student", "over-55"),
        keywords=("mentorointi", "verkostot"),
        kinds=("ngo", "education", "company"),
    ),
    ServiceType(
        "employer-recruitment",
        "Työnantajan rekrytointipalvelut",
        "Rekryteringstjänster för arbetsgivare",
        "Recruitment services for employers",
        "Apua osaajien hakemiseen, ilmoittamiseen ja esivalintaan.",
        "Hjälp med att söka, annonsera och förhandsvälja kompetenta personer.",
        "Help with finding, advertising for and pre-selecting candidates.",
        ("employer-services",),
        ("recruiting-employer",),
        audience="employer",
        keywords=("rekrytointi", "työpaikkailmoitus", "työnantaja"),
        kinds=("municipality", "employment_area", "company"),
    ),
    ServiceType(
        "change-security",
        "Muutosturva",
        "Omställningsskydd",
        "Change security",
        "Tukea uuden työn löytämiseen irtisanomisen jälkeen.",
        "Stöd för att hitta nytt arbete efter en uppsägning.",
        "Support for finding new work after a dismissal.",
        ("job-search-support", "employment-financial-support"),
        ("laid-off",),
        keywords=("muutosturva", "irtisanominen"),
        kinds=("employment_area", "state"),
    ),
    ServiceType(
        "vocational-rehabilitation",
        "Ammatillinen kuntoutus",
        "Yrkesinriktad rehabilitering",
        "Vocational rehabilitation",
        "Kuntoutusta, joka auttaa pysymään työssä tai palaamaan työhön.",
        "Rehabilitering som hjälper dig att stanna kvar i eller återvända till arbetet.",
        "Rehabilitation that helps you stay in or return to work.",
        ("work-ability",),
        ("reduced-work-ability", "returning-to-work"),
        ages=(16, 67),
        keywords=("kuntoutus", "työkyky"),
        kinds=("kela", "pension"),
    ),
    ServiceType(
        "employment-advice",
        "Työllisyyspalvelujen neuvonta",
        "Rådgivning om sysselsättningstjänster",
        "Employment services advice",
        "Neuvontaa työnhakuun, etuuksiin ja palveluihin puhelimitse ja paikan päällä.",
        "Rådgivning om jobbsökning, förmåner och tjänster per telefon och på plats.",
        "Advice on job search, benefits and services by phone and in person.",
        ("job-search-start", "low-threshold-guidance"),
        (),
        keywords=("neuvonta", "työnhaku", "ilmoittautuminen"),
        kinds=("municipality", "employment_area", "state", "kela"),
    ),
    ServiceType(
        "apprenticeship",
        "Oppisopimuskoulutus",
        "Läroavtalsutbildning",
        "Apprenticeship training",
        "Opiskele ammatti työn ohessa työpaikalla oppien.",
        "Studera ett yrke vid sidan av arbetet genom lärande på arbetsplatsen.",
        "Learn a profession on the job at a workplace.",
        ("education-and-skills",),
        ("young-adult", "career-change"),
        ages=(15, None),
        keywords=("oppisopimus", "ammatillinen koulutus"),
        kinds=("education",),
    ),
    ServiceType(
        "wellbeing-coaching",
        "Hyvinvointivalmennus työnhakijoille",
        "Välmåendeträning för arbetssökande",
        "Wellbeing coaching for job seekers",
        "Ryhmävalmennus jaksamiseen ja arjen rytmiin työnhaun aikana.",
        "Gruppträning för ork och vardagsrytm under jobbsökandet.",
        "Group coaching for energy and a daily rhythm while looking for work.",
        ("work-ability",),
        ("long-term-unemployed", "over-55"),
        keywords=("hyvinvointi", "jaksaminen"),
        kinds=("ngo", "municipality"),
    ),
    ServiceType(
        "networking-evening",
        "Verkostoitumisilta",
        "Nätverkskväll",
        "Networking evening",
        "Tapaa alan ammattilaisia ja muita työnhakijoita rennossa ympäristössä.",
        "Träffa yrkesfolk och andra arbetssökande i en avslappnad miljö.",
        "Meet professionals and other job seekers in a relaxed setting.",
        ("networking",),
        ("student", "immigrant"),
        keywords=("verkostoituminen", "tapahtuma"),
        kinds=("ngo", "education", "company"),
    ),
    ServiceType(
        "over-55-group",
        "Yli 55-vuotiaiden työnhakuryhmä",
        "Jobbsökargrupp för personer över 55",
        "Job search group for people over 55",
        "Vertaistukea ja valmennusta kokeneille työnhakijoille.",
        "Kamratstöd och coachning för erfarna arbetssökande.",
        "Peer support and coaching for experienced job seekers.",
        ("job-search-support", "networking"),
        ("over-55",),
        ages=(55, None),
        keywords=("ikääntyneet", "vertaistuki"),
        kinds=("municipality", "ngo"),
    ),
    ServiceType(
        "trial-recruitment",
        "Rekrytointikokeilu työnantajille",
        "Rekryteringsförsök för arbetsgivare",
        "Trial recruitment for employers",
        "Tutustu tulevaan työntekijään työkokeilun avulla ennen palkkaamista.",
        "Lär känna en blivande anställd genom arbetsprövning innan du anställer.",
        "Get to know a future employee through a work trial before hiring.",
        ("employer-services",),
        ("recruiting-employer",),
        audience="employer",
        keywords=("rekrytointi", "työkokeilu", "työnantaja"),
        kinds=("municipality", "employment_area"),
    ),
    ServiceType(
        "education-trial",
        "Koulutuskokeilu",
        "Utbildningsprövning",
        "Education trial",
        "Tutustu opiskelualaan ja oppilaitokseen muutaman päivän ajan.",
        "Bekanta dig med ett studieområde och en läroanstalt under några dagar.",
        "Get to know a field of study and a school for a few days.",
        ("career-planning", "education-and-skills"),
        ("young-adult", "career-change"),
        ages=(16, None),
        keywords=("koulutus", "uravalinta"),
        kinds=("municipality", "education"),
    ),
]

# (key, kind, fi, sv or None, en or None, home area code or None for region-wide)
FIXED_ORGANISATIONS = [
    ("helsinki-employment", "municipality", "Helsingin työllisyyspalvelut",
     "Helsingfors sysselsättningstjänster", "Helsinki Employment Services", "091"),
    ("espoo-employment", "employment_area", "Espoon seudun työllisyysalue",
     "Esbo regions sysselsättningsområde", "Espoo Region Employment Area", "049"),
    ("vantaa-employment", "municipality", "Vantaan työllisyyspalvelut",
     "Vanda sysselsättningstjänster", "Vantaa Employment Services", "092"),
    ("kerava-employment", "employment_area", "Keravan ja Sipoon työllisyysalue",
     "Kervo och Sibbo sysselsättningsområde", "Kerava and Sipoo Employment Area", "245"),
    ("porvoo-employment", "municipality", "Porvoon työllisyyspalvelut",
     "Borgå sysselsättningstjänster", "Porvoo Employment Services", "638"),
    ("raasepori-employment", "employment_area", "Länsi-Uudenmaan työllisyysalue",
     "Västra Nylands sysselsättningsområde", "West Uusimaa Employment Area", "710"),
    ("ohjaamo-helsinki", "municipality", "Ohjaamo Helsinki", "Ohjaamo Helsingfors",
     "Ohjaamo Helsinki", "091"),
    ("ohjaamo-espoo", "municipality", "Ohjaamo Espoo", "Ohjaamo Esbo", "Ohjaamo Espoo", "049"),
    ("ohjaamo-vantaa", "municipality", "Ohjaamo Vantaa", "Ohjaamo Vanda", "Ohjaamo Vantaa", "092"),
    ("kela", "kela", "Kela", "FPA", "Kela", None),
    ("ely-uusimaa", "state", "Uudenmaan ELY-keskus", "NTM-centralen i Nyland",
     "Uusimaa ELY Centre", None),
    ("keha-centre", "state", "KEHA-keskus", "UF-centret", "KEHA Centre", None),
    ("te-digital", "state", "TE-digi", None, "TE digital services", None),
    ("keva", "pension", "Keva", "Keva", "Keva", None),
    ("elo", "pension", "Työeläkeyhtiö Elo", "Arbetspensionsbolaget Elo", None, None),
    ("ilmarinen", "pension", "Ilmarinen", "Ilmarinen", "Ilmarinen", None),
    ("varma", "pension", "Varma", "Varma", "Varma", None),
    ("stadin-ao", "education", "Stadin ammatti- ja aikuisopisto",
     "Stadin ammatti- ja aikuisopisto", "Helsinki Vocational College", "091"),
    ("omnia", "education", "Omnia", "Omnia", "Omnia", "049"),
    ("varia", "education", "Vantaan ammattiopisto Varia", None, "Varia Vocational College", "092"),
    ("keuda", "education", "Keuda", None, "Keuda", "245"),
    ("careeria", "education", "Careeria", "Careeria", "Careeria", "638"),
    ("axxell", "education", "Axxell Utbildning", "Axxell Utbildning", None, "710"),
    ("luksia", "education", "Luksia, Länsi-Uudenmaan koulutuskuntayhtymä", None, None, "710"),
    ("laurea", "education", "Laurea-ammattikorkeakoulu", None, "Laurea University of Applied "
     "Sciences", None),
    ("metropolia", "education", "Metropolia Ammattikorkeakoulu", None, "Metropolia University "
     "of Applied Sciences", None),
    ("haaga-helia", "education", "Haaga-Helia ammattikorkeakoulu", None, "Haaga-Helia University "
     "of Applied Sciences", None),
    ("red-cross-uusimaa", "ngo", "Suomen Punainen Risti, Helsingin ja Uudenmaan piiri",
     "Finlands Röda Kors, Helsingfors och Nylands distrikt", None, None),
    ("diakonissalaitos", "ngo", "Helsingin Diakonissalaitos", "Helsingfors Diakonissanstalt",
     None, "091"),
    ("nuorten-ystavat", "ngo", "Nuorten Ystävät ry", None, None, None),
    ("sininauhasaatio", "ngo", "Sininauhasäätiö", None, None, "091"),
    ("vates", "ngo", "Vates-säätiö", None, "Vates Foundation", None),
    ("monika-naiset", "ngo", "Monika-Naiset liitto ry", None, None, None),
    ("luckan", "ngo", "Luckan rf", "Luckan rf", None, None),
    ("setlementti-tunnelma", "ngo", "Setlementti Tunnelma ry", None, None, "092"),
    ("kauniainen-youth", "municipality", "Kauniaisten nuorisopalvelut",
     "Grankulla ungdomstjänster", None, "049"),
    ("sipoo-employment", "municipality", "Sipoon työllisyyspalvelut",
     "Sibbo sysselsättningstjänster", None, "245"),
    ("kerava-youth", "municipality", "Keravan nuorisopalvelut", None, None, "245"),
    ("hanko-employment", "municipality", "Hangon työllisyyspalvelut",
     "Hangö sysselsättningstjänster", None, "710"),
    ("inkoo-employment", "municipality", "Inkoon työllisyyspalvelut",
     "Ingå sysselsättningstjänster", None, "710"),
    ("vantaa-immigrant-services", "municipality", "Vantaan maahanmuuttajapalvelut",
     "Vanda invandrartjänster", "Vantaa Immigrant Services", "092"),
    ("uudenmaan-liitto", "other", "Uudenmaan liitto", "Nylands förbund", "Uusimaa Regional "
     "Council", None),
    ("kauppakamari", "other", "Helsingin seudun kauppakamari", "Helsingforsregionens "
     "handelskammare", "Helsinki Region Chamber of Commerce", None),
    ("yrityshelsinki", "company", "NewCo YritysHelsinki", None, "NewCo Helsinki", "091"),
    ("yritys-espoo", "company", "Yritys-Espoo", None, "Business Espoo", "049"),
    ("uusyrityskeskus-keuke", "ngo", "Uusyrityskeskus Keuke", None, None, "245"),
    ("posintra", "company", "Posintra Oy", "Posintra Ab", None, "638"),
    ("novago", "company", "Novago Yrityskehitys Oy", "Novago Företagsutveckling Ab", None, "710"),
]  # fmt: skip

TOWN_GENITIVES = {
    "091": "Helsingin",
    "049": "Espoon",
    "235": "Kauniaisten",
    "092": "Vantaan",
    "245": "Keravan",
    "753": "Sipoon",
    "638": "Porvoon",
    "710": "Raaseporin",
    "078": "Hangon",
    "149": "Inkoon",
}
NGO_NAMES = [
    "Työttömät ry",
    "Nuorisoseura ry",
    "Setlementti ry",
    "Mielenterveysseura ry",
    "Kotoutumisyhdistys ry",
    "Nuorten työpajayhdistys ry",
    "Vapaaehtoiskeskus ry",
    "Monikulttuurinen yhdistys ry",
    "Työkykyyhdistys ry",
    "Seniorityö ry",
]
COMPANY_PARTS = (
    ["Ura", "Työ", "Osaamis", "Valmennus", "Rekry", "Polku", "Kyky", "Taito", "Väylä", "Kasvu"],
    ["kumppanit Oy", "palvelut Oy", "keskus Oy", "tiimi Oy", "verkosto Oy", "pajat Oy"],
)
WORKSHOP_NAMES = ["Kipinä", "Verso", "Luotsi", "Sytyke", "Pajula", "Askel", "Kompassi", "Tuulia"]

# (key, kind, internal, fi title, sv title or None, en title or None)
GUIDES = [
    ("unemployment-benefit-guide", "guide", False, "Työttömyysturvan opas",
     "Guide om utkomstskydd för arbetslösa", "Guide to unemployment benefits"),
    ("job-seeker-checklist", "tool", False, "Työnhakijan muistilista",
     "Checklista för arbetssökande", "Job seeker's checklist"),
    ("employer-hiring-guide", "guide", False, "Työnantajan rekrytointiopas",
     "Arbetsgivarens rekryteringsguide", "Employer's hiring guide"),
    ("pay-subsidy-article", "article", False, "Palkkatuki uudistui: mitä muuttui?", None, None),
    ("starting-a-business", "guide", False, "Näin perustat yrityksen",
     "Så grundar du ett företag", "How to start a business"),
    ("plain-language-tips", "article", False, "Selkokieli asiakastyössä", None, None),
    ("service-need-questionnaire", "tool", False, "Palvelutarvekysely", "Servicebehovsenkät",
     "Service-need questionnaire"),
    ("integration-path", "guide", False, "Kotoutumisen polku", "Integrationens väg",
     "The integration path"),
    ("youth-guarantee", "article", False, "Nuorisotakuu käytännössä", "Ungdomsgarantin i praktiken",
     None),
    ("work-ability-paths", "guide", False, "Osatyökykyisen palvelupolut", None,
     "Service paths for partial work ability"),
    ("ptv-export-guide", "article", False, "Palvelut Suomi.fi-palvelutietovarantoon", None, None),
    ("accessibility-guide", "guide", False, "Saavutettava palvelukuvaus", None, None),
    ("ura-entries", "guide", True, "URA-kirjausten ohje", None, None),
    ("statement-templates", "tool", True, "Työvoimapoliittiset lausunnot: mallipohjat", None, None),
    ("meeting-checklist", "tool", True, "Asiakastapaamisen tarkistuslista", None, None),
    ("benefit-effects", "guide", True, "Palvelujen vaikutus työttömyysetuuteen", None, None),
    ("exceptions-handbook", "guide", True, "Keskeytykset ja poikkeustilanteet", None, None),
    ("data-protection", "article", True, "Tietosuoja asiakastyössä", None, None),
    ("referral-process", "guide", True, "Palveluun ohjaamisen prosessi", None, None),
    ("archiving-rules", "article", True, "Asiakirjojen arkistointi", None, None),
]  # fmt: skip

DESCRIPTION_SENTENCES = [
    "Palvelu räätälöidään osallistujan tavoitteiden mukaan.",
    "Valmentaja tukee sinua koko palvelun ajan.",
    "Palvelun aikana laaditaan yhdessä suunnitelma seuraaville askelille.",
    "Voit osallistua palveluun myös osa-aikaisesti.",
    "Palvelu sopii sekä ensimmäistä työpaikkaa etsiville että alaa vaihtaville.",
    "Osallistujat saavat todistuksen suoritetusta jaksosta.",
    "Palvelussa hyödynnetään työnantajayhteistyötä ja oikeita työtehtäviä.",
    "Ryhmät ovat pieniä, jotta jokainen saa henkilökohtaista ohjausta.",
]
IMPLEMENTATION_SENTENCES = [
    "Palvelu kestää {weeks} viikkoa.",
    "Tapaamiset järjestetään {days} kertaa viikossa.",
    "Etäosallistuminen on mahdollista Teamsin kautta.",
    "Palvelu alkaa joustavasti, kun paikka vapautuu.",
    "Uusi ryhmä aloittaa kuukauden ensimmäisenä maanantaina.",
]
PARTICIPATION_SENTENCES = [
    "Ilmoittaudu verkkolomakkeella tai soita palveluneuvontaan.",
    "Osallistuminen edellyttää voimassa olevaa työnhakua.",
    "Työllisyysasiantuntija ohjaa palveluun osana työllistymissuunnitelmaa.",
    "Osallistuminen ei vaikuta työttömyysetuuteesi.",
    "Voit saada kulukorvausta matkakuluihin.",
]
INSTRUCTION_SENTENCES = {
    "guidance": [
        "Tarkista asiakkaan työnhaun voimassaolo ennen ohjaamista.",
        "Kirjaa palveluun ohjaaminen työllistymissuunnitelmaan.",
        "Varmista, että asiakas täyttää palvelun ehdot.",
    ],
    "participation": [
        "Keskeytyksestä on ilmoitettava kolmen arkipäivän kuluessa.",
        "Sairauspoissaolot todennetaan lääkärintodistuksella.",
        "Seurantatapaaminen pidetään palvelun puolivälissä.",
    ],
    "statementsAndBenefits": [
        "Palvelun ajalta maksetaan työttömyysetuutta ja kulukorvausta.",
        "Työvoimapoliittinen lausunto annetaan viiden päivän kuluessa aloituksesta.",
    ],
    "clientRecords": [
        "Kirjaa palvelun alkamis- ja päättymispäivä URA-järjestelmään.",
        "Käytä palvelun koodia ja lisää lyhyt perustelu.",
    ],
    "supplementary": [
        "Kuntakohtaiset poikkeukset on sovittu työllisyysalueen kanssa.",
        "Asiakirjat arkistoidaan arkistointisuunnitelman mukaisesti.",
    ],
    "internalContacts": [
        "Palvelukoordinaattori vastaa kysymyksiin arkisin klo 9–15.",
        "Tiimin yhteinen sähköposti löytyy intranetistä.",
    ],
}
OTHER_LANGUAGES = ["ru", "et", "so", "ar", "uk", "fa"]


def _organisations(rng, count):
    """Organisation records: the fixed, well-known ones first, then composed names."""
    records, homes = [], {}

    def add(key, kind, fi, sv=None, en=None, home=None):
        locales = {"fi": {"name": fi}}
        if sv:
            locales["sv"] = {"name": sv}
        if en:
            locales["en"] = {"name": en}
        records.append(
            {
                "key": key,
                "kind": kind,
                "businessId": f"{rng.randrange(1000000, 3300000):07d}-{rng.randrange(10)}",
                "ptvId": None,
                "website": f"https://{key}.example.fi",
                "locales": locales,
            }
        )
        homes[key] = home

    for key, kind, fi, sv, en, home in FIXED_ORGANISATIONS[:count]:
        add(key, kind, fi, sv, en, home)
    used = {record["key"] for record in records}
    while len(records) < count:
        code = rng.choice(ALL_CODES)
        if rng.random() < 0.55:
            kind, name = "ngo", f"{TOWN_GENITIVES[code]} {rng.choice(NGO_NAMES)}"
        else:
            first, last = (rng.choice(part) for part in COMPANY_PARTS)
            kind, name = "company", f"{TOWN_GENITIVES[code]} {first}{last}"
            if rng.random() < 0.5:
                name, code = f"{first}{last}", None
        key = slugify(name)
        if key in used:
            continue
        used.add(key)
        add(key, kind, name, home=code)
    return records, homes


def _paragraphs(rng, sentences, count):
    return "".join(f"<p>{sentence}</p>" for sentence in rng.sample(sentences, count))


def _location_contact(index, organisation):
    """Phone, e-mail and opening hours for every other location.

    Derived from the service's position, not drawn from the generator, so the
    rest of the demo stays as it was.
    """
    if index % 2:
        return {}
    opens = "08:00" if index % 4 else "09:00"
    return {
        "phone": f"+358 9 {100 + index % 900} {1000 + index * 37 % 9000}",
        "email": f"toimipiste@{organisation}.example.fi",
        "openingHours": [
            {
                "type": "DaysOfTheWeek",
                "hours": [
                    {"dayFrom": "Monday", "dayTo": "Thursday", "from": opens, "to": "16:00"},
                    {"dayFrom": "Friday", "from": opens, "to": "14:00"},
                ],
                "info": "Ilman ajanvarausta" if index % 3 else "Ajanvarauksella",
            }
        ],
    }


def _service(
    rng,
    index,
    service_type,
    organisation,
    home,
    organisation_name,
    showcase=False,
    all_languages=False,
):
    """One service record of the given type, offered by the given organisation.

    A showcase service has the type's plain title and key and is published.
    With ``all_languages`` it has Swedish and English versions besides the
    Finnish one; otherwise about 30 % have Swedish and 60 % of those English.
    """
    codes = AREA_MUNICIPALITIES[PLACES[home][3]] if home else ALL_CODES
    municipalities = sorted(rng.sample(codes, rng.randint(1, len(codes))) if home else codes)
    place = PLACES[municipalities[0]] if home else None
    suffix = rng.random()
    if service_type.key == "youth-workshop" and suffix < 0.6:
        title = (f"{service_type.fi} {rng.choice(WORKSHOP_NAMES)}",) * 3
    elif place and suffix < 0.7:
        title = tuple(
            f"{name} – {town}" for name, town in zip(_names(service_type), place[:3], strict=True)
        )
    else:
        title = _names(service_type)
    if showcase:
        title = _names(service_type)
    status = "draft" if rng.random() < 0.08 and not showcase else "published"
    person = f"{rng.choice(FIRST_NAMES)}.{rng.choice(LAST_NAMES)}"
    responsible = f"{person}@{organisation}.example.fi"
    if status == "draft" and rng.random() < 0.5:
        responsible = None
    ages = service_type.ages
    languages = {"fi"}
    if rng.random() < 0.4 or (home and PLACES[home][3] in ("638", "710")):
        languages.add("sv")
    if rng.random() < 0.3:
        languages.add("en")
    if "integration" in service_type.categories:
        languages.update(rng.sample(OTHER_LANGUAGES, 2))
    methods = rng.sample(["in-person", "remote", "hybrid", "online"], rng.randint(1, 2))
    locations = []
    if "in-person" in methods or "hybrid" in methods:
        lat, lon = CENTRES[municipalities[0]]
        town = PLACES[municipalities[0]][0]
        locations.append(
            {
                "name": f"{organisation_name}, {town}",
                "address": f"{rng.choice(STREETS)} {rng.randint(1, 40)}",
                "postalCode": f"{rng.randint(100, 990):03d}{rng.choice('0123456789')}0",
                "city": town,
                "lat": round(lat + rng.uniform(-0.02, 0.02), 5),
                "lon": round(lon + rng.uniform(-0.03, 0.03), 5),
                **_location_contact(index, organisation),
            }
        )
    weeks, days = rng.choice([2, 4, 6, 8, 12, 26]), rng.randint(1, 5)
    locales = {
        "fi": {
            "title": title[0],
            "summary": service_type.summary_fi,
            "description": (
                f"<p>{service_type.summary_fi} Palvelun järjestää {organisation_name}.</p>"
                + _paragraphs(rng, DESCRIPTION_SENTENCES, 2)
                + "<ul>"
                + "".join(f"<li>{word}</li>" for word in service_type.keywords)
                + "</ul>"
            ),
            "targetGroup": "<p>Palvelu on tarkoitettu "
            + (
                "työnantajille ja yrityksille, jotka etsivät osaajia."
                if service_type.audience == "employer"
                else "työnhakijoille"
                + (f", jotka ovat {ages[0]}–{ages[1]}-vuotiaita." if ages[1] else ".")
            )
            + "</p>",
            "implementation": "<p>"
            + " ".join(rng.sample(IMPLEMENTATION_SENTENCES, 2)).format(weeks=weeks, days=days)
            + "</p>",
            "participation": f"<p><strong>{rng.choice(PARTICIPATION_SENTENCES)}</strong> "
            f"{rng.choice(PARTICIPATION_SENTENCES)}</p>",
            "keywords": list(service_type.keywords),
        }
    }
    if rng.random() < 0.3 or all_languages:
        locales["sv"] = {
            "title": title[1],
            "summary": service_type.summary_sv,
            "description": f"<p>{service_type.summary_sv}</p>",
        }
        if rng.random() < 0.6 or all_languages:
            locales["en"] = {
                "title": title[2],
                "summary": service_type.summary_en,
                "description": f"<p>{service_type.summary_en}</p>",
            }
    return {
        "key": service_type.key if showcase else f"{service_type.key}-{index:04d}",
        "organisation": organisation,
        "status": status,
        "audience": service_type.audience,
        "categories": list(service_type.categories),
        "lifeSituations": list(service_type.life_situations),
        "methods": methods,
        "municipalities": municipalities,
        "languages": sorted(languages),
        "ageMin": ages[0],
        "ageMax": ages[1],
        "free": rng.random() < 0.9,
        "accessible": rng.random() < 0.6,
        "priority": rng.choice([40, 50, 60, 70, 80, 90]) if rng.random() < 0.25 else 0,
        "effectiveness": rng.randint(30, 95) if rng.random() < 0.05 else None,
        "responsible": responsible,
        "validFrom": f"2026-{rng.randint(1, 12):02d}-01" if rng.random() < 0.3 else None,
        "validUntil": "2027-12-31" if rng.random() < 0.1 else None,
        "contacts": [
            {
                "name": "Palveluneuvonta",
                "email": f"neuvonta@{organisation}.example.fi",
                "phone": f"+358 {rng.randint(9, 50)} {rng.randint(100, 999)} "
                f"{rng.randint(1000, 9999)}",
            }
        ],
        "links": [
            {"title": "Ilmoittautuminen", "url": f"https://{organisation}.example.fi/{index}"}
        ]
        if rng.random() < 0.5
        else [],
        "locations": locations,
        "locales": locales,
    }


# The best-known services first, with plain titles and keys (as in the contract's example).
SHOWCASE = [
    ("work-trial", "helsinki-employment"),
    ("career-guidance", "helsinki-employment"),
    ("pay-subsidy", "espoo-employment"),
    ("start-up-grant", "espoo-employment"),
]


def _names(service_type):
    return (service_type.fi, service_type.sv, service_type.en)


def _instruction(rng, index, service):
    municipalities = service["municipalities"]
    area = PLACES[municipalities[0]][3]
    in_area = [code for code in municipalities if PLACES[code][3] == area]
    texts = {
        field: "".join(f"<p>{s}</p>" for s in rng.sample(sentences, min(2, len(sentences))))
        for field, sentences in INSTRUCTION_SENTENCES.items()
    }
    title = service["locales"]["fi"]["title"].split(" – ")[0]
    town = PLACES[in_area[0]][0]
    return {
        "key": f"instruction-{index:03d}",
        "service": service["key"],
        "status": "published" if rng.random() < 0.9 else "draft",
        "municipalities": in_area,
        "locales": {"fi": {"title": f"{title}: ohjausprosessi ({town})", **texts}},
    }


def _guide(rng, key, kind, internal, fi, sv, en):
    def body(title):
        return f"<h3>{title}</h3>" + _paragraphs(rng, DESCRIPTION_SENTENCES, 3)

    locales = {"fi": {"title": fi, "summary": f"{fi}: tiivistelmä.", "body": body(fi)}}
    for code, title in (("sv", sv), ("en", en)):
        if title:
            locales[code] = {"title": title, "summary": "", "body": f"<p>{title}</p>"}
    return {
        "key": key,
        "kind": kind,
        "internal": internal,
        "status": "draft" if rng.random() < 0.1 else "published",
        "locales": locales,
    }


def build_document(services=500, organisations=150, seed=SEED, all_languages=False):
    """A deterministic exchange document of the given size (``all_languages``: see _service)."""
    rng = random.Random(seed)
    organisation_records, homes = _organisations(rng, organisations)
    names = {r["key"]: r["locales"]["fi"]["name"] for r in organisation_records}
    kinds = {r["key"]: r["kind"] for r in organisation_records}
    municipal = [key for key, kind in kinds.items() if kind in ("municipality", "employment_area")]
    types = {service_type.key: service_type for service_type in SERVICE_TYPES}
    showcase = [(types[key], org) for key, org in SHOWCASE if org in kinds][:services]
    service_records = [
        _service(
            rng,
            index,
            service_type,
            org,
            homes[org],
            names[org],
            showcase=True,
            all_languages=all_languages,
        )
        for index, (service_type, org) in enumerate(showcase, start=1)
    ]
    for index in range(len(showcase) + 1, services + 1):
        # Municipal employment services provide about half of all services.
        if municipal and rng.random() < 0.5:
            organisation = rng.choice(municipal)
        else:
            organisation = rng.choice(list(kinds))
        fitting = [t for t in SERVICE_TYPES if kinds[organisation] in t.kinds] or SERVICE_TYPES
        service_type = rng.choice(fitting)
        service_records.append(
            _service(
                rng,
                index,
                service_type,
                organisation,
                homes[organisation],
                names[organisation],
                all_languages=all_languages,
            )
        )
    published = [s for s in service_records if s["status"] == "published"]
    instruction_count = min(len(published), round(services * 0.12))
    instructions = [
        _instruction(rng, index, service)
        for index, service in enumerate(rng.sample(published, instruction_count), start=1)
    ]
    guide_count = min(len(GUIDES), max(3, services // 25))
    guides = [_guide(rng, *guide) for guide in GUIDES[:guide_count]]
    return {
        "version": 1,
        "organisations": organisation_records,
        "services": service_records,
        "instructions": instructions,
        "guides": guides,
    }


# --- Attachments (outside the exchange format) --------------------------------

MINIMAL_PDF_TEXT = "Palvelumanuaali: esimerkkiliite"


def _pdf(text):
    """A one-page PDF showing one line of text, small enough to build by hand."""
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _document(title, collection, filename, content):
    """The demo document with this title in this collection, created once."""
    Document = get_document_model()
    document = Document.objects.filter(title=title, collection=collection).first()
    if document is None:
        document = Document(title=title, collection=collection)
        document.file.save(filename, ContentFile(content), save=False)
        document._set_document_file_metadata()
        document.save()
    return document


def _attach(page, document):
    """Add the document to the page's attachments and publish, unless already there."""
    if any(a.document_id == document.pk for a in page.attachments.all()):
        return
    attachment_model = page._meta.get_field("attachments").related_model
    page.attachments.add(attachment_model(document=document))
    page.save_revision().publish()


def add_attachments(tree, services=None, instructions=None):
    """A few public attachments in organisation collections and one internal one.

    ``services`` and ``instructions`` (keys) limit them to those pages, e.g. the
    ones an import has just created; None: any demo page.
    """
    fi = tree.catalogue.locale
    services = (
        ServicePage.objects.live()
        .filter(locale=fi, **({} if services is None else {"key__in": services}))
        .exclude(
            translation_key__in=ServicePage.objects.exclude(locale=fi).values("translation_key")
        )
        .order_by("key")
    )
    attached, seen_organisations = 0, set()
    for service in services:
        organisation = service.get_parent().specific
        if organisation.pk in seen_organisations or attached >= 3:
            continue
        seen_organisations.add(organisation.pk)
        collection = organisations.organisation_collection(organisation, tree.attachments)
        if attached % 2:
            document = _document(
                f"Esite: {service.title}", collection, f"{service.key}.pdf", _pdf(service.key)
            )
        else:
            text = f"{service.title}\n\n{service.summary}\n"
            document = _document(
                f"Palvelukuvaus: {service.title}",
                collection,
                f"{service.key}.txt",
                text.encode(),
            )
        _attach(service, document)
        attached += 1
    instruction = (
        ProcessInstructionPage.objects.live()
        .filter(locale=fi, **({} if instructions is None else {"key__in": instructions}))
        .order_by("key")
        .first()
    )
    if instruction is not None:
        document = _document(
            "URA-kirjausohje (sisäinen)",
            tree.internal_attachments,
            "ura-kirjausohje.txt",
            "Sisäinen ohje: palvelun kirjaaminen URA-järjestelmään.\n".encode(),
        )
        _attach(instruction, document)
    return attached + (instruction is not None)


# The page type of each section's records, whose ``key`` the importer matches.
SECTION_MODELS = {
    "organisations": OrganisationPage,
    "services": ServicePage,
    "instructions": ProcessInstructionPage,
    "guides": GuidePage,
}


def _missing_keys(document):
    """Per section, the keys of the document that no Finnish page has yet.

    A few key look-ups, so that a rerun on a loaded site costs next to nothing
    (the importer itself first reads every existing page).
    """
    return {
        section: {r["key"] for r in document[section]}
        - set(
            model.objects.filter(locale__language_code=SOURCE_LANGUAGE).values_list(
                "key", flat=True
            )
        )
        for section, model in SECTION_MODELS.items()
    }


@transaction.atomic
def load_demo(services=500, organisations=150, seed=SEED, all_languages=False, replace=False):
    """Create the demo content that is missing; returns the import counts and ``attachments``.

    Pages that exist already are left as they are, so a rerun on a site with
    the demo content changes nothing. ``replace``: write the generated version
    over existing demo pages too (a new revision, published by nobody).
    """
    generated = build_document(services, organisations, seed, all_languages)
    if not replace and not any(_missing_keys(generated).values()):
        return {
            **{
                section: {"created": 0, "updated": 0, "unchanged": len(generated[section])}
                for section in SECTION_MODELS
            },
            "attachments": 0,
        }
    terms = SiteTerms.load()
    importer = Importer(validate_document(generated, terms), terms, create_only=not replace)
    counts = importer.run()
    tree = ensure_site_tree()
    if replace:
        counts["attachments"] = add_attachments(tree)
    else:
        counts["attachments"] = add_attachments(
            tree, importer.created["services"], importer.created["instructions"]
        )
    return counts

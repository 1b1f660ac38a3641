"""A service in three languages with two locations and their opening hours, for the
open-data tests (tests/integrations); loaded by the ``trilingual_service`` fixture."""

TYOMARKKINATORI_ID = "0f8c6a3e-6a52-4d8e-9a51-2b8f4c1d7e90"

TRILINGUAL = {
    "version": 1,
    "organisations": [
        {
            "key": "vantaa",
            "kind": "municipality",
            "businessId": "0124610-9",
            "locales": {
                "fi": {"name": "Vantaan työllisyyspalvelut"},
                "sv": {"name": "Vanda sysselsättningstjänster"},
                "en": {"name": "Vantaa employment services"},
            },
        }
    ],
    "services": [
        {
            "key": "job-coaching",
            "organisation": "vantaa",
            "status": "published",
            "audience": "person",
            "responsible": "owner@example.org",
            "categories": ["job-search-support"],
            "lifeSituations": ["young-adult"],
            "methods": ["in-person"],
            "municipalities": ["092", "245"],
            "languages": ["fi", "sv", "en"],
            "ageMin": 18,
            "ageMax": 64,
            "free": True,
            "contacts": [
                {"name": "Neuvonta", "email": "neuvonta@example.org", "phone": "+358 9 123 4567"}
            ],
            "locations": [
                {
                    "name": "Tikkurilan toimipiste",
                    "address": "Asematie 1",
                    "postalCode": "01300",
                    "city": "Vantaa",
                    "lat": 60.2925,
                    "lon": 25.0437,
                },
                {"name": "Myyrmäen toimipiste", "lat": 60.2612, "lon": 24.8545},
            ],
            "locales": {
                "fi": {
                    "title": "Työnhakuvalmennus",
                    "summary": "Valmennusta työnhakuun.",
                    "description": "<p>Ryhmä- ja yksilövalmennusta.</p>",
                    "targetGroup": "<p>Vantaalaiset työnhakijat.</p>",
                    "participation": "<p>Ilmoittaudu neuvontaan.</p>",
                },
                "sv": {"title": "Jobbsökarträning", "summary": "Träning i jobbsökning."},
                "en": {"title": "Job search coaching", "summary": "Coaching for job seekers."},
            },
        }
    ],
}

OPENING_HOURS = [
    [
        {
            "type": "standard",
            "valid_from": "2026-01-01",
            "valid_to": None,
            "is_closed": False,
            "is_always_open": False,
            "hours": [
                {"day_from": "Monday", "day_to": "Friday", "from": "08:00:00", "to": "16:00:00"},
                {"day_from": "Saturday", "day_to": None, "from": "10:00", "to": "14:00"},
            ],
            "info": {"fi": "Ajanvaraus suositeltava", "sv": "Boka tid", "en": "Book ahead"},
        },
        {
            "type": "exception",
            "valid_from": "2026-12-24",
            "valid_to": "2026-12-26",
            "is_closed": True,
            "is_always_open": False,
            "hours": [],
            "info": None,
        },
    ],
    [
        {
            "type": "standard",
            "valid_from": None,
            "valid_to": None,
            "is_closed": False,
            "is_always_open": True,
            "hours": [],
            "info": "",
        }
    ],
]


def add_location_details():
    """What PTV and the map sources bring, on every translation (the fields are synchronised)."""
    from catalogue.models import ServiceLocation, ServicePage

    for page in ServicePage.objects.filter(key="job-coaching"):
        locations = ServiceLocation.objects.filter(page=page).order_by("sort_order", "pk")
        for location, hours in zip(locations, OPENING_HOURS, strict=True):
            location.opening_hours = hours
            location.phone = "+358 9 839 11" if location.address else ""
            location.email = "tikkurila@example.org" if location.address else ""
            location.ptv_id = "5e2d7b8a-1c3f-4a6e-8d9b-0a1b2c3d4e5f" if location.address else ""
            location.save()
    ServicePage.objects.filter(key="job-coaching").update(tyomarkkinatori_ids=TYOMARKKINATORI_ID)

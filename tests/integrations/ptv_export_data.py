"""Services marked for export to PTV, as an administrator would publish and mark them.

Shared by the export's own tests and the reports' tests; the stand-in PTV
(``ptv_export_standin``) knows ``ORG_GUID`` as the API user's organisation.
"""

from wagtail.models import Locale

from catalogue.models import (
    DeliveryLanguage,
    LifeSituation,
    Municipality,
    ServiceCategory,
    ServicePage,
)
from integrations.models import PtvServiceExport

ORG_GUID = "2f1b6e1e-8e2a-4a0e-9a57-0b3c2d6d9a11"
OTHER_GUID = "9c1d2e3f-0000-4abc-8def-123456789abc"


def exporting_organisation(key="helsinki", title="Helsingin työllisyyspalvelut", guid=ORG_GUID):
    from people.organisations import create_organisation

    organisation = create_organisation(key, title)[0]
    organisation.ptv_id = guid
    organisation.save_revision().publish()
    return organisation


def fi(model, **lookup):
    return model.objects.get(locale=Locale.objects.get(language_code="fi"), **lookup)


def publish_service(organisation, key="work-trial", title="Työkokeilu", **fields):
    values = {
        "summary": "Kokeile alaa ennen kuin sitoudut.",
        "description": "<p>Työkokeilussa kokeilet <b>alaa</b>.</p><ul><li>Kesto 1–6 kk</li>"
        '<li>Lisää: <a href="https://tyomarkkinatori.fi/">Työmarkkinatori</a></li></ul>',
        "responsible_email": "owner@example.org",
        **fields,
    }
    service = organisation.add_child(
        instance=ServicePage(title=title, slug=key, key=key, live=False, **values)
    )
    service.municipalities.set([fi(Municipality, code="091"), fi(Municipality, code="049")])
    service.languages.set([fi(DeliveryLanguage, slug="fi"), fi(DeliveryLanguage, slug="sv")])
    service.categories.set([fi(ServiceCategory, slug="job-search-support")])
    service.life_situations.set([fi(LifeSituation, slug="young-adult")])
    service.save_revision().publish()
    return ServicePage.objects.get(pk=service.pk)


def mark(service):
    return PtvServiceExport.objects.create(page=service)

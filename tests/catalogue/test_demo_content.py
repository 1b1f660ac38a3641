"""The demo content generator: a realistic site in one command, safe to rerun."""

import pytest
from django.core.management import call_command
from wagtail.documents import get_document_model

from catalogue.models import OrganisationPage, ServicePage
from exchange.demo import build_document
from guides.models import GuidePage, ProcessInstructionPage

pytestmark = pytest.mark.django_db


def test_the_generated_document_is_the_same_for_the_same_arguments():
    assert build_document(40, 12) == build_document(40, 12)
    document = build_document(500, 150)
    assert len(document["services"]) == 500
    assert len(document["organisations"]) == 150
    assert len({s["key"] for s in document["services"]}) == 500
    assert document["services"][0]["key"] == "work-trial"
    assert document["services"][0]["locales"]["fi"]["title"] == "Työkokeilu"
    translated = [s for s in document["services"] if set(s["locales"]) - {"fi"}]
    assert 0.2 < len(translated) / 500 < 0.4


def test_load_demo_creates_the_requested_services_and_is_idempotent():
    call_command("load_demo", "--services", "12", "--organisations", "5")
    finnish = {"locale__language_code": "fi"}
    services = ServicePage.objects.filter(**finnish).count()
    pages = (
        OrganisationPage.objects.count(),
        ServicePage.objects.count(),
        ProcessInstructionPage.objects.count(),
        GuidePage.objects.count(),
    )
    documents = get_document_model().objects.count()

    call_command("load_demo", "--services", "12", "--organisations", "5")

    assert services == 12
    assert OrganisationPage.objects.filter(**finnish).count() == 5
    assert (
        OrganisationPage.objects.count(),
        ServicePage.objects.count(),
        ProcessInstructionPage.objects.count(),
        GuidePage.objects.count(),
    ) == pages
    assert get_document_model().objects.count() == documents >= 2
    internal = ProcessInstructionPage.objects.filter(attachments__isnull=False).first()
    assert internal.attachments.first().document.collection.name == "Sisäiset liitteet"

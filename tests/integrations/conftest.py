"""Fixtures of the integrations tests."""

import copy

import pytest
from open_data_catalogue import TRILINGUAL, add_location_details

from catalogue.models import ServicePage


@pytest.fixture
def trilingual_service(small_catalogue):
    """Job-search coaching in Finnish, Swedish and English, at two locations."""
    from exchange.importer import import_document

    import_document(copy.deepcopy(TRILINGUAL))
    add_location_details()
    return ServicePage.objects.get(key="job-coaching", locale__language_code="fi")

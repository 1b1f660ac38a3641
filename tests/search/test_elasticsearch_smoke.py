"""A real Elasticsearch indexes a page and finds it (runs whenever it is configured)."""

import pytest
from wagtail.search.backends import get_search_backend

from catalogue.models import OrganisationPage, ServicePage

pytestmark = [pytest.mark.elasticsearch, pytest.mark.django_db]


def test_a_published_service_is_indexed_and_found(catalogue_root):
    backend = get_search_backend()
    assert backend.es.info()["version"]["number"].startswith("8.")
    organisation = catalogue_root.add_child(
        instance=OrganisationPage(title="Vantaan työllisyyspalvelut", key="vantaa", slug="vantaa")
    )
    service = organisation.add_child(
        instance=ServicePage(
            title="Uraohjaus",
            key="career-guidance",
            slug="uraohjaus",
            summary="Henkilökohtaista ohjausta uravalintoihin",
            responsible_email="vastuu@example.org",
        )
    )
    backend.add(service)
    backend.get_index_for_model(ServicePage).refresh()

    results = list(backend.search("uravalintoihin", ServicePage))
    assert [page.pk for page in results] == [service.pk]
    assert list(backend.search("kalastus", ServicePage)) == []

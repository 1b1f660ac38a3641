"""Catalogue models: the site's home, organisations and their services."""

from catalogue.models.home import HomePage
from catalogue.models.organisation import OrganisationPage, ServiceCatalogueIndexPage
from catalogue.models.service_page import ServicePage

__all__ = ["HomePage", "OrganisationPage", "ServiceCatalogueIndexPage", "ServicePage"]

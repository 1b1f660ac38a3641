"""Catalogue models: the site's home, organisations, services and taxonomies."""

from catalogue.models.home import HomePage
from catalogue.models.organisation import (
    OrganisationContact,
    OrganisationPage,
    ServiceCatalogueIndexPage,
)
from catalogue.models.publication_review import AreaReviewTask
from catalogue.models.review import ReviewReminder
from catalogue.models.service_page import (
    RESPONSIBLE_REQUIRED,
    ServiceAttachment,
    ServiceContact,
    ServiceLink,
    ServiceLocation,
    ServicePage,
)
from catalogue.models.taxonomies import (
    DeliveryLanguage,
    DeliveryMethod,
    EmploymentArea,
    LifeSituation,
    Municipality,
    ServiceCategory,
)

__all__ = [
    "RESPONSIBLE_REQUIRED",
    "AreaReviewTask",
    "DeliveryLanguage",
    "DeliveryMethod",
    "EmploymentArea",
    "HomePage",
    "LifeSituation",
    "Municipality",
    "OrganisationContact",
    "OrganisationPage",
    "ReviewReminder",
    "ServiceAttachment",
    "ServiceCatalogueIndexPage",
    "ServiceCategory",
    "ServiceContact",
    "ServiceLink",
    "ServiceLocation",
    "ServicePage",
]

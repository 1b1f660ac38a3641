"""Provider organisations (palveluntuottajat) and the catalogue that holds them."""

from django.db import models
from grapple.models import GraphQLString
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page


class ServiceCatalogueIndexPage(Page):
    """Palveluluettelo: the parent of every provider organisation."""

    subpage_types = ["catalogue.OrganisationPage"]
    parent_page_types = ["catalogue.HomePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = "palveluluettelo"


class OrganisationPage(Page):
    """Palveluntuottaja: one provider organisation; its services are its children.

    Provider groups get their permissions on this page's subtree, so the tree
    itself keeps each organisation to its own services.
    """

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", "kunta"
        EMPLOYMENT_AREA = "employment_area", "työllisyysalue"
        STATE = "state", "valtio"
        KELA = "kela", "Kela"
        PENSION = "pension", "eläkelaitos"
        EDUCATION = "education", "oppilaitos"
        NGO = "ngo", "järjestö"
        COMPANY = "company", "yritys"
        OTHER = "other", "muu"

    key = models.SlugField(max_length=100, unique=True, help_text="Exchange-format key")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)

    content_panels = Page.content_panels + [FieldPanel("key"), FieldPanel("kind")]

    graphql_fields = [GraphQLString("key"), GraphQLString("kind")]

    parent_page_types = ["catalogue.ServiceCatalogueIndexPage"]
    subpage_types = ["catalogue.ServicePage"]

    class Meta:
        verbose_name = "palveluntuottaja"

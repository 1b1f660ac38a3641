"""Provider organisations (palveluntuottajat) and the catalogue that holds them."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from grapple.models import GraphQLCollection, GraphQLForeignKey, GraphQLString
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from cms.preview import PreviewablePage


class ServiceCatalogueIndexPage(PreviewablePage, Page):
    """Palveluluettelo: the parent of every provider organisation."""

    parent_page_types = ["catalogue.HomePage"]
    subpage_types = ["catalogue.OrganisationPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("palveluluettelo")


class OrganisationPage(PreviewablePage, Page):
    """Palveluntuottaja: one provider organisation; its services are its children.

    Provider groups get their permissions on this page's subtree, so the tree
    itself keeps each organisation to its own services. The page title is the
    organisation's name.
    """

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("kunta")
        EMPLOYMENT_AREA = "employment_area", _("työllisyysalue")
        STATE = "state", _("valtio")
        KELA = "kela", _("Kela")
        PENSION = "pension", _("eläkelaitos")
        EDUCATION = "education", _("oppilaitos")
        NGO = "ngo", _("järjestö")
        COMPANY = "company", _("yritys")
        OTHER = "other", _("muu")

    key = models.SlugField(_("tunniste"), max_length=100, help_text=_("Exchange-format key"))
    kind = models.CharField(_("tyyppi"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    business_id = models.CharField(_("Y-tunnus"), max_length=20, blank=True)
    ptv_id = models.CharField(_("PTV-tunniste"), max_length=64, blank=True)
    website = models.URLField(_("verkkosivu"), blank=True)
    # The organisation's own groups, created with it (cms.roles); their page
    # permissions cover this page's subtree only.
    admin_group = models.OneToOneField(
        "auth.Group",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="administered_organisation",
    )
    editor_group = models.OneToOneField(
        "auth.Group",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="edited_organisation",
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("key"),
                FieldPanel("kind"),
                FieldPanel("business_id"),
                FieldPanel("ptv_id"),
                FieldPanel("website"),
            ],
            heading=_("Organisaation tiedot"),
        ),
        InlinePanel("contacts", heading=_("Yhteystiedot"), label=_("yhteystieto")),
    ]

    search_fields = Page.search_fields + [index.FilterField("key")]

    graphql_fields = [
        GraphQLString("key", required=True),
        GraphQLString("kind", required=True),
        GraphQLString("business_id"),
        GraphQLString("ptv_id"),
        GraphQLString("website"),
        GraphQLCollection(GraphQLForeignKey, "contacts", "catalogue.OrganisationContact"),
    ]

    override_translatable_fields = [
        SynchronizedField("key"),
        SynchronizedField("kind"),
        SynchronizedField("business_id"),
        SynchronizedField("ptv_id"),
        SynchronizedField("website"),
    ]

    # The groups belong to the Finnish page only; copies and translations
    # (wagtail-localize copies parents) must not try to take them over.
    exclude_fields_in_copy = ["admin_group", "editor_group"]

    parent_page_types = ["catalogue.ServiceCatalogueIndexPage"]
    subpage_types = ["catalogue.ServicePage"]

    class Meta:
        verbose_name = _("palveluntuottaja")
        verbose_name_plural = _("palveluntuottajat")


class OrganisationContact(Orderable):
    """A public contact point of an organisation."""

    page = ParentalKey(OrganisationPage, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("nimi"), max_length=200)
    email = models.EmailField(_("sähköposti"), blank=True)
    phone = models.CharField(_("puhelin"), max_length=50, blank=True)

    panels = [FieldPanel("name"), FieldPanel("email"), FieldPanel("phone")]

    graphql_fields = [GraphQLString("name"), GraphQLString("email"), GraphQLString("phone")]

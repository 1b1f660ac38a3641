"""Internal process and work instructions (sisäiset prosessi- ja työohjeet).

They live in the internal section of the tree, whose view restriction admits
only signed-in experts and editors. The section is split by employment area
so that a municipal producer's edit rights cover exactly their area's
instructions, and provider groups, whose rights are on their organisation's
subtree, never reach any of it.

    Home → Sisäinen (InternalSectionPage, restricted)
             ├─ Prosessiohjeet (InstructionIndexPage)
             │    └─ Helsinki (InstructionAreaPage) → ProcessInstructionPage …
             └─ Sisäiset ohjeet (GuideIndexPage) → GuidePage …
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from grapple.models import (
    GraphQLCollection,
    GraphQLDocument,
    GraphQLForeignKey,
    GraphQLPage,
    GraphQLRichText,
    GraphQLString,
)
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList, TabbedInterface
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from cms.forms import LocaleTermsPageForm
from cms.preview import PreviewablePage
from cms.rich_text import RICH_TEXT_FEATURES


class InternalSectionPage(PreviewablePage, Page):
    """Sisäinen: the restricted part of the site (instructions, internal guides)."""

    parent_page_types = ["catalogue.HomePage"]
    subpage_types = ["guides.InstructionIndexPage", "guides.GuideIndexPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("sisäinen osio")


class InstructionIndexPage(PreviewablePage, Page):
    """Prosessiohjeet: the parent of the per-area instruction folders."""

    parent_page_types = ["guides.InternalSectionPage"]
    subpage_types = ["guides.InstructionAreaPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("prosessiohjeet")


class InstructionAreaPage(PreviewablePage, Page):
    """One employment area's instructions; producer groups get rights here."""

    employment_area = models.ForeignKey(
        "catalogue.EmploymentArea",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("työllisyysalue"),
    )

    content_panels = Page.content_panels + [FieldPanel("employment_area")]

    graphql_fields = [GraphQLForeignKey("employment_area", "catalogue.EmploymentArea")]

    override_translatable_fields = [SynchronizedField("employment_area")]

    parent_page_types = ["guides.InstructionIndexPage"]
    subpage_types = ["guides.ProcessInstructionPage"]

    class Meta:
        verbose_name = _("työllisyysalueen ohjeet")


class ProcessInstructionPage(PreviewablePage, Page):
    """How experts of given municipalities guide a client to one service.

    One service may have several: e.g. a Helsinki instruction and an Espoo one.
    """

    key = models.SlugField(_("tunniste"), max_length=100, help_text=_("Exchange-format key"))
    service = models.ForeignKey(
        "catalogue.ServicePage",
        on_delete=models.PROTECT,
        related_name="instructions",
        verbose_name=_("palvelu"),
    )
    municipalities = ParentalManyToManyField(
        "catalogue.Municipality", blank=True, related_name="+", verbose_name=_("kunnat")
    )
    guidance = RichTextField(
        _("ohjausprosessi ja edellytykset"), blank=True, features=RICH_TEXT_FEATURES
    )
    participation = RichTextField(
        _("velvoitteet, poikkeukset ja seuranta"), blank=True, features=RICH_TEXT_FEATURES
    )
    statements_and_benefits = RichTextField(
        _("lausunnot ja etuudet"), blank=True, features=RICH_TEXT_FEATURES
    )
    client_records = RichTextField(_("URA-kirjaukset"), blank=True, features=RICH_TEXT_FEATURES)
    supplementary = RichTextField(_("lisätiedot"), blank=True, features=RICH_TEXT_FEATURES)
    internal_contacts = RichTextField(
        _("sisäiset yhteystiedot"), blank=True, features=RICH_TEXT_FEATURES
    )

    edit_handler = TabbedInterface(
        [
            ObjectList(
                Page.content_panels
                + [FieldPanel("service"), FieldPanel("municipalities"), FieldPanel("key")],
                heading=_("Perustiedot"),
            ),
            ObjectList(
                [
                    FieldPanel("guidance"),
                    FieldPanel("participation"),
                    FieldPanel("statements_and_benefits"),
                    FieldPanel("client_records"),
                    FieldPanel("supplementary"),
                ],
                heading=_("Ohje"),
            ),
            ObjectList(
                [
                    FieldPanel("internal_contacts"),
                    InlinePanel("attachments", heading=_("Sisäiset liitteet"), label=_("liite")),
                ],
                heading=_("Yhteystiedot ja liitteet"),
            ),
            ObjectList(Page.promote_panels, heading=_("Julkaisu")),
        ]
    )
    base_form_class = LocaleTermsPageForm  # municipalities of the page's own language

    search_fields = Page.search_fields + [
        index.SearchField("guidance"),
        index.SearchField("participation"),
        index.SearchField("statements_and_benefits"),
        index.SearchField("client_records"),
        index.SearchField("supplementary"),
        index.AutocompleteField("title"),
        index.FilterField("key"),
        index.RelatedFields("municipalities", [index.FilterField("code")]),
    ]

    graphql_fields = [
        GraphQLString("key", required=True),
        GraphQLPage("service"),
        GraphQLCollection(GraphQLForeignKey, "municipalities", "catalogue.Municipality"),
        GraphQLRichText("guidance"),
        GraphQLRichText("participation"),
        GraphQLRichText("statements_and_benefits"),
        GraphQLRichText("client_records"),
        GraphQLRichText("supplementary"),
        GraphQLRichText("internal_contacts"),
        GraphQLCollection(GraphQLForeignKey, "attachments", "guides.InstructionAttachment"),
    ]

    override_translatable_fields = [
        SynchronizedField("key"),
        SynchronizedField("service"),
        SynchronizedField("municipalities"),
        SynchronizedField("attachments"),
    ]

    parent_page_types = ["guides.InstructionAreaPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("prosessiohje")
        verbose_name_plural = _("prosessiohjeet")


class InstructionAttachment(Orderable):
    """An internal attachment; its document belongs in the restricted collection."""

    page = ParentalKey(ProcessInstructionPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="+", verbose_name=_("liite")
    )

    panels = [FieldPanel("document")]
    graphql_fields = [GraphQLDocument("document")]

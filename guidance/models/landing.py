"""Landing pages: each employment area's (alueen etusivu) and each audience's (the employer view).

They live in one section of the fixed tree, built by guidance.landing when
the site tree is (people.site_tree):

    Home → Etusivut (LandingIndexPage)
             ├─ Työnantajat (AudienceLandingPage, audience "employer")
             └─ Helsinki, Espoo, … (AreaLandingPage, one per employment area)

Rights are Wagtail page permissions: an area's producer group may edit and
publish its area's landing page only; every producer group the audience
pages (like the catalogue); administrators everything. Each page is
published like any page, so drafts never reach the API; featured services
are delivered only when the caller may see them (guidance.landing).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from grapple.models import GraphQLForeignKey, GraphQLRichText, GraphQLString
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail_localize.fields import SynchronizedField, TranslatableField

from catalogue.models import ServicePage
from cms.preview import PreviewablePage
from cms.rich_text import RICH_TEXT_FEATURES
from cms.visibility import for_request


class FeaturingPage:
    """Page mixin: the featured services for the built-in page templates (cms.frontend)."""

    def featured_for(self, request):
        """The featured services in order: in a preview all of them, for the editor; on
        the built-in public page only those the reader may see."""
        services = [item.service for item in self.featured_services.all()]
        if getattr(request, "is_preview", False):
            return services
        visibility = for_request(request)
        return [service for service in services if visibility.can_view_page(service)]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["featured"] = self.featured_for(request)
        return context


class LandingIndexPage(PreviewablePage, Page):
    """Etusivut: the parent of the area and audience landing pages."""

    parent_page_types = ["catalogue.HomePage"]
    subpage_types = ["guidance.AreaLandingPage", "guidance.AudienceLandingPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("etusivut")


class FeaturedService(Orderable):
    """A service lifted onto a landing page; the order is the page's curated order."""

    service = models.ForeignKey(
        "catalogue.ServicePage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("palvelu"),
    )

    panels = [FieldPanel("service")]

    class Meta(Orderable.Meta):
        abstract = True


class AreaLandingPage(FeaturingPage, PreviewablePage, Page):
    """Alueen etusivu: what an employment area's producers put first for their area."""

    employment_area = models.ForeignKey(
        "catalogue.EmploymentArea",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("työllisyysalue"),
    )
    highlights = RichTextField(_("nostot"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [
        FieldPanel("employment_area", read_only=True),
        FieldPanel("highlights"),
        InlinePanel(
            "featured_services",
            heading=_("Esiin nostetut palvelut"),
            label=_("Palvelu"),
            help_text=_(
                "Näytetään tässä järjestyksessä. Alueen asiantuntijoille ne näkyvät myös "
                "palveluhaun kärjessä, kun hakuun ei ole valittu suodattimia."
            ),
        ),
    ]

    # The page as the generic page fields deliver it; ``areaLanding`` delivers it whole.
    graphql_fields = [
        GraphQLForeignKey("employment_area", "catalogue.EmploymentArea"),
        GraphQLRichText("highlights"),
    ]

    override_translatable_fields = [
        TranslatableField("highlights"),
        SynchronizedField("employment_area"),
        SynchronizedField("featured_services"),
    ]

    parent_page_types = ["guidance.LandingIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("alueen etusivu")
        verbose_name_plural = _("alueiden etusivut")

    def clean(self):
        super().clean()
        if not self.employment_area_id:
            return  # the field's own error
        others = AreaLandingPage.objects.filter(
            locale_id=self.locale_id, employment_area__code=self.employment_area.code
        ).exclude(pk=self.pk)
        if others.exists():
            raise ValidationError({"employment_area": _("Tällä työllisyysalueella on jo etusivu.")})


class AreaFeaturedService(FeaturedService):
    page = ParentalKey(AreaLandingPage, on_delete=models.CASCADE, related_name="featured_services")


class AudienceLandingPage(FeaturingPage, PreviewablePage, Page):
    """Asiakasryhmän etusivu: the entry to one audience's services (the employer view).

    Its own set of categories, in its own order and words, and featured
    services. The audience is the key the frontends use everywhere in that
    view: ``services(filter: {audience})``, ``siteSearch(audience:)`` and the
    audience's questionnaire.
    """

    audience = models.CharField(
        _("asiakasryhmä"),
        max_length=10,
        choices=ServicePage.Audience.choices,
        default=ServicePage.Audience.EMPLOYER,
    )
    intro = RichTextField(_("johdanto"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [
        FieldPanel("audience", read_only=True),
        FieldPanel("intro"),
        InlinePanel("categories", heading=_("Palveluluokat"), label=_("Palveluluokka")),
        InlinePanel("featured_services", heading=_("Esiin nostetut palvelut"), label=_("Palvelu")),
    ]

    # The page as the generic page fields deliver it; ``audienceLanding`` delivers it whole.
    graphql_fields = [GraphQLString("audience", required=True), GraphQLRichText("intro")]

    override_translatable_fields = [
        TranslatableField("intro"),
        SynchronizedField("audience"),
        TranslatableField("categories"),
        SynchronizedField("featured_services"),
    ]

    parent_page_types = ["guidance.LandingIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("asiakasryhmän etusivu")
        verbose_name_plural = _("asiakasryhmien etusivut")

    def clean(self):
        super().clean()
        others = AudienceLandingPage.objects.filter(
            locale_id=self.locale_id, audience=self.audience
        ).exclude(pk=self.pk)
        if others.exists():
            raise ValidationError({"audience": _("Tällä asiakasryhmällä on jo etusivu.")})


class AudienceCategory(TranslatableMixin, Orderable):
    """A service category as this audience's landing page names and explains it
    (translated with its page: a translatable child object)."""

    page = ParentalKey(AudienceLandingPage, on_delete=models.CASCADE, related_name="categories")
    category = models.ForeignKey(
        "catalogue.ServiceCategory",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("palveluluokka"),
    )
    label = models.CharField(
        _("otsikko"),
        max_length=200,
        blank=True,
        help_text=_("Asiakasryhmän oma nimi luokalle; tyhjä: luokan nimi."),
    )
    description = models.TextField(_("kuvaus"), blank=True)

    panels = [FieldPanel("category"), FieldPanel("label"), FieldPanel("description")]

    override_translatable_fields = [
        SynchronizedField("category"),
        TranslatableField("label"),
        TranslatableField("description"),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("asiakasryhmän palveluluokka")


class AudienceFeaturedService(FeaturedService):
    page = ParentalKey(
        AudienceLandingPage, on_delete=models.CASCADE, related_name="featured_services"
    )

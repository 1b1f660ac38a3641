"""The root of each locale's tree."""

from django.utils.translation import gettext_lazy as _
from grapple.models import GraphQLRichText
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from cms.preview import PreviewablePage


class HomePage(PreviewablePage, Page):
    """Etusivu: the root under which the catalogue and the guides live."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link", "ol", "ul"])

    content_panels = Page.content_panels + [FieldPanel("intro")]

    graphql_fields = [GraphQLRichText("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "catalogue.ServiceCatalogueIndexPage",
        "guides.GuideIndexPage",
        "guides.InternalSectionPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("etusivu")

"""Guides, articles and tools ("Ohjeet ja oppaat", "Työvälineet").

A guide is public when it sits under the public guide index and internal
when it sits under the internal section, whose view restriction it inherits;
the tree, not a flag, decides who may read it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from grapple.models import GraphQLBoolean, GraphQLRichText, GraphQLString
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from cms.preview import PreviewablePage
from cms.rich_text import RICH_TEXT_FEATURES
from guides.models.instruction import InternalSectionPage


class GuideIndexPage(PreviewablePage, Page):
    """A list of guides: public under Home, internal under the internal section."""

    intro = RichTextField(blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    graphql_fields = [GraphQLRichText("intro")]

    parent_page_types = ["catalogue.HomePage", "guides.InternalSectionPage"]
    subpage_types = ["guides.GuidePage"]

    class Meta:
        verbose_name = _("ohjeluettelo")


class GuidePage(PreviewablePage, Page):
    """Ohje, artikkeli tai työväline."""

    class Kind(models.TextChoices):
        GUIDE = "guide", _("ohje")
        ARTICLE = "article", _("artikkeli")
        TOOL = "tool", _("työväline")

    key = models.SlugField(_("tunniste"), max_length=100, help_text=_("Exchange-format key"))
    kind = models.CharField(_("tyyppi"), max_length=10, choices=Kind.choices, default=Kind.GUIDE)
    summary = models.TextField(_("tiivistelmä"), blank=True)
    body = RichTextField(_("sisältö"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    promote_panels = Page.promote_panels + [FieldPanel("key")]

    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.AutocompleteField("title"),
        index.FilterField("key"),
        index.FilterField("kind"),
    ]

    graphql_fields = [
        GraphQLString("key", required=True),
        GraphQLString("kind", required=True),
        GraphQLString("summary"),
        GraphQLRichText("body"),
        GraphQLBoolean("is_internal", required=True, source="delivered_is_internal"),
    ]

    override_translatable_fields = [SynchronizedField("key"), SynchronizedField("kind")]

    parent_page_types = ["guides.GuideIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("ohje")
        verbose_name_plural = _("ohjeet")

    @property
    def is_internal(self):
        return self.get_ancestors().type(InternalSectionPage).exists()

    def delivered_is_internal(self, info, **kwargs):
        """``is_internal`` by the internal sections' paths, read once per request."""
        request = info.context
        paths = getattr(request, "_internal_section_paths", None)
        if paths is None:
            paths = tuple(InternalSectionPage.objects.values_list("path", flat=True))
            request._internal_section_paths = paths
        return self.path.startswith(paths)

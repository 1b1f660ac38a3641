"""The service description (palvelukuvaus): the public part of a service."""

from django.db import models
from grapple.models import GraphQLRichText, GraphQLString
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


class ServicePage(Page):
    """Palvelu: one employment service as its provider describes it to the public."""

    key = models.SlugField(max_length=100, help_text="Exchange-format key")
    summary = models.TextField(blank=True)
    description = RichTextField(blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("description"),
    ]
    promote_panels = Page.promote_panels + [FieldPanel("key")]

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("description"),
    ]

    graphql_fields = [
        GraphQLString("key"),
        GraphQLString("summary"),
        GraphQLRichText("description"),
    ]

    parent_page_types = ["catalogue.OrganisationPage"]
    subpage_types = []

    class Meta:
        verbose_name = "palvelu"

"""Taxonomies that classify services: translatable snippets seeded by a migration.

Each term has a stable ``slug`` (municipalities and employment areas: an
official ``code``) used by the exchange format and the GraphQL filters, a
translatable ``name``, and optionally the national classification it stands
for (a uri.suomi.fi code-list URI) so exports to the Finnish Service Catalogue
(PTV) and to Open Referral HSDS can map cleanly.

Translations of a term share its slug/code (synchronised, never translated).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from grapple.models import GraphQLForeignKey, GraphQLString
from wagtail.admin.panels import FieldPanel
from wagtail.models import TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField


class Term(TranslatableMixin, index.Indexed, models.Model):
    """Shared shape of a taxonomy term."""

    name = models.CharField(_("nimi"), max_length=200)
    slug = models.SlugField(max_length=100)
    national_uri = models.URLField(
        _("kansallinen luokitus"),
        blank=True,
        help_text=_("uri.suomi.fi code-list URI of the corresponding national class, if any"),
    )
    sort_order = models.PositiveSmallIntegerField(_("järjestys"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("national_uri"),
        FieldPanel("sort_order"),
    ]

    search_fields = [index.SearchField("name"), index.FilterField("slug")]

    graphql_fields = [
        GraphQLString("name", required=True),
        GraphQLString("slug", required=True),
        GraphQLString("national_uri"),
    ]

    override_translatable_fields = [
        TranslatableField("name"),
        SynchronizedField("slug"),
        SynchronizedField("national_uri"),
        SynchronizedField("sort_order"),
    ]

    class Meta(TranslatableMixin.Meta):
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class ServiceCategory(Term):
    """Palvelutarve / palveluluokka: the service need a service answers."""

    class Meta(Term.Meta):
        verbose_name = _("palveluluokka")
        verbose_name_plural = _("palveluluokat")
        unique_together = [("translation_key", "locale"), ("slug", "locale")]


class LifeSituation(Term):
    """Elämäntilanne: the client's situation a service is meant for."""

    class Meta(Term.Meta):
        verbose_name = _("elämäntilanne")
        verbose_name_plural = _("elämäntilanteet")
        unique_together = [("translation_key", "locale"), ("slug", "locale")]


class DeliveryMethod(Term):
    """Toteutustapa: in person, remote, hybrid, online."""

    class Meta(Term.Meta):
        verbose_name = _("toteutustapa")
        verbose_name_plural = _("toteutustavat")
        unique_together = [("translation_key", "locale"), ("slug", "locale")]


class DeliveryLanguage(Term):
    """Palvelukieli: a language a service is delivered in; ``slug`` is the ISO 639-1 code."""

    class Meta(Term.Meta):
        verbose_name = _("palvelukieli")
        verbose_name_plural = _("palvelukielet")
        unique_together = [("translation_key", "locale"), ("slug", "locale")]


class EmploymentArea(TranslatableMixin, models.Model):
    """Työllisyysalue: a group of municipalities served together.

    Identified by the Statistics Finland code of its lead municipality (Espoo
    049 also covers Kauniainen, Raasepori 710 covers Hanko and Inkoo, …).
    """

    name = models.CharField(_("nimi"), max_length=200)
    code = models.CharField(_("koodi"), max_length=3)
    # The area's municipal content producers (sisällöntuottajat); see cms.roles.
    producer_group = models.ForeignKey(
        "auth.Group",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [FieldPanel("name"), FieldPanel("code")]

    graphql_fields = [GraphQLString("name", required=True), GraphQLString("code", required=True)]

    override_translatable_fields = [TranslatableField("name"), SynchronizedField("code")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("työllisyysalue")
        verbose_name_plural = _("työllisyysalueet")
        ordering = ["name"]
        unique_together = [("translation_key", "locale"), ("code", "locale")]

    def __str__(self):
        return self.name


class Municipality(TranslatableMixin, models.Model):
    """Kunta, identified by its Statistics Finland municipality code (kuntanumero)."""

    name = models.CharField(_("nimi"), max_length=200)
    code = models.CharField(_("kuntanumero"), max_length=3)
    employment_area = models.ForeignKey(
        EmploymentArea,
        on_delete=models.PROTECT,
        related_name="municipalities",
        verbose_name=_("työllisyysalue"),
    )
    national_uri = models.URLField(_("kansallinen luokitus"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("code"),
        FieldPanel("employment_area"),
        FieldPanel("national_uri"),
    ]

    graphql_fields = [
        GraphQLString("name", required=True),
        GraphQLString("code", required=True),
        GraphQLForeignKey("employment_area", "catalogue.EmploymentArea"),
        GraphQLString("national_uri"),
    ]

    override_translatable_fields = [
        TranslatableField("name"),
        SynchronizedField("code"),
        SynchronizedField("employment_area"),
        SynchronizedField("national_uri"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("kunta")
        verbose_name_plural = _("kunnat")
        ordering = ["name"]
        unique_together = [("translation_key", "locale"), ("code", "locale")]

    def __str__(self):
        return f"{self.name} ({self.code})"


__all__ = [
    "DeliveryLanguage",
    "DeliveryMethod",
    "EmploymentArea",
    "LifeSituation",
    "Municipality",
    "ServiceCategory",
]

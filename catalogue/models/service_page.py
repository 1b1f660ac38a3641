"""The service description (palvelukuvaus): the public part of a service.

Fields follow the groups of the domain brief — basic information, target
group, implementation, participation, contacts and links — and the admin
shows one tab per group. Classifications, numbers and contact data are
synchronised between translations; only text is translated.
"""

import re
import uuid
from contextlib import suppress
from functools import partialmethod

import graphene
from dateutil.relativedelta import relativedelta
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from grapple.models import (
    GraphQLBoolean,
    GraphQLCollection,
    GraphQLDocument,
    GraphQLField,
    GraphQLFloat,
    GraphQLForeignKey,
    GraphQLInt,
    GraphQLRichText,
    GraphQLString,
)
from grapple.registry import registry
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from catalogue.forms import RESPONSIBLE_REQUIRED, ServicePageForm
from catalogue.panels import LocationFieldPanel, LocationsPanel, ReadOnlyFieldPanel
from cms import localisation
from cms.preview import PreviewablePage
from cms.rich_text import RICH_TEXT_FEATURES
from cms.visibility import for_request

PERCENT = [MaxValueValidator(100)]

# The taxonomies of a service (catalogue.models.taxonomies), each in the service's locale.
TERM_FIELDS = ("categories", "municipalities", "life_situations", "methods", "languages")
FOREIGN_TERMS = _(
    "Luokitus on toisella kielellä: %(terms)s. Valitse sivun kielen (%(language)s) luokitukset."
)
INVALID_TYOMARKKINATORI_ID = _(
    "Työmarkkinatorin palvelutunniste on UUID (esim. 3f2504e0-4f89-41d3-9a0c-0305e82c3301) "
    "tai palvelun osoite, joka päättyy siihen: %(value)s"
)


def parse_tyomarkkinatori_ids(text):
    """The Työmarkkinatori service identifiers in ``text``, normalised and without repeats.

    Producers paste either the identifier (a UUID) or the service's whole address in
    Työmarkkinatori, which ends with it; items are separated by commas, spaces or lines.
    """
    found = []
    for item in re.split(r"[\s,;]+", text or ""):
        if not item:
            continue
        try:
            value = str(uuid.UUID(item.rstrip("/").rsplit("/", 1)[-1]))
        except ValueError:
            raise ValidationError(INVALID_TYOMARKKINATORI_ID, params={"value": item}) from None
        if value not in found:
            found.append(value)
    return found


def _list_of(app_label, model_name):
    """A lazy GraphQL list of grapple's type for a model (types exist only after loading)."""
    return lambda: graphene.List(
        graphene.NonNull(registry.models[apps.get_model(app_label, model_name)])
    )


def _terms(name, model_name):
    """A service's taxonomy terms in the service's locale (cms.localisation.localized_terms)."""
    return GraphQLField(
        name, _list_of("catalogue", model_name), required=True, source=f"delivered_{name}"
    )


class ServicePage(PreviewablePage, Page):
    """Palvelu: one employment service as its provider describes it to the public."""

    class Audience(models.TextChoices):
        PERSON = "person", _("henkilöasiakas")
        EMPLOYER = "employer", _("työnantaja")

    class Validity(models.TextChoices):
        """Where a day falls in the service's validity window (voimassaolo)."""

        CURRENT = "CURRENT", _("voimassa")
        UPCOMING = "UPCOMING", _("tulossa")
        EXPIRED = "EXPIRED", _("päättynyt")

    key = models.SlugField(_("tunniste"), max_length=100, help_text=_("Exchange-format key"))

    # Basic information (perustiedot)
    summary = models.TextField(_("lyhyt kuvaus"), blank=True)
    description = RichTextField(_("kuvaus"), blank=True, features=RICH_TEXT_FEATURES)
    keywords = models.CharField(
        _("hakusanat"), max_length=500, blank=True, help_text=_("Comma-separated search keywords")
    )
    categories = ParentalManyToManyField(
        "catalogue.ServiceCategory", blank=True, related_name="+", verbose_name=_("palveluluokat")
    )
    free = models.BooleanField(_("maksuton"), default=True)
    accessible = models.BooleanField(_("esteetön"), default=False)

    # Target group (kohderyhmä)
    audience = models.CharField(
        _("asiakasryhmä"), max_length=10, choices=Audience.choices, default=Audience.PERSON
    )
    target_group = RichTextField(_("kohderyhmän kuvaus"), blank=True, features=RICH_TEXT_FEATURES)
    age_min = models.PositiveSmallIntegerField(_("ikä vähintään"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("ikä enintään"), null=True, blank=True)
    municipalities = ParentalManyToManyField(
        "catalogue.Municipality", blank=True, related_name="+", verbose_name=_("kunnat")
    )
    life_situations = ParentalManyToManyField(
        "catalogue.LifeSituation", blank=True, related_name="+", verbose_name=_("elämäntilanteet")
    )

    # Implementation (toteutus)
    implementation = RichTextField(_("toteutus"), blank=True, features=RICH_TEXT_FEATURES)
    methods = ParentalManyToManyField(
        "catalogue.DeliveryMethod", blank=True, related_name="+", verbose_name=_("toteutustavat")
    )
    languages = ParentalManyToManyField(
        "catalogue.DeliveryLanguage", blank=True, related_name="+", verbose_name=_("palvelukielet")
    )

    # Participation (osallistuminen)
    participation = RichTextField(_("osallistuminen"), blank=True, features=RICH_TEXT_FEATURES)

    # Management (hallinta): ranking, responsibility, validity, review
    priority = models.PositiveSmallIntegerField(
        _("priorisointiluku"),
        default=0,
        validators=PERCENT,
        help_text=_("0–100; lifts the service"),
    )
    effectiveness = models.PositiveSmallIntegerField(
        _("vaikuttavuus"),
        null=True,
        blank=True,
        validators=PERCENT,
        help_text=_("0–100, when measured"),
    )
    responsible_email = models.EmailField(
        _("vastuuhenkilö"),
        blank=True,
        help_text=_("E-mail of the named responsible person; required before publishing"),
    )
    valid_from = models.DateField(_("voimassa alkaen"), null=True, blank=True)
    valid_until = models.DateField(_("voimassa asti"), null=True, blank=True)
    last_reviewed_at = models.DateField(_("tarkistettu viimeksi"), null=True, blank=True)
    # Integrations (integraatiot): the same service in Työmarkkinatori's service catalogue.
    tyomarkkinatori_ids = models.CharField(
        _("Työmarkkinatorin palvelutunnisteet"),
        max_length=1000,
        blank=True,
        validators=[parse_tyomarkkinatori_ids],
        help_text=_(
            "Palvelun tunniste Työmarkkinatorin palvelukatalogissa: kopioi palvelun osoite "
            "Työmarkkinatorista tai sen lopussa oleva tunniste. Useampi pilkuin eroteltuna."
        ),
    )

    basic_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("categories", widget=forms.CheckboxSelectMultiple),
        FieldRowPanel([FieldPanel("free"), FieldPanel("accessible")]),
        FieldPanel("keywords"),
    ]
    target_group_panels = [
        FieldPanel("audience"),
        FieldPanel("target_group"),
        FieldRowPanel([FieldPanel("age_min"), FieldPanel("age_max")], heading=_("Ikä")),
        FieldPanel("municipalities", widget=forms.CheckboxSelectMultiple),
        FieldPanel("life_situations", widget=forms.CheckboxSelectMultiple),
    ]
    implementation_panels = [
        FieldPanel("implementation"),
        FieldPanel("methods", widget=forms.CheckboxSelectMultiple),
        FieldPanel("languages", widget=forms.CheckboxSelectMultiple),
        LocationsPanel("locations", heading=_("Toimipisteet"), label=_("toimipiste")),
    ]
    participation_panels = [FieldPanel("participation")]
    contact_panels = [
        InlinePanel("contacts", heading=_("Yhteystiedot"), label=_("yhteystieto")),
        InlinePanel("links", heading=_("Linkit"), label=_("linkki")),
        InlinePanel("attachments", heading=_("Liitteet"), label=_("liite")),
    ]
    management_panels = [
        FieldPanel("responsible_email"),
        FieldRowPanel([FieldPanel("priority"), FieldPanel("effectiveness")]),
        FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_until")], heading=_("Voimassa")),
        ReadOnlyFieldPanel("last_reviewed_at", empty_text=_("ei tarkistettu")),
        MultiFieldPanel(
            [FieldPanel("key"), FieldPanel("slug"), FieldPanel("tyomarkkinatori_ids")],
            heading=_("Tunnisteet"),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(basic_panels, heading=_("Perustiedot")),
            ObjectList(target_group_panels, heading=_("Kohderyhmä")),
            ObjectList(implementation_panels, heading=_("Toteutus")),
            ObjectList(participation_panels, heading=_("Osallistuminen")),
            ObjectList(contact_panels, heading=_("Yhteystiedot ja linkit")),
            ObjectList(management_panels, heading=_("Hallinta")),
        ]
    )
    # Turns the responsible-person rule into a form error when publishing.
    base_form_class = ServicePageForm

    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=2),
        index.SearchField("keywords", boost=2),
        index.SearchField("description"),
        index.SearchField("target_group"),
        index.SearchField("implementation"),
        index.SearchField("participation"),
        index.AutocompleteField("title"),
        index.FilterField("key"),
        index.FilterField("audience"),
        index.FilterField("free"),
        index.FilterField("accessible"),
        index.FilterField("age_min"),
        index.FilterField("age_max"),
        index.FilterField("priority"),
        index.RelatedFields("categories", [index.FilterField("slug")]),
        index.RelatedFields("life_situations", [index.FilterField("slug")]),
        index.RelatedFields("methods", [index.FilterField("slug")]),
        index.RelatedFields("languages", [index.FilterField("slug")]),
        index.RelatedFields("municipalities", [index.FilterField("code")]),
    ]

    graphql_fields = [
        GraphQLString("key", required=True),
        GraphQLString("summary"),
        GraphQLRichText("description"),
        GraphQLString("keywords"),
        _terms("categories", "ServiceCategory"),
        GraphQLBoolean("free", required=True),
        GraphQLBoolean("accessible", required=True),
        GraphQLString("audience", required=True),
        GraphQLRichText("target_group"),
        GraphQLInt("age_min"),
        GraphQLInt("age_max"),
        _terms("municipalities", "Municipality"),
        _terms("life_situations", "LifeSituation"),
        GraphQLRichText("implementation"),
        _terms("methods", "DeliveryMethod"),
        _terms("languages", "DeliveryLanguage"),
        GraphQLRichText("participation"),
        GraphQLInt("priority", required=True),
        GraphQLInt("effectiveness"),
        GraphQLString("valid_from"),
        GraphQLString("valid_until"),
        GraphQLString(
            "validity",
            required=True,
            description="Today: CURRENT, UPCOMING (validFrom ahead) or EXPIRED (validUntil past).",
        ),
        GraphQLString("last_reviewed_at"),
        GraphQLCollection(GraphQLForeignKey, "contacts", "catalogue.ServiceContact"),
        GraphQLCollection(GraphQLForeignKey, "links", "catalogue.ServiceLink"),
        GraphQLCollection(GraphQLForeignKey, "locations", "catalogue.ServiceLocation"),
        GraphQLCollection(GraphQLForeignKey, "attachments", "catalogue.ServiceAttachment"),
        GraphQLForeignKey(
            "organisation", "catalogue.OrganisationPage", source="delivered_organisation"
        ),
        GraphQLField(
            "instructions",
            _list_of("guides", "ProcessInstructionPage"),
            required=True,
            source="delivered_instructions",
            description="Internal process instructions for this service (signed-in experts).",
        ),
    ]

    # Everything that is not prose stays equal across languages.
    override_translatable_fields = [
        SynchronizedField("key"),
        TranslatableField("keywords"),
        SynchronizedField("categories"),
        SynchronizedField("free"),
        SynchronizedField("accessible"),
        SynchronizedField("audience"),
        SynchronizedField("age_min"),
        SynchronizedField("age_max"),
        SynchronizedField("municipalities"),
        SynchronizedField("life_situations"),
        SynchronizedField("methods"),
        SynchronizedField("languages"),
        SynchronizedField("priority"),
        SynchronizedField("effectiveness"),
        SynchronizedField("responsible_email"),
        SynchronizedField("valid_from"),
        SynchronizedField("valid_until"),
        SynchronizedField("last_reviewed_at"),
        SynchronizedField("tyomarkkinatori_ids"),
        SynchronizedField("contacts"),
        SynchronizedField("locations"),
        SynchronizedField("attachments"),
    ]

    parent_page_types = ["catalogue.OrganisationPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("palvelu")
        verbose_name_plural = _("palvelut")

    def clean(self):
        super().clean()
        errors = {}
        self.localise_source_terms()
        for name, terms in self.terms_of_other_locales().items():
            errors[name] = FOREIGN_TERMS % {
                "terms": ", ".join(str(term) for term in terms),
                "language": self.locale.get_display_name(),
            }
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            errors["age_max"] = _("Yläikäraja ei voi olla pienempi kuin alaikäraja.")
        # Stored normalised; an invalid value is the field validator's error (clean_fields).
        with suppress(ValidationError):
            self.tyomarkkinatori_ids = ", ".join(
                parse_tyomarkkinatori_ids(self.tyomarkkinatori_ids)
            )
        if self.valid_from and self.valid_until and self.valid_from > self.valid_until:
            errors["valid_until"] = _("Voimassaolon loppu ei voi olla ennen alkua.")
        # Page.save() full-cleans live pages, so this also guards every publish path
        # (publish button, workflow approval, import).
        if self.live and not self.responsible_email:
            errors["responsible_email"] = RESPONSIBLE_REQUIRED
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # Also drafts, which Wagtail saves without ``clean``: wagtail-localize saves a
        # new or synced translation as a draft first.
        self.localise_source_terms()
        return super().save(*args, **kwargs)

    def _terms(self):
        """(field name, terms) of each taxonomy the service is classified by."""
        return [(name, list(getattr(self, name).all())) for name in TERM_FIELDS]

    def localise_source_terms(self):
        """On a translation, swap the Finnish source's terms for their translations.

        The taxonomies are synchronised fields: wagtail-localize's sync and the
        exchange import copy the source page's (Finnish) terms onto the
        translation. Each is replaced by the term of the same ``translation_key``
        in the translation's locale; a term without one stays, for ``clean`` to refuse.
        """
        classified = [(name, terms) for name, terms in self._terms() if terms]
        if not classified:
            return
        source_locale = localisation.default_locale()
        if self.locale_id == source_locale.pk:
            return
        for name, terms in classified:
            keys = [term.translation_key for term in terms if term.locale_id == source_locale.pk]
            if not keys:
                continue
            model = self._meta.get_field(name).related_model
            translated = {
                term.translation_key: term
                for term in model.objects.filter(locale_id=self.locale_id, translation_key__in=keys)
            }
            setattr(self, name, [translated.get(term.translation_key, term) for term in terms])

    def terms_of_other_locales(self):
        """{field name: terms not in the page's locale}; a service holds its own locale's only."""
        found = {}
        for name, terms in self._terms():
            foreign = [term for term in terms if term.locale_id != self.locale_id]
            if foreign:
                found[name] = foreign
        return found

    def validity_on(self, day):
        if self.valid_from is not None and self.valid_from > day:
            return self.Validity.UPCOMING
        if self.valid_until is not None and self.valid_until < day:
            return self.Validity.EXPIRED
        return self.Validity.CURRENT

    @property
    def validity(self):
        """Today's validity, in Finnish time (TIME_ZONE)."""
        return self.validity_on(timezone.localdate()).value

    def _delivered_terms(self, info, name, **kwargs):
        return localisation.localized_terms(info, getattr(self, name).all(), self.locale_id)

    delivered_categories = partialmethod(_delivered_terms, name="categories")
    delivered_municipalities = partialmethod(_delivered_terms, name="municipalities")
    delivered_life_situations = partialmethod(_delivered_terms, name="life_situations")
    delivered_methods = partialmethod(_delivered_terms, name="methods")
    delivered_languages = partialmethod(_delivered_terms, name="languages")

    def delivered_organisation(self, info, **kwargs):
        """The provider: the parent page, if visible (set in bulk by list resolvers as
        ``_organisation``)."""
        if not hasattr(self, "_organisation"):
            parent = self.get_parent().specific
            visible = for_request(info.context).can_view_page(parent)
            self._organisation = parent if visible else None
        return self._organisation

    def delivered_instructions(self, info, **kwargs):
        """The caller's visible instructions for any translation of this service (set in
        bulk by list resolvers as ``_instructions``)."""
        if hasattr(self, "_instructions"):
            return self._instructions
        instructions = apps.get_model("guides", "ProcessInstructionPage").objects.filter(
            for_request(info.context).page_filter(),
            service__translation_key=self.translation_key,
        )
        locale = localisation.locale_by_id(self.locale_id)
        return list(localisation.served(instructions, locale).order_by("title"))

    @property
    def tyomarkkinatori_id_list(self):
        return [value for value in self.tyomarkkinatori_ids.split(", ") if value]

    @property
    def keyword_list(self):
        return [word.strip() for word in self.keywords.split(",") if word.strip()]

    @property
    def review_due_at(self):
        """The date the next review is due: the review interval after the last review."""
        reviewed = self.last_reviewed_at or (
            self.first_published_at and timezone.localdate(self.first_published_at)
        )
        if reviewed is None:
            return None
        return reviewed + relativedelta(months=settings.REVIEW_INTERVAL_MONTHS)


class ServiceContact(Orderable):
    """A public contact for a service (synchronised across translations)."""

    page = ParentalKey(ServicePage, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("nimi"), max_length=200)
    email = models.EmailField(_("sähköposti"), blank=True)
    phone = models.CharField(_("puhelin"), max_length=50, blank=True)

    panels = [FieldPanel("name"), FieldPanel("email"), FieldPanel("phone")]
    graphql_fields = [GraphQLString("name"), GraphQLString("email"), GraphQLString("phone")]


class ServiceLink(Orderable):
    """A public link, e.g. an application form."""

    page = ParentalKey(ServicePage, on_delete=models.CASCADE, related_name="links")
    title = models.CharField(_("otsikko"), max_length=200)
    url = models.URLField(_("osoite"), max_length=500)

    panels = [FieldPanel("title"), FieldPanel("url")]
    graphql_fields = [GraphQLString("title"), GraphQLString("url")]


class ServiceLocation(Orderable):
    """Toimipiste: where the service is delivered, with coordinates for maps."""

    page = ParentalKey(ServicePage, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(_("nimi"), max_length=200)
    address = models.CharField(_("katuosoite"), max_length=200, blank=True)
    postal_code = models.CharField(_("postinumero"), max_length=10, blank=True)
    city = models.CharField(_("postitoimipaikka"), max_length=100, blank=True)
    latitude = models.FloatField(_("leveysaste"), null=True, blank=True)
    longitude = models.FloatField(_("pituusaste"), null=True, blank=True)
    phone = models.CharField(_("puhelin"), max_length=50, blank=True)
    email = models.EmailField(_("sähköposti"), blank=True)
    website = models.URLField(_("verkkosivu"), max_length=500, blank=True)
    # Opening hours in the shape docs/integrations.md describes: a list of
    # {"type", "valid_from", "valid_to", "is_closed", "is_always_open",
    #  "hours": [{"day_from", "day_to", "from", "to"}], "info"}.
    opening_hours = models.JSONField(_("aukioloajat"), default=list, blank=True)
    # Where the location comes from (integrations): a location may be linked to
    # a PTV service channel, a map-source unit, both, or neither (typed by hand).
    ptv_id = models.CharField(_("PTV-asiointikanavan tunniste"), max_length=64, blank=True)
    servicemap_id = models.CharField(
        _("palvelukartan toimipistetunniste"), max_length=64, blank=True
    )
    # Which fields an interface maintains ({"address": "ptv", ...}): those are
    # read-only in the admin; the rest stay editable.
    source_fields = models.JSONField(default=dict, blank=True, editable=False)
    synced_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Fields an interface maintains show read-only with their source (catalogue.location_sources).
    panels = [
        LocationFieldPanel("name"),
        LocationFieldPanel("address"),
        FieldRowPanel([LocationFieldPanel("postal_code"), LocationFieldPanel("city")]),
        FieldRowPanel([LocationFieldPanel("latitude"), LocationFieldPanel("longitude")]),
        FieldRowPanel([LocationFieldPanel("phone"), LocationFieldPanel("email")]),
        LocationFieldPanel("website"),
        LocationFieldPanel("opening_hours"),
        FieldRowPanel([FieldPanel("ptv_id"), FieldPanel("servicemap_id")], heading=_("Lähteet")),
    ]
    graphql_fields = [
        GraphQLString("name"),
        GraphQLString("address"),
        GraphQLString("postal_code"),
        GraphQLString("city"),
        GraphQLFloat("latitude"),
        GraphQLFloat("longitude"),
    ]


class ServiceAttachment(Orderable):
    """A public attachment (a Wagtail document) of a service."""

    page = ParentalKey(ServicePage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="+", verbose_name=_("liite")
    )

    panels = [FieldPanel("document")]
    graphql_fields = [GraphQLDocument("document")]

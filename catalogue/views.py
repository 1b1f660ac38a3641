"""Admin viewsets for the taxonomies (menu "Luokitukset")."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from catalogue.models import (
    DeliveryLanguage,
    DeliveryMethod,
    EmploymentArea,
    LifeSituation,
    Municipality,
    ServiceCategory,
)


class TermViewSet(SnippetViewSet):
    list_display = ["name", "slug", "national_uri"]
    search_fields = ["name", "slug"]
    ordering = ["sort_order", "name"]


class ServiceCategoryViewSet(TermViewSet):
    model = ServiceCategory
    icon = "tag"


class LifeSituationViewSet(TermViewSet):
    model = LifeSituation
    icon = "user"


class DeliveryMethodViewSet(TermViewSet):
    model = DeliveryMethod
    icon = "cogs"


class DeliveryLanguageViewSet(TermViewSet):
    model = DeliveryLanguage
    icon = "globe"


class MunicipalityViewSet(SnippetViewSet):
    model = Municipality
    icon = "site"
    list_display = ["name", "code", "employment_area"]
    search_fields = ["name", "code"]
    ordering = ["name"]


class EmploymentAreaViewSet(SnippetViewSet):
    model = EmploymentArea
    icon = "group"
    list_display = ["name", "code"]
    ordering = ["name"]


class TaxonomyViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Luokitukset")
    menu_icon = "list-ul"
    menu_order = 300
    items = (
        ServiceCategoryViewSet,
        LifeSituationViewSet,
        DeliveryMethodViewSet,
        DeliveryLanguageViewSet,
        MunicipalityViewSet,
        EmploymentAreaViewSet,
    )

"""Landing pages: building their section of the tree, granting its rights, and delivering them.

The section (guidance.models.landing) is built, like the rest of the fixed
tree, whenever ``people.site_tree.ensure_site_tree`` runs: one landing page
per employment area and one for the employer audience, all published
(empty) at first. Rights follow cms.roles: an area's producer group edits and
publishes its own area's page; every producer group the audience pages;
administrators hold everything from the home page down.

Delivery follows cms.visibility and cms.localisation: a landing page is
served only when live and visible to the caller, in the asked locale where
translated; its featured services are those the caller may see and that run
today, served in the same locale, in the page's curated order.
"""

from django.utils import timezone

from catalogue.models import EmploymentArea, ServicePage
from catalogue.schema import load_services
from cms import localisation, roles
from cms.visibility import for_request
from guidance.models import AreaLandingPage, AudienceLandingPage, LandingIndexPage
from search.filters import CURRENT, EMPLOYER, validity_q


def _child(parent, model, lookup, **fields):
    """The parent's child of this type matching ``lookup``, created (and live) if missing."""
    existing = model.objects.child_of(parent).filter(**lookup).first()
    if existing is not None:
        return existing
    return parent.add_child(instance=model(locale=parent.locale, **lookup, **fields))


def ensure_landing_pages(tree):
    """Build (or repair) the landing section under the tree's home page and its rights."""
    index = _child(tree.home, LandingIndexPage, {"slug": "etusivut"}, title="Etusivut")
    employer = _child(
        index, AudienceLandingPage, {"audience": EMPLOYER}, title="Työnantajat", slug="tyonantajat"
    )
    areas = EmploymentArea.objects.filter(locale=tree.home.locale)
    for area in areas:
        page = _child(
            index,
            AreaLandingPage,
            {"employment_area": area},
            title=area.name,
            slug=f"alue-{area.code}",
        )
        if area.producer_group_id:
            roles.grant_pages(area.producer_group, page, roles.EDIT_AND_PUBLISH)
            roles.grant_pages(area.producer_group, employer, roles.EDIT_AND_PUBLISH)
    return index


def site_tree_ensured(sender, tree, **kwargs):
    """``people.site_tree.site_tree_ensured`` receiver."""
    ensure_landing_pages(tree)


def _served_page(info, pages, locale):
    """The visible page of ``pages`` (one translation group) served in the locale, or None."""
    visible = pages.filter(for_request(info.context).page_filter())
    return localisation.served(visible, locale).first()


def area_landing(info, area, locale):
    """An employment area's landing page for the caller, or None when it is not published."""
    return _served_page(
        info, AreaLandingPage.objects.filter(employment_area__code=area.code), locale
    )


def audience_landing(info, audience, locale):
    return _served_page(info, AudienceLandingPage.objects.filter(audience=audience), locale)


def featured_keys(page):
    """The translation keys of a landing page's featured services, in the curated order."""
    keys = page.featured_services.order_by("sort_order").values_list(
        "service__translation_key", flat=True
    )
    return list(dict.fromkeys(keys))


def featured_services(info, page, locale):
    """The page's featured services the caller may see and that run today, served in the
    locale, in the curated order, loaded as a services list loads them."""
    keys = featured_keys(page)
    visible = ServicePage.objects.filter(
        for_request(info.context).page_filter(), translation_key__in=keys
    ).filter(validity_q((CURRENT,), timezone.localdate()))
    served = dict(localisation.served(visible, locale).values_list("translation_key", "pk"))
    return load_services(info, [served[key] for key in keys if key in served])


def live_landing_of_area(area_code):
    """The Finnish landing page of an area if it is live (for the home-area defaults)."""
    return (
        AreaLandingPage.objects.live()
        .filter(employment_area__code=area_code, locale=localisation.default_locale())
        .first()
    )

"""Printable favourite lists: a plain, read-only HTML page of one list.

The owner prints a list while signed in (session); anyone with the share link
prints a shared list. Each page shows what its viewer may see
(cms.visibility), so anonymous viewers of a shared list see public services only.
"""

from dataclasses import dataclass

from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from wagtail.models import Page

from cms.visibility import for_request
from favourites.models import FavouriteList


@dataclass
class PrintedService:
    title: str
    summary: str
    language: str
    organisation: str
    contacts: list
    municipalities: list
    url: str


@never_cache
def print_own_list(request, pk):
    """The signed-in owner's list; for anyone else it does not exist."""
    favourite_list = get_object_or_404(FavouriteList.objects.owned_by(request.user), pk=pk)
    return _printable(request, favourite_list)


@never_cache
def print_shared_list(request, token):
    favourite_list = get_object_or_404(FavouriteList.objects.shared(token))
    return _printable(request, favourite_list)


def _printable(request, favourite_list):
    items = (
        favourite_list.items.visible_to(for_request(request))
        .select_related("service__locale")
        .prefetch_related("service__contacts", "service__municipalities")
    )
    services = [item.service for item in items]
    parent_paths = {service.path[: -Page.steplen] for service in services}
    organisations = dict(Page.objects.filter(path__in=parent_paths).values_list("path", "title"))
    printed = [
        PrintedService(
            title=service.title,
            summary=service.summary,
            language=service.locale.language_code,
            organisation=organisations.get(service.path[: -Page.steplen], ""),
            contacts=list(service.contacts.all()),
            municipalities=[municipality.name for municipality in service.municipalities.all()],
            url=service.get_full_url(request),
        )
        for service in services
    ]
    # The page's own texts are in the reader's language (LocaleMiddleware: the
    # browser's Accept-Language, Finnish by default); each service keeps its own.
    return render(
        request,
        "favourites/print.html",
        {"favourite_list": favourite_list, "services": printed},
    )

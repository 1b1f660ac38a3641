"""Linking the small catalogue's services to the stand-in systems, as an editor would."""

from catalogue.models import OrganisationPage, ServiceLocation, ServicePage

ORGANISATION_GUID = "7a1c3e58-0f4b-4d5e-8c2a-9b6d1e2f3a40"


def service(key, language="fi"):
    return ServicePage.objects.get(key=key, locale__language_code=language)


def link_organisation(key, guid=ORGANISATION_GUID):
    for organisation in OrganisationPage.objects.filter(key=key):
        organisation.ptv_id = guid
        organisation.save_revision().publish()


def add_location(page, publish=True, **fields):
    """Add a location to a page version and publish it (or save a draft)."""
    page = page.get_latest_revision_as_object()
    page.locations.add(ServiceLocation(**{"name": "Toimipiste", **fields}))
    revision = page.save_revision()
    if publish:
        revision.publish()
    return ServicePage.objects.get(pk=page.pk)


def live_location(page, **link):
    return ServiceLocation.objects.get(page=page, **link)


def revision_count(page):
    return page.revisions.count()

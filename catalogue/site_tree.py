"""The fixed top of the page tree: Home → service catalogue.

Created on demand (demo loading, import, tests) rather than by a migration,
so that an empty database stays empty until content arrives.
"""

from django.db import transaction
from wagtail.models import Locale, Page, Site

from catalogue.models import HomePage, ServiceCatalogueIndexPage


@transaction.atomic
def ensure_site_root():
    """Return the catalogue index page, creating Home and the default Site if needed."""
    locale = Locale.get_default()
    home = HomePage.objects.filter(locale=locale).first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's initial migration leaves a bare "Welcome" page (slug "home") as
        # the default site's root; it has no place here. Deleting it also deletes
        # that Site, which is recreated below.
        for page in root.get_children().filter(
            content_type__app_label="wagtailcore", content_type__model="page"
        ):
            page.delete()
        home = root.add_child(
            instance=HomePage(title="Palvelumanuaali", slug="home", locale=locale)
        )
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={
                "hostname": "localhost",
                "port": 80,
                "root_page": home,
                "site_name": "Palvelumanuaali",
            },
        )

    catalogue = ServiceCatalogueIndexPage.objects.child_of(home).first()
    if catalogue is None:
        catalogue = home.add_child(
            instance=ServiceCatalogueIndexPage(title="Palvelut", slug="palvelut", locale=locale)
        )
    return catalogue

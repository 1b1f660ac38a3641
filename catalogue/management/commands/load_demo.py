"""Load demo content so a new installation has something to browse and query."""

from django.core.management.base import BaseCommand
from django.db import transaction

from catalogue.models import OrganisationPage, ServicePage
from catalogue.site_tree import ensure_site_root
from cms.roles import create_organisation_groups

DEMO = [
    (
        "helsinki-employment",
        "Helsingin työllisyyspalvelut",
        OrganisationPage.Kind.MUNICIPALITY,
        [
            ("work-trial", "Työkokeilu", "Kokeile sopiiko ala tai työpaikka sinulle."),
            ("career-guidance", "Uraohjaus", "Henkilökohtaista ohjausta uravalintoihin."),
        ],
    ),
    (
        "espoo-employment",
        "Espoon työllisyyspalvelut",
        OrganisationPage.Kind.MUNICIPALITY,
        [
            ("pay-subsidy", "Palkkatuki", "Tukea työnantajalle työttömän palkkaamiseen."),
            ("startup-grant", "Starttiraha", "Tukea yrityksen perustamiseen."),
        ],
    ),
]


class Command(BaseCommand):
    help = "Load demo organisations and services (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        catalogue = ensure_site_root()
        created = 0
        for org_key, org_name, kind, services in DEMO:
            organisation = OrganisationPage.objects.filter(key=org_key).first()
            if organisation is None:
                organisation = catalogue.add_child(
                    instance=OrganisationPage(title=org_name, slug=org_key, key=org_key, kind=kind)
                )
                create_organisation_groups(organisation)
            for key, title, summary in services:
                if ServicePage.objects.filter(key=key).exists():
                    continue
                organisation.add_child(
                    instance=ServicePage(
                        title=title,
                        slug=key,
                        key=key,
                        summary=summary,
                        responsible_email="vastuuhenkilo@example.org",
                    )
                )
                created += 1
        self.stdout.write(f"Demo content: {created} services created.")

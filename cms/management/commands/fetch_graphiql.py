"""``manage.py fetch_graphiql``: GraphiQL's scripts and styles into the static files (install time).

Run by ``make install`` (and the image build); quick and silent when the
files are already there. See cms.graphiql_assets.
"""

from django.core.management.base import BaseCommand, CommandError

from cms import graphiql_assets


class Command(BaseCommand):
    help = "Fetch GraphiQL's scripts and styles from the npm registry into cms/static (once)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="only report whether any file is missing"
        )

    def handle(self, *args, check, **options):
        if check:
            missing = graphiql_assets.missing()
            if missing:
                raise CommandError(
                    "missing or changed: " + ", ".join(asset.name for asset in missing)
                )
            return
        try:
            fetched = graphiql_assets.fetch()
        except graphiql_assets.FetchError as error:
            raise CommandError(str(error)) from error
        for asset in fetched:
            self.stdout.write(f"{asset.spec}: {asset.path} → {asset.static_name}")

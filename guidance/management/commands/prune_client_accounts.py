"""``manage.py prune_client_accounts [--days N] [--dry-run]``: the retention of client accounts.

A client's account (guidance.client_login) holds nothing but a hash of the
provider's identifier and the times it was created and last signed in. One not
signed in for ``--days`` (default 365) is deleted; the client gets a new one
when they next sign in. Accounts with any staff right are never touched.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from guidance.client_login import client_accounts


class Command(BaseCommand):
    help = "Delete client accounts not signed in for --days days (default 365)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=365)
        parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")

    def handle(self, *args, days, dry_run, **options):
        cutoff = timezone.now() - timedelta(days=days)
        idle = client_accounts().filter(
            Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
        )
        count = idle.count()
        if not dry_run:
            get_user_model().objects.filter(pk__in=idle.values("pk")).delete()
        verb = "would delete" if dry_run else "deleted"
        self.stdout.write(f"{verb} {count} client accounts not signed in for {days} days")

"""Create (once) the local administrator and print the login.

Used by the README's run command so a newcomer can sign in straight away; the
links printed follow WAGTAILADMIN_BASE_URL (make run's HOST and PORT). The
generated password is kept in the git-ignored var/ directory so it stays the
same between runs; ADMIN_PASSWORD overrides it.
"""

import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the local administrator if missing and print the admin login."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="admin@example.org")

    def handle(self, *args, username, email, **options):
        password_file = settings.VAR_DIR / "admin-password.txt"
        password = os.environ.get("ADMIN_PASSWORD")
        if not password and password_file.exists():
            password = password_file.read_text().strip()
        if not password:
            password = secrets.token_urlsafe(12)
            password_file.parent.mkdir(parents=True, exist_ok=True)
            password_file.write_text(password + "\n")
            password_file.chmod(0o600)

        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": email}
        )
        # A name, so that the admin greets and lists the account as a person.
        if not user.first_name:
            user.first_name = "Pääkäyttäjä"
        if created or not user.check_password(password):
            user.set_password(password)
        user.is_staff = user.is_superuser = user.is_active = True
        user.save()

        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin login: {base}/admin/  user: {username}  password: {password}"
            )
        )
        self.stdout.write(f"GraphQL (GraphiQL in a browser): {base}/graphql/")

"""The browser suite's parts: the server it starts, and what people do in every test.

``make e2e`` runs it (and .ci/run, after the unit suite): a fresh site on its
own SQLite database in a temporary directory, configured as ``make run``
configures the main job, served by ``manage.py runserver`` on a free port and
driven by Playwright in Debian's Chromium (``CHROMIUM``, by default
/usr/bin/chromium; Playwright's own browser download is not used). Each step
saves a screenshot under ``E2E_ARTIFACTS`` (default var/artifacts/e2e).

The people of the suite are onboarded as an administrator would: ``add_user``
prints the invitation link, and each person sets a password through it.
"""

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", ROOT / "var" / "artifacts" / "e2e"))
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "Kesäkuu-2026-salasana"

# Chromium's own calls home are refused by the closed network, many at a time.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# What the server is told; everything else of the caller's environment that
# would point it at other services (CI's PostgreSQL, Elasticsearch, cache) is dropped.
DROPPED = ("DATABASE_URL", "ELASTICSEARCH_URL", "CACHE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Site:
    """The running server: its address and its ``manage.py``."""

    def __init__(self, directory):
        self.port = _free_port()
        self.url = f"http://localhost:{self.port}"
        self.env = {key: value for key, value in os.environ.items() if key not in DROPPED}
        self.env.update(
            DEBUG="1",
            SECRET_KEY=secrets.token_urlsafe(40),
            DATABASE_URL=f"sqlite:///{directory / 'db.sqlite3'}",
            MEDIA_ROOT=str(directory / "media"),
            HOST="127.0.0.1",
            PORT=str(self.port),
            WAGTAILADMIN_BASE_URL=self.url,
            ADMIN_PASSWORD=PASSWORD,
            EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
            PYTHONUNBUFFERED="1",
        )
        self.log = (directory / "server.log").open("w")
        self.process = None

    def manage(self, *args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stderr[-3000:]}"
        return result.stdout

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{self.port}", "--noreload"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/health/live", timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"the server did not start: see {self.log.name}")

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.log.close()

    def query(self, code):
        """Run Python in the site's ``manage.py shell``; its last printed line, as JSON."""
        return json.loads(self.manage("shell", "-c", code).strip().splitlines()[-1])

    def page_ids(self, *content_types):
        """Live pages of these types ("app.model"), Finnish first."""
        return self.query(
            "import json; from wagtail.models import Page\n"
            f"types = {list(content_types)!r}\n"
            "pages = Page.objects.live().order_by('locale_id', 'path')\n"
            "print(json.dumps([p.pk for p in pages if "
            "f'{p.content_type.app_label}.{p.content_type.model}' in types]))"
        )

    def public_paths(self, per_type=2):
        """The addresses of live pages, a few of each page type."""
        return self.query(
            "import json; from collections import defaultdict; from wagtail.models import Page\n"
            "found = defaultdict(list)\n"
            "for p in Page.objects.live().filter(depth__gt=1).order_by('path'):\n"
            f"    if len(found[p.content_type_id]) < {per_type} and p.get_url():\n"
            "        found[p.content_type_id].append(p.get_url())\n"
            "print(json.dumps([url for urls in found.values() for url in urls]))"
        )

    def invite(self, email, role, **options):
        """``add_user`` as an administrator runs it; returns the printed set-password link."""
        args = ["add_user", email, "--role", role]
        for name, value in options.items():
            args += [f"--{name.replace('_', '-')}", value]
        printed = self.manage(*args)
        return re.search(r"set-password link: (\S+)", printed).group(1)


def set_password(page, link, password=PASSWORD):
    """Follow an invitation link and choose a password, as the invited person does."""
    page.goto(link)
    page.locator("input[name=new_password1]").fill(password)
    page.locator("input[name=new_password2]").fill(password)
    page.locator("form [type=submit]").first.click()
    page.wait_for_load_state()


def sign_in(page, username, password=PASSWORD):
    page.goto("/admin/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form [type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/$"))


# axe-core's impacts that fail the suite; minor and moderate ones are reported only.
FAILING_IMPACTS = ("serious", "critical")

_RUN_AXE = """async (regions) => {
  const results = await axe.run(document, {resultTypes: ['violations']});
  const found = [];
  for (const violation of results.violations) {
    for (const node of violation.nodes) {
      const element = document.querySelector(node.target[0]);
      found.push({
        rule: violation.id,
        impact: node.impact || violation.impact,
        help: violation.help,
        target: node.target.join(' '),
        html: node.html.slice(0, 200),
        ours: Boolean(regions === '*' || (element && element.closest(regions))),
      });
    }
  }
  return found;
}"""


def accessibility_violations(page, regions="*"):
    """axe-core's violations on the page as it is, each marked ``ours`` when it lies
    in the markup the project renders (``regions``: CSS selectors, or "*" for all)."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate(_RUN_AXE, regions)

"""Fixtures of the browser suite (e2e.browser has the server and the shared steps)."""

import shutil
from pathlib import Path

import pytest
from e2e.browser import ARTIFACTS, AXE, CHROMIUM, CHROMIUM_ARGS, Site, set_password


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    directory = tmp_path_factory.mktemp("e2e-site")
    site = Site(directory)
    site.manage("migrate", "--noinput")
    site.manage("load_demo", "--services", "6", "--organisations", "3", "--index")
    site.manage("ensure_admin")
    site.manage("create_organisation", "e2e-palvelut", "--name", "Testipalvelut Oy")
    site.start()
    yield site
    site.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: `deploy/local-services.sh browser` installs it")
    if not AXE.exists():
        pytest.fail(f"no axe-core at {AXE}: `make e2e` installs it from the npm registry")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def artifacts():
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS


@pytest.fixture
def new_page(browser, site, artifacts):
    """A fresh browser context (no session) per person; screenshots by step name."""
    contexts = []

    def make(**options):
        context = browser.new_context(base_url=site.url, locale="fi-FI", **options)
        context.set_default_timeout(30_000)
        contexts.append(context)
        page = context.new_page()

        def shot(name):
            page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)

        page.shot = shot
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def people(site, browser):
    """The suite's people, each invited and with a password set through their link."""
    wanted = {
        "editor": ("editori@example.org", "provider-editor", {"organisation": "e2e-palvelut"}),
        "espoo": ("espoo@example.org", "producer", {"area": "049"}),
        "helsinki": ("helsinki@example.org", "producer", {"area": "091"}),
        "translator": ("kaantaja@example.org", "translator", {}),
    }
    context = browser.new_context(base_url=site.url)
    page = context.new_page()
    usernames = {}
    for name, (email, role, options) in wanted.items():
        set_password(page, site.invite(email, role, **options))
        usernames[name] = email
    context.close()
    return usernames

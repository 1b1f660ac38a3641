"""Accessibility of the markup the project renders, checked with axe-core in Chromium.

The suite fails on a serious or critical violation inside the project's own
markup: the built-in public and preview templates (the whole page), and, in
the admin, the dashboard panels, the reports, the confirmation pages and the
service editor's own panels and pickers. Violations inside Wagtail's own
markup are written to ``wagtail-axe.json`` among the artefacts instead, for
reporting upstream.
"""

import json

import pytest
from e2e.browser import FAILING_IMPACTS, accessibility_violations, sign_in

pytestmark = pytest.mark.e2e

DASHBOARD_PANELS = (
    "#unpublished-services-section, #translations-behind-section, #services-due-for-review-section"
)
# The service editor: the project's panels and its taxonomy pickers.
SERVICE_EDITOR = ", ".join(
    f"[id$='-{name}-section']"
    for name in (
        "categories",
        "municipalities",
        "life_situations",
        "methods",
        "languages",
        "last_reviewed_at",
    )
)
REPORT = "main"  # the report's own filters and table (the admin's shell is Wagtail's)


@pytest.fixture(scope="module")
def findings(artifacts):
    found = {}
    yield found
    wagtail = {url: [v for v in violations if not v["ours"]] for url, violations in found.items()}
    (artifacts / "wagtail-axe.json").write_text(json.dumps(wagtail, indent=2, ensure_ascii=False))


def check(page, findings, name, regions="*"):
    violations = accessibility_violations(page, regions)
    findings[name] = violations
    ours = [v for v in violations if v["ours"] and v["impact"] in FAILING_IMPACTS]
    assert not ours, json.dumps(ours, indent=2, ensure_ascii=False)


@pytest.fixture
def administrator(new_page, site):
    page = new_page(bypass_csp=True)
    sign_in(page, "admin")
    return page


def test_public_templates_of_every_page_type(site, new_page, findings):
    page = new_page(bypass_csp=True)
    checked = 0
    for path in site.public_paths():
        response = page.goto(path)
        if response.status != 200 or "/admin/login/" in page.url:
            continue  # internal pages send an anonymous visitor to sign in
        check(page, findings, f"public {path}")
        checked += 1
    assert checked >= 4


def test_preview_templates(site, administrator, findings):
    for page_id in site.page_ids("catalogue.servicepage", "catalogue.organisationpage"):
        administrator.goto(f"/admin/pages/{page_id}/edit/preview/")
        check(administrator, findings, f"preview {page_id}")


def test_dashboard_panels(administrator, findings):
    administrator.goto("/admin/")
    assert administrator.locator("#translations-behind-section").count()
    check(administrator, findings, "dashboard", DASHBOARD_PANELS)


def test_translation_status_report(administrator, findings):
    administrator.goto("/admin/catalogue/translations/")
    check(administrator, findings, "translation status report", REPORT)


def test_review_confirmation_and_submission_pages(site, administrator, findings):
    service = site.page_ids("catalogue.servicepage")[0]
    administrator.goto(f"/admin/catalogue/services/{service}/mark-reviewed/")
    if administrator.locator("main form").count():
        check(administrator, findings, "mark reviewed", REPORT)


def test_service_editor(site, administrator, findings):
    service = site.page_ids("catalogue.servicepage")[0]
    administrator.goto(f"/admin/pages/{service}/edit/")
    tabs = administrator.get_by_role("tab").all()
    assert len(tabs) >= 5
    for tab in tabs:
        tab.click()
        name = tab.inner_text().strip()
        check(administrator, findings, f"service editor: {name}", SERVICE_EDITOR)

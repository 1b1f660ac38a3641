"""The editors' path in a real browser, in the order the work happens.

1. A provider editor drafts a service, cannot publish it, sees only Finnish
   terms in the pickers, and submits it.
2. A producer of another area finds it locked; the producer of its area
   approves and publishes it.
3. A translator makes the Swedish translation, cannot publish it, and submits
   it for review.
4. "View live" opens the published page.

The steps share one site and build on each other, so they run as one test
with a screenshot after each.
"""

import re

import pytest
from e2e.browser import sign_in

pytestmark = pytest.mark.e2e

TITLE = "E2E Työkokeilu"
SWEDISH_TITLE = "E2E Arbetsprövning"
# Terms that exist only in the Swedish and English taxonomies.
FOREIGN_LABELS = ("Esbo", "Helsingfors", "Vanda", "Grankulla", "svenska", "Swedish")


def footer_actions(page):
    """The names of the editor's save/publish actions, the dropdown opened."""
    footer = page.locator("footer")
    more = footer.get_by_role("button", name="Lisää toimintoja")
    if more.count():
        more.click()
    return [text.strip() for text in footer.locator("button").all_inner_texts() if text.strip()]


TAXONOMIES = ("categories", "municipalities", "life_situations", "methods", "languages")


def picker_labels(page):
    """The labels of every taxonomy picker's choices in the page editor."""
    boxes = ", ".join(f"input[type=checkbox][name={name}]" for name in TAXONOMIES)
    labels = page.locator(boxes).locator("xpath=..").all_inner_texts()
    return [label.strip() for label in labels]


def test_a_service_goes_from_a_providers_draft_to_a_live_swedish_translation(
    site, people, new_page, artifacts
):
    # 1. The provider editor drafts the service under their organisation.
    editor = new_page()
    sign_in(editor, people["editor"])
    editor.goto("/admin/pages/search/?q=Testipalvelut")
    organisation = editor.locator("tr", has_text="Testipalvelut Oy")
    add_link = organisation.locator("a[href$='/add_subpage/']").first.get_attribute("href")
    editor.goto(add_link)
    editor.wait_for_url(re.compile(r"/admin/pages/add/catalogue/servicepage/"))

    labels = picker_labels(editor)
    assert "Espoo (049)" in labels
    assert len(labels) == len(set(labels)), "a term is offered twice"
    assert not [label for label in labels if label.startswith(FOREIGN_LABELS)], labels

    editor.locator("[name=title]").fill(TITLE)
    editor.get_by_role("tab", name="Kohderyhmä").click()
    editor.locator("select[name=audience]").select_option(label="henkilöasiakas")
    editor.get_by_label("Kauniainen (235)").check()  # served by the Espoo area
    editor.get_by_role("tab", name="Hallinta").click()
    editor.locator("[name=responsible_email]").fill("vastuu@example.org")
    editor.locator("[name=key]").fill("e2e-tyokokeilu")
    editor.locator("[name=slug]").fill("e2e-tyokokeilu")

    actions = footer_actions(editor)
    editor.shot("1-1-editor-draft-actions")
    assert "Julkaise" not in actions
    editor.locator("footer").get_by_role("button", name=re.compile("Lähetä työnkulkuun")).click()
    editor.wait_for_load_state()
    editor.shot("1-2-editor-submitted")
    assert "lähetetty tarkastettavaksi" in " ".join(editor.locator(".messages").all_inner_texts())

    editor.goto("/admin/pages/search/?q=E2E")
    edit_url = editor.get_by_role("link", name=TITLE).first.get_attribute("href")

    # 2. A Helsinki producer finds it locked; the Espoo producer approves and publishes.
    helsinki = new_page()
    sign_in(helsinki, people["helsinki"])
    assert helsinki.locator("#awaiting-review-section").count() == 0
    helsinki.goto(edit_url)
    helsinki.shot("2-1-other-area-producer-locked")
    assert "Hyväksy ja julkaise" not in footer_actions(helsinki)

    espoo = new_page()
    sign_in(espoo, people["espoo"])
    assert TITLE in espoo.locator("#awaiting-review-section").inner_text()
    espoo.goto(edit_url)
    assert "Hyväksy ja julkaise" in footer_actions(espoo)
    espoo.locator("footer").get_by_role("button", name="Hyväksy ja julkaise").click()
    espoo.wait_for_load_state()
    espoo.shot("2-2-area-producer-approved")
    espoo.goto(edit_url)
    live_link = espoo.get_by_role("link", name=re.compile("Käy livesivulla")).first

    # 4. "View live" opens the published page.
    if live_link.get_attribute("target") == "_blank":
        with espoo.expect_popup() as opened:
            live_link.click()
        live = opened.value
    else:
        live_link.click()
        live = espoo
    live.wait_for_load_state()
    live.screenshot(path=str(artifacts / "4-1-view-live.png"), full_page=True)
    assert live.locator("h1").first.inner_text().strip() == TITLE

    # 3. The translator translates it into Swedish, cannot publish, and submits it.
    translator = new_page()
    sign_in(translator, people["translator"])
    translator.goto("/admin/catalogue/translations/")
    row = translator.locator("tr", has_text=TITLE).filter(has_text="Svenska")
    row.get_by_role("link", name="Käännä").click()
    translator.get_by_label("Svenska").check()
    translator.locator("main form [type=submit]").last.click()
    translator.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"))
    translator.locator("main").get_by_role("button", name="Käännä", exact=True).first.click()
    translator.locator("main textarea").first.fill(SWEDISH_TITLE)
    translator.locator("main").get_by_role("button", name="Tallenna").first.click()
    translator.locator("main").get_by_role("button", name="Muokkaa").first.wait_for()
    translator.shot("3-1-translator-editor")
    footer = [t.strip() for t in translator.locator("footer button").all_inner_texts()]
    assert not [name for name in footer if name.startswith("Julkaise")], footer

    translator.goto("/admin/catalogue/translations/")
    row = translator.locator("tr", has_text=TITLE).filter(has_text="Svenska")
    row.get_by_role("link", name="Lähetä tarkistettavaksi").click()
    translator.locator("main form [type=submit]").last.click()
    translator.wait_for_load_state()
    translator.shot("3-2-translator-submitted")
    translator.goto("/admin/catalogue/translations/")
    row = translator.locator("tr", has_text=TITLE).filter(has_text="Svenska")
    assert "Lähetä tarkistettavaksi" not in row.inner_text()

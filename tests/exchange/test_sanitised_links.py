"""Links in the exchange format's HTML subset (exchange.html, docs/exchange-format.md).

A link is kept only when it goes where it says: an http(s) URL with a host,
mailto:, tel:, a path on this site or a fragment. Anything a browser could
read as another host (``//host``, ``/\\host``, a tab inside a path) or as
script loses its ``href`` and keeps its text.
"""

import pytest

from exchange.html import sanitise, to_storage


def link(href):
    return sanitise(f'<p><a href="{href}">Kela</a></p>')


@pytest.mark.parametrize(
    "href",
    [
        "https://www.kela.fi/tyottomyysturva",
        "http://example.org/a?b=1&c=2",
        "HTTPS://WWW.KELA.FI",
        "mailto:neuvonta@example.org",
        "tel:+358201234567",
        "/fi/palvelut/tyokokeilu/",
        "/",
        "#hakeminen",
    ],
)
def test_links_to_the_web_mail_phone_and_this_site_are_kept(href):
    assert link(href) == f'<p><a href="{href.replace("&", "&amp;")}">Kela</a></p>'


@pytest.mark.parametrize(
    "href",
    [
        "//evil.example/x",  # protocol-relative: another host
        "/\\evil.example",  # browsers read the backslash as a slash
        "\\\\evil",
        "\\/evil.example",
        "/\t/evil.example",  # browsers drop tabs and line breaks inside URLs
        "/\n/evil.example",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:x",
        "ftp://example.org/file",
        "https:evil.example",  # no host after the scheme
        "https://",
        "tyokokeilu.html",  # relative to wherever a frontend shows the text
        "?q=1",
        "",
    ],
)
def test_links_that_could_lead_elsewhere_keep_only_their_text(href):
    assert link(href) == "<p>Kela</p>"


def test_character_references_cannot_smuggle_a_host_or_a_scheme():
    assert link("&#47;&#47;evil.example") == "<p>Kela</p>"
    assert link("/&#92;evil.example") == "<p>Kela</p>"
    assert link("java&#115;cript:alert(1)") == "<p>Kela</p>"


def test_stored_text_keeps_the_same_links():
    stored = to_storage('<a href="//evil.example">a</a> <a href="/fi/">b</a>')

    assert stored == 'a <a href="/fi/">b</a>'
    assert sanitise(stored) == stored  # idempotent: export → import changes nothing

"""The HTML subset of long text fields, and its two spellings.

The exchange format allows ``p, ul, ol, li, a[href], strong, em, h3, br``.
Wagtail's Draftail editor reads ``strong``/``em`` but saves bold and italic
as ``b``/``i``, so text is stored with ``b``/``i`` (what the editor writes
itself) and exported with ``strong``/``em``. One sanitiser serves both
directions: it keeps the allowed tags (either spelling), drops every
attribute except a safe ``href``, removes other tags but keeps their text,
and drops the content of ``script``, ``style`` and similar elements. Its
output is well-formed and sanitising it again changes nothing, which is what
makes an export → import → export round trip exact.
"""

import re
from html import escape
from html.parser import HTMLParser
from urllib.parse import urlsplit

from wagtail.rich_text import expand_db_html

BLOCK_AND_LIST_TAGS = {"p", "ul", "ol", "li", "h3"}
BOLD_TAGS = {"strong", "b"}
ITALIC_TAGS = {"em", "i"}
# Elements whose content is not text for a reader; it is dropped with them.
DROPPED_WITH_CONTENT = {
    "script",
    "style",
    "template",
    "iframe",
    "object",
    "svg",
    "math",
    "noscript",
}
# Characters no kept link may contain: browsers read a backslash as a slash
# ("/\evil.example" is "//evil.example") and drop tabs and line breaks from URLs
# ("/<tab>/evil.example" too), which would turn a path into another host.
_UNSAFE_URL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f\\]")


class _Sanitiser(HTMLParser):
    def __init__(self, bold, italic):
        super().__init__(convert_charrefs=True)
        self.rename = {tag: tag for tag in BLOCK_AND_LIST_TAGS}
        self.rename.update({"a": "a", **dict.fromkeys(BOLD_TAGS, bold)})
        self.rename.update(dict.fromkeys(ITALIC_TAGS, italic))
        self.out = []
        self.open = []  # output tags still open, innermost last
        self.dropping = []  # dropped-with-content elements we are inside

    def handle_starttag(self, tag, attrs):
        if self.dropping or tag in DROPPED_WITH_CONTENT:
            if tag in DROPPED_WITH_CONTENT:
                self.dropping.append(tag)
            return
        if tag == "br":
            self.out.append("<br>")
            return
        name = self.rename.get(tag)
        if name is None:
            return
        self._close_implied(name)
        if name == "a":
            href = _safe_href(dict(attrs).get("href"))
            if href is None:
                return
            self.out.append(f'<a href="{escape(href)}">')
        else:
            self.out.append(f"<{name}>")
        self.open.append(name)

    def _close_implied(self, name):
        """Close what HTML closes implicitly: a paragraph before a block, a list item before
        the next item of the same list."""
        if name in ("p", "ul", "ol", "h3") and "p" in self.open:
            self._close("p")
        elif name == "li" and self._innermost("li") > self._innermost("ul", "ol"):
            self._close("li")

    def _innermost(self, *names):
        return max((i for i, tag in enumerate(self.open) if tag in names), default=-1)

    def _close(self, name):
        while self.open:
            closed = self.open.pop()
            self.out.append(f"</{closed}>")
            if closed == name:
                break

    def handle_startendtag(self, tag, attrs):
        if tag in DROPPED_WITH_CONTENT:
            return
        self.handle_starttag(tag, attrs)
        if tag != "br" and self.open and self.open[-1] == self.rename.get(tag):
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if self.dropping:
            if tag == self.dropping[-1]:
                self.dropping.pop()
            return
        name = self.rename.get(tag)
        if name is not None and name in self.open:
            self._close(name)

    def handle_data(self, data):
        if not self.dropping:
            self.out.append(escape(data, quote=False))

    def result(self):
        self.close()
        self.out.extend(f"</{tag}>" for tag in reversed(self.open))
        self.open = []
        return "".join(self.out)


def _safe_href(href):
    """``href`` when it is a link the subset keeps, else None.

    Kept: absolute ``http(s)`` URLs with a host, ``mailto:``, ``tel:``, paths on
    this site (``/…``, not the protocol-relative ``//host/…``) and fragments
    (``#…``). Everything else (other schemes, ``//host``, backslashes, relative
    paths such as ``page.html``) is dropped, and the link keeps only its text.
    """
    href = (href or "").strip()
    if not href or _UNSAFE_URL_CHARACTERS.search(href):
        return None
    lowered = href.lower()
    if lowered.startswith(("mailto:", "tel:", "#")):
        return href
    if lowered.startswith(("http://", "https://")):
        return href if urlsplit(href).hostname else None
    if href.startswith("/") and not href.startswith("//"):
        return href
    return None


def sanitise(html, bold="strong", italic="em"):
    """The allowed subset of ``html``, spelling bold and italic as given."""
    parser = _Sanitiser(bold, italic)
    parser.feed(html or "")
    return parser.result()


def to_exchange(html):
    """Exchange spelling (strong/em) of any HTML, e.g. incoming text."""
    return sanitise(html)


def to_storage(html):
    """What a rich text field stores: the subset with Draftail's b/i."""
    return sanitise(html, bold="b", italic="i")


def from_storage(stored):
    """A stored rich text value in exchange spelling.

    Internal page links are stored as ``<a linktype="page" id="…">``;
    expanding them first turns them into ordinary links to the page's URL.
    """
    if "linktype=" in (stored or ""):
        stored = expand_db_html(stored)
    return to_exchange(stored)

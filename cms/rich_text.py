"""The rich-text subset shared by every long text field.

It matches the exchange format's HTML subset (p, ul, ol, li, a, strong, em,
h3, br), so that what an editor can write is exactly what import accepts and
export produces.
"""

import re
from html import unescape

from django.utils.html import strip_tags

RICH_TEXT_FEATURES = ["h3", "bold", "italic", "ol", "ul", "link"]

# Elements that separate words: their tags become spaces, so paragraphs and
# list items do not run together ("<p>a</p><p>b</p>" reads "a b", not "ab").
_WORD_BREAKING_TAG = re.compile(r"<(?:/?(?:p|li|ul|ol|h[1-6]|div|blockquote)|br)\b", re.IGNORECASE)


def plain_text(html):
    """The text of a rich text value as a reader sees it: no tags, character
    references resolved (``&amp;`` is ``&``), whitespace collapsed.

    The result is text, not HTML: escape it wherever it becomes HTML again
    (search excerpts do, search.backends.base).
    """
    text = strip_tags(_WORD_BREAKING_TAG.sub(r" \g<0>", html or ""))
    return " ".join(unescape(text).split())

"""The rich-text subset shared by every long text field.

It matches the exchange format's HTML subset (p, ul, ol, li, a, strong, em,
h3, br), so that what an editor can write is exactly what import accepts and
export produces.
"""

RICH_TEXT_FEATURES = ["h3", "bold", "italic", "ol", "ul", "link"]

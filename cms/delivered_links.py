"""Page and document links in rich text delivered through GraphQL follow the visibility rule."""

from contextvars import ContextVar

from django.utils.html import escape
from wagtail.documents.rich_text import DocumentLinkHandler
from wagtail.rich_text.pages import PageLinkHandler

# The visibility of the GraphQL request being executed (set by cms.api), so
# that rich text rendered for delivery can drop links to hidden pages. Unset
# elsewhere (admin, preview templates): links render as Wagtail renders them.
delivery_visibility = ContextVar("delivery_visibility", default=None)


class DeliveryPageLinkHandler(PageLinkHandler):
    """Internal page links: a link to a page the caller may not see keeps its
    text but loses its address, which would name a draft or internal page."""

    @classmethod
    def expand_db_attributes_many(cls, attrs_list):
        visibility = delivery_visibility.get()
        tags = []
        for page in cls.get_many(attrs_list):
            target = page.localized if page is not None else None
            if target is None or (visibility is not None and not visibility.can_view_page(target)):
                tags.append("<a>")
            else:
                tags.append(f'<a href="{escape(target.url)}">')
        return tags


class DeliveryDocumentLinkHandler(DocumentLinkHandler):
    """Document links: a restricted document's address (its file name) is not given away."""

    @classmethod
    def expand_db_attributes_many(cls, attrs_list):
        visibility = delivery_visibility.get()
        tags = []
        for document in cls.get_many(attrs_list):
            if document is None or (visibility is not None and not visibility.allows(document)):
                tags.append("<a>")
            else:
                tags.append(f'<a href="{escape(document.url)}">')
        return tags


def register_delivery_page_links(features):
    """``register_rich_text_features`` hook (ordered after Wagtail's own)."""
    features.register_link_type(DeliveryPageLinkHandler)
    features.register_link_type(DeliveryDocumentLinkHandler)

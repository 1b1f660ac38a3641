"""Which model field holds each localised text of the exchange format.

Shared by the importer and the exporter so both directions use one mapping.
Rich text fields are converted between the exchange spelling and the stored
one (exchange.html); ``keywords`` is a list in the format and a
comma-separated field on the page.
"""

from wagtail.fields import RichTextField

from exchange.html import from_storage, to_storage

ORGANISATION_TEXTS = {"name": "title"}
SERVICE_TEXTS = {
    "title": "title",
    "summary": "summary",
    "description": "description",
    "targetGroup": "target_group",
    "implementation": "implementation",
    "participation": "participation",
    "keywords": "keywords",
}
INSTRUCTION_TEXTS = {
    "title": "title",
    "guidance": "guidance",
    "participation": "participation",
    "statementsAndBenefits": "statements_and_benefits",
    "clientRecords": "client_records",
    "supplementary": "supplementary",
    "internalContacts": "internal_contacts",
}
GUIDE_TEXTS = {"title": "title", "summary": "summary", "body": "body"}

KEYWORD_SEPARATOR = ", "


def _is_rich_text(page, attribute):
    return isinstance(page._meta.get_field(attribute), RichTextField)


def read_texts(page, mapping):
    """The page's texts in exchange form, e.g. {"title": …, "keywords": [...]}."""
    texts = {}
    for name, attribute in mapping.items():
        value = getattr(page, attribute)
        if name == "keywords":
            value = [word.strip() for word in value.split(",") if word.strip()]
        elif _is_rich_text(page, attribute):
            value = from_storage(value)
        texts[name] = value
    return texts


def write_texts(page, mapping, texts):
    """Set the page's text fields from canonical exchange texts."""
    for name, attribute in mapping.items():
        value = texts[name]
        if name == "keywords":
            value = KEYWORD_SEPARATOR.join(value)
        elif _is_rich_text(page, attribute):
            value = to_storage(value)
        setattr(page, attribute, value)

"""Bulk import and export of content in the exchange format (docs/exchange-format.md).

``import_document(data, dry_run=False)`` validates a parsed JSON document and
writes it in one transaction, returning counts per section;
``export_document()`` returns the site's content in the same shape.
"""

from catalogue.exchange.exporter import dumps, export_document
from catalogue.exchange.importer import import_document
from catalogue.exchange.validation import ExchangeError

__all__ = ["ExchangeError", "dumps", "export_document", "import_document"]

"""Bulk import and export of content in the exchange format (docs/exchange-format.md).

``exchange.importer.import_document(data, dry_run=False)`` validates a JSON
document (its text, or parsed) and writes it in one transaction, returning counts per section;
``exchange.exporter.export_document()`` returns the site's content in the same
shape. The demo content (``exchange.demo``) is built through the same import.
"""

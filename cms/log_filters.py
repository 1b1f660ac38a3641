"""Logging filters: a caller's mistake is logged as one line, never with a traceback."""

import logging


class WithoutTraceback(logging.Filter):
    """Keep the message, drop the traceback (Django logs a foreign Host header with one)."""

    def filter(self, record):
        record.exc_info = None
        record.exc_text = None
        return True

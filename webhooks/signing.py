"""Signatures of webhook bodies: HMAC-SHA256 with the endpoint's secret (docs/webhooks.md).

The header ``X-Palvelumanuaali-Signature: t=<unix time>,v1=<hex>`` signs
``"<t>.<body>"``, so a receiver can refuse a replayed delivery by its age as
well as a forged one. ``verify`` is what a Python receiver would do; the tests
receive deliveries with it.
"""

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Palvelumanuaali-Signature"
# How old a signed timestamp a receiver should accept (docs/webhooks.md).
TOLERANCE_SECONDS = 300


def signature(secret, timestamp, body):
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def header(secret, timestamp, body):
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify(secret, header_value, body, now=None, tolerance=TOLERANCE_SECONDS):
    """Whether the header signs this body with this secret, at most ``tolerance`` seconds ago."""
    try:
        parts = dict(part.split("=", 1) for part in header_value.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(parts.get("v1", ""), signature(secret, timestamp, body))

"""How guidance's Python interfaces are given services: by key or by page."""


def service_keys(service_keys_or_pages):
    """Service keys from keys or ServicePages (of any language; translations share the key),
    in order, without repeats or blanks."""
    keys = (getattr(item, "key", item) for item in service_keys_or_pages)
    return list(dict.fromkeys(key for key in keys if key))

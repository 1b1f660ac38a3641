"""The Wagtail site a request is for, from a per-process table instead of a query per request.

Every delivered page URL asks Wagtail which site the request is for
(``Site.find_for_request``), which costs a query per request. Sites change a
few times a year, so the answer per host name and port is kept per process
(cms.process_cache forgets it whenever a site changes).
"""

from django.http.request import split_domain_port
from wagtail.models import Site
from wagtail.models.sites import get_site_for_hostname

from cms import process_cache

_sites = process_cache.ProcessCache(dict)  # (host name, port) → Site or None
process_cache.invalidate_on(Site)


def remember_site(request):
    """Set the site Wagtail's ``Site.find_for_request`` will find for ``request``."""
    if hasattr(request, "_wagtail_site"):
        return
    hostname = split_domain_port(request.get_host())[0]
    port = request.get_port()
    table = _sites.get()
    if (hostname, port) not in table:
        try:
            table[hostname, port] = get_site_for_hostname(hostname, port)
        except Site.DoesNotExist:
            table[hostname, port] = None
    request._wagtail_site = table[hostname, port]

"""URL routes: admin, GraphQL delivery, documents, health, integration endpoints."""

from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import health, signed_documents
from cms.api import DeliveryGraphQLView

# A bad request to the API (say, a Host not in ALLOWED_HOSTS) is answered in JSON.
handler400 = "cms.api.bad_request"

urlpatterns = [
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
    path("health/search", health.search, name="health-search"),
    path("admin/", include(wagtailadmin_urls)),
    # Restricted documents for API callers, by a short-lived signed link (cms.signed_documents).
    path("documents/signed/<str:token>/", signed_documents.serve_signed, name="signed-document"),
    path("documents/", include(wagtaildocs_urls)),
    path("favourites/", include("favourites.urls")),
    # Map output (integrations.urls) and the open-data feed (integrations.open_data_urls).
    path("api/", include("integrations.urls")),
    path("open-data/", include("integrations.open_data_urls")),
    path("graphql/", DeliveryGraphQLView.as_view(), name="graphql"),
    # The client's sign-in through OpenID Connect (guidance.client_urls; 404 while off).
    path("client/", include("guidance.client_urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page serving last: it catches everything else (previews, redirects).
urlpatterns.append(path("", include(wagtail_urls)))

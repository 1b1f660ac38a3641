"""Routes of the integrations app, below /open-data/ (cms.urls)."""

from django.urls import path, re_path

from integrations import open_data_views as views

app_name = "open_data"

# The paths of the HSDS 3.0 API, plus locations.
urlpatterns = [
    path("hsds/", views.index, name="hsds"),
    path("hsds/services", views.services, name="hsds-services"),
    path("hsds/services/<str:id>", views.service, name="hsds-service"),
    path("hsds/organizations", views.organizations, name="hsds-organizations"),
    path("hsds/organizations/<str:id>", views.organization, name="hsds-organization"),
    path("hsds/locations", views.locations, name="hsds-locations"),
    path("hsds/locations/<str:id>", views.location, name="hsds-location"),
    path("hsds/service_at_locations", views.service_at_locations, name="hsds-service-at-locations"),
    path(
        "hsds/service_at_locations/<str:id>",
        views.service_at_location,
        name="hsds-service-at-location",
    ),
    path("hsds/taxonomies", views.taxonomies, name="hsds-taxonomies"),
    path("hsds/taxonomies/<str:id>", views.taxonomy, name="hsds-taxonomy"),
    path("hsds/taxonomy_terms", views.taxonomy_terms, name="hsds-taxonomy-terms"),
    path("hsds/taxonomy_terms/<str:id>", views.taxonomy_term, name="hsds-taxonomy-term"),
    re_path(r"^(?P<rest>.*)$", views.unknown),
]

"""The integrations' HTTP endpoints (under /api/, cms.urls)."""

from django.urls import path

from integrations import views

app_name = "integrations"

urlpatterns = [
    path("locations.geojson", views.locations_geojson, name="locations-geojson"),
]

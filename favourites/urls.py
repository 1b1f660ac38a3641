"""Printable pages of favourite lists: the owner's own and shared ones."""

from django.urls import path

from favourites import views

app_name = "favourites"

urlpatterns = [
    path("lists/<int:pk>/print/", views.print_own_list, name="print"),
    path("<slug:token>/print/", views.print_shared_list, name="shared-print"),
]

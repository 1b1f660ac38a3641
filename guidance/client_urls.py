"""The client's sign-in (guidance.client_login), under /client/oidc/ (cms.urls)."""

from django.urls import path

from guidance import client_login

urlpatterns = [
    path(
        "oidc/authenticate/",
        client_login.ClientLoginView.as_view(),
        name="client_oidc_authenticate",
    ),
    # Its name is OIDC_AUTHENTICATION_CALLBACK_URL: the redirect_uri the provider knows.
    path("oidc/callback/", client_login.ClientCallbackView.as_view(), name="client_oidc_callback"),
    path("oidc/logout/", client_login.client_logout, name="client_oidc_logout"),
]

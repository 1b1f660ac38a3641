"""The single GraphQL endpoint (/graphql/), with GraphiQL for browsers.

CSRF protection matters only for requests authenticated by the session
cookie: a browser frontend on the same site sends the CSRF token, while
server-side frontends (no session cookie) are not subject to the check.
"""

from django.conf import settings
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from graphene_django.views import GraphQLView


@method_decorator(csrf_exempt, name="dispatch")
class DeliveryGraphQLView(GraphQLView):
    graphiql = True

    def dispatch(self, request, *args, **kwargs):
        handler = super().dispatch
        if request.COOKIES.get(settings.SESSION_COOKIE_NAME):
            handler = csrf_protect(handler)
        return handler(request, *args, **kwargs)

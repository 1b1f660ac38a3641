"""Short-lived signed download links for documents behind a view restriction.

An expert's frontend calls the API with a bearer token, but downloads an
attachment with the browser, which has no session: Wagtail's document view
would send it to the admin login. So the API gives a signed-in caller, for
each restricted document it may see, a link (``Document.downloadUrl``,
cms.delivery_schema) that carries its own credential:

- the token names the user and the document and is signed with
  ``django.core.signing`` (the site's SECRET_KEY, a salt of its own); it
  expires ``SIGNED_DOCUMENT_URL_MAX_AGE`` seconds after it was made;
- the download view checks the signature and the age, then asks the
  visibility rule (cms.visibility) again whether that user — still active —
  may see that document now, and only then serves it through Wagtail's own
  document view as that user, so ``WAGTAILDOCS_SERVE_METHOD``, the storage
  and Wagtail's serving headers apply as for any download.

Public documents need no token: their ``downloadUrl`` is the ordinary one.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.http import HttpResponseForbidden
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from wagtail.documents import get_document_model
from wagtail.documents.views.serve import serve

from cms.visibility import Visibility, for_request

SALT = "cms.signed_documents.download"
EXPIRED = "This download link has expired; ask the API for a new one."
INVALID = "This download link is not valid."
FORBIDDEN = "This download link no longer gives access to the document."


def make_token(user, document):
    return signing.dumps({"user": user.pk, "document": document.pk}, salt=SALT)


def download_url(request, document):
    """The URL a caller downloads ``document`` from, or None when it may not.

    Public documents keep Wagtail's ordinary URL; a restricted one gets a signed
    URL for a signed-in caller who may see it.
    """
    visibility = for_request(request)
    if not visibility.can_view_document(document):
        return None
    if visibility.is_public_document(document):
        return request.build_absolute_uri(document.url)
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    token = make_token(user, document)
    return request.build_absolute_uri(reverse("signed-document", args=[token]))


@require_safe
def serve_signed(request, token):
    """Serve the document a valid token names to the user it names, if they still may see it."""
    try:
        claims = signing.loads(token, salt=SALT, max_age=settings.SIGNED_DOCUMENT_URL_MAX_AGE)
    except signing.SignatureExpired:
        return HttpResponseForbidden(EXPIRED, content_type="text/plain; charset=utf-8")
    except signing.BadSignature:
        return HttpResponseForbidden(INVALID, content_type="text/plain; charset=utf-8")
    try:
        user_id, document_id = int(claims["user"]), int(claims["document"])
    except (KeyError, TypeError, ValueError):
        return HttpResponseForbidden(INVALID, content_type="text/plain; charset=utf-8")
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    document = get_object_or_404(get_document_model(), pk=document_id)
    if user is None or not Visibility(user).can_view_document(document):
        return HttpResponseForbidden(FORBIDDEN, content_type="text/plain; charset=utf-8")
    # Wagtail's view, as the token's user: its collection privacy check then agrees.
    request.user = user
    response = serve(request, document.pk, document.filename)
    patch_cache_control(response, private=True, no_store=True)
    return response

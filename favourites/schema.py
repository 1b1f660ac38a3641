"""GraphQL for favourites: the caller's lists, a shared list, and changes to the caller's lists.

The root fields are registered from favourites.wagtail_hooks. The types are
plain graphene types rather than model types, so that exactly what is listed
here leaves the server: never the owner, and the share token only to the owner.

A list's items are those whose service the caller may see (cms.visibility);
``itemCount`` counts the same items. Errors are GraphQL errors whose
``extensions.code`` lets frontends show their own message; the ``message``
itself is in the caller's language (Accept-Language, see cms.api):

- ``UNAUTHENTICATED``: favourites on the server need a signed-in user;
- ``NOT_FOUND``: no such list of the caller's (another user's list is
  reported the same way, so ids reveal nothing), no such service visible to
  the caller, or an unknown share token;
- ``BAD_USER_INPUT``: an empty or too long name, a reordering that is not a
  permutation, neither or both of ``serviceId`` and ``serviceKey``.
"""

from contextlib import contextmanager

import graphene
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext
from graphql import GraphQLError
from grapple.registry import registry
from wagtail.models import Locale

from catalogue.models import ServicePage
from cms.visibility import for_request
from favourites.models import FavouriteList

UNAUTHENTICATED = "UNAUTHENTICATED"
NOT_FOUND = "NOT_FOUND"
BAD_USER_INPUT = "BAD_USER_INPUT"


def _error(message, code):
    return GraphQLError(message, extensions={"code": code})


@contextmanager
def _user_input():
    """A model's ValidationError becomes a GraphQL error naming the problem."""
    try:
        yield
    except ValidationError as error:
        raise _error(" ".join(error.messages), BAD_USER_INPUT) from error


def _pk(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _signed_in_user(info):
    user = getattr(info.context, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        raise _error(gettext("Sign in to use favourites."), UNAUTHENTICATED)
    return user


def _own_list(info, id):
    favourite_list = (
        FavouriteList.objects.owned_by(_signed_in_user(info)).filter(pk=_pk(id)).first()
    )
    if favourite_list is None:
        raise _error(gettext("Favourite list not found."), NOT_FOUND)
    return favourite_list


def _visible_service(info, service_id, service_key, locale):
    if (service_id is None) == (service_key is None):
        raise _error(gettext("Give either serviceId or serviceKey."), BAD_USER_INPUT)
    services = ServicePage.objects.filter(for_request(info.context).page_filter())
    if service_id is not None:
        services = services.filter(pk=_pk(service_id))
    else:
        language = locale or Locale.get_default().language_code
        services = services.filter(key=service_key, locale__language_code=language)
    service = services.first()
    if service is None:
        raise _error(gettext("Service not found."), NOT_FOUND)
    return service


def _visible_items(favourite_list, info):
    """The list's items the caller may see: prefetched by the list queries, else fetched once."""
    if not hasattr(favourite_list, "visible_items"):
        items = favourite_list.items.visible_to(for_request(info.context))
        favourite_list.visible_items = list(items.select_related("service"))
    return favourite_list.visible_items


def _is_owner(favourite_list, info):
    user = getattr(info.context, "user", None)
    return user is not None and user.is_authenticated and favourite_list.owner_id == user.pk


class FavouriteItemType(graphene.ObjectType):
    """A service on a favourite list."""

    position = graphene.Int(required=True, description="Sort key; items come in this order.")
    added_at = graphene.DateTime(required=True)
    service = graphene.NonNull(lambda: registry.pages[ServicePage])

    class Meta:
        name = "FavouriteItem"


class FavouriteListType(graphene.ObjectType):
    """Suosikkilista: a named list of services kept by a signed-in user."""

    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    position = graphene.Int(required=True, description="Sort key among the owner's lists.")
    created_at = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    share_token = graphene.String(
        description="The secret of the share link; only for the owner, null when not shared."
    )
    share_url = graphene.String(
        description="Read-only printable page of the shared list for anyone with the link; "
        "null when not shared."
    )
    items = graphene.List(
        graphene.NonNull(FavouriteItemType),
        required=True,
        description="The services on the list that the caller may see, in order.",
    )
    item_count = graphene.Int(required=True, description="The number of `items`.")

    class Meta:
        name = "FavouriteList"

    def resolve_share_token(favourite_list, info):
        return favourite_list.share_token if _is_owner(favourite_list, info) else None

    def resolve_share_url(favourite_list, info):
        # Only the owner, or someone who opened the list with its token, gets here.
        if not favourite_list.share_token:
            return None
        path = reverse("favourites:shared-print", args=[favourite_list.share_token])
        return info.context.build_absolute_uri(path)

    def resolve_items(favourite_list, info):
        return _visible_items(favourite_list, info)

    def resolve_item_count(favourite_list, info):
        return len(_visible_items(favourite_list, info))


class FavouritesQuery:
    """Root query fields (a mixin of grapple's Query)."""

    favourite_lists = graphene.List(
        graphene.NonNull(FavouriteListType),
        required=True,
        description="The signed-in caller's favourite lists, in their order.",
    )
    favourite_list = graphene.Field(
        FavouriteListType,
        id=graphene.ID(required=True),
        description="One of the signed-in caller's favourite lists.",
    )
    shared_favourite_list = graphene.Field(
        FavouriteListType,
        token=graphene.String(required=True),
        description="A shared list, read-only, for anyone with its share token.",
    )

    def resolve_favourite_lists(root, info):
        visibility = for_request(info.context)
        return FavouriteList.objects.owned_by(_signed_in_user(info)).with_visible_items(visibility)

    def resolve_favourite_list(root, info, id):
        return _own_list(info, id)

    def resolve_shared_favourite_list(root, info, token):
        favourite_list = FavouriteList.objects.shared(token).first()
        if favourite_list is None:
            raise _error(gettext("Shared favourite list not found."), NOT_FOUND)
        return favourite_list


def _list_field(description, **arguments):
    return graphene.Field(
        graphene.NonNull(FavouriteListType), args=arguments, description=description
    )


class FavouritesMutation(graphene.ObjectType):
    """Changes to the signed-in caller's own lists; each returns the changed list."""

    # Arguments go in ``args``: ``name`` would otherwise be taken as the field's own name.
    create_favourite_list = _list_field(
        "A new list, placed after the caller's other lists.",
        name=graphene.String(required=True),
    )
    rename_favourite_list = _list_field(
        "Rename one of the caller's lists.",
        id=graphene.ID(required=True),
        name=graphene.String(required=True),
    )
    delete_favourite_list = graphene.Field(
        graphene.NonNull(graphene.ID),
        args={"id": graphene.ID(required=True)},
        description="Delete one of the caller's lists with its items; returns its id.",
    )
    add_favourite = _list_field(
        "Put a service the caller may see last on the list (by id, or by exchange key and "
        "language, default Finnish); a service already on the list stays where it is.",
        list_id=graphene.ID(required=True),
        service_id=graphene.ID(),
        service_key=graphene.String(),
        locale=graphene.String(description="Language code of the service with serviceKey."),
    )
    remove_favourite = _list_field(
        "Take a service off the list; nothing happens if it is not on it.",
        list_id=graphene.ID(required=True),
        service_id=graphene.ID(required=True),
    )
    reorder_favourites = _list_field(
        "Order the list's items as serviceIds, which names each item of the list once.",
        list_id=graphene.ID(required=True),
        service_ids=graphene.List(graphene.NonNull(graphene.ID), required=True),
    )
    reorder_favourite_lists = graphene.Field(
        graphene.NonNull(graphene.List(graphene.NonNull(FavouriteListType))),
        args={"ids": graphene.List(graphene.NonNull(graphene.ID), required=True)},
        description="Order the caller's lists as ids, which names each of them once.",
    )
    share_favourite_list = _list_field(
        "Give the list a new share link; an earlier link stops working.",
        id=graphene.ID(required=True),
    )
    unshare_favourite_list = _list_field(
        "Stop sharing the list; its share link stops working.",
        id=graphene.ID(required=True),
    )

    def resolve_create_favourite_list(root, info, name):
        with _user_input():
            return FavouriteList.objects.create_for(_signed_in_user(info), name)

    def resolve_rename_favourite_list(root, info, id, name):
        favourite_list = _own_list(info, id)
        with _user_input():
            favourite_list.rename(name)
        return favourite_list

    def resolve_delete_favourite_list(root, info, id):
        favourite_list = _own_list(info, id)
        pk = favourite_list.pk
        favourite_list.delete()
        return pk

    def resolve_add_favourite(root, info, list_id, service_id=None, service_key=None, locale=None):
        favourite_list = _own_list(info, list_id)
        favourite_list.add(_visible_service(info, service_id, service_key, locale))
        return favourite_list

    def resolve_remove_favourite(root, info, list_id, service_id):
        favourite_list = _own_list(info, list_id)
        favourite_list.remove(_pk(service_id))
        return favourite_list

    def resolve_reorder_favourites(root, info, list_id, service_ids):
        favourite_list = _own_list(info, list_id)
        with _user_input():
            favourite_list.reorder(service_ids, for_request(info.context))
        return favourite_list

    def resolve_reorder_favourite_lists(root, info, ids):
        lists = FavouriteList.objects.owned_by(_signed_in_user(info))
        with _user_input():
            lists.reorder(ids)
        return lists.with_visible_items(for_request(info.context))

    def resolve_share_favourite_list(root, info, id):
        favourite_list = _own_list(info, id)
        favourite_list.share()
        return favourite_list

    def resolve_unshare_favourite_list(root, info, id):
        favourite_list = _own_list(info, id)
        favourite_list.unshare()
        return favourite_list


def add_query(query_mixins):
    """``register_schema_query`` hook."""
    query_mixins.append(FavouritesQuery)


def add_mutation(mutation_mixins):
    """``register_schema_mutation`` hook."""
    mutation_mixins.append(FavouritesMutation)

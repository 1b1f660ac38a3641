"""Favourite lists (suosikkilistat): services a signed-in user keeps in named folders.

An expert collects services for a client during a meeting and keeps them
until removing them. A list can be shared read-only through an unguessable
link and printed. Anonymous visitors' favourites stay in their browser (the
frontends keep them in localStorage): nothing is stored here for them.

An item points at a service whatever the service's state. While the service
is unpublished or behind a restriction the viewer does not pass, the item is
left out of everything delivered (``FavouriteItemQuerySet.visible_to``, the
rule of cms.visibility); it comes back when the service is published again.
Deleting the service deletes the items.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max, Prefetch
from django.utils.translation import gettext_lazy as _


def _signed_in(user):
    return user is not None and user.is_authenticated and user.is_active


def _next_position(queryset):
    highest = queryset.aggregate(highest=Max("position"))["highest"]
    return 0 if highest is None else highest + 1


def _permutation(current, wanted, message):
    """``wanted`` as ids of ``current`` if it names each of them exactly once."""
    by_text = {str(pk): pk for pk in current}
    wanted = [str(pk) for pk in wanted]
    if len(wanted) != len(by_text) or set(wanted) != set(by_text):
        raise ValidationError(message, code="not_a_permutation")
    return [by_text[pk] for pk in wanted]


class FavouriteListQuerySet(models.QuerySet):
    def owned_by(self, user):
        """The user's own lists; none for anonymous or deactivated users."""
        return self.filter(owner=user) if _signed_in(user) else self.none()

    def shared(self, token):
        """The list behind a share link (none for an empty token)."""
        return self.filter(share_token=token) if token else self.none()

    def with_visible_items(self, visibility):
        """Prefetch, into ``visible_items``, the items whose service ``visibility`` admits."""
        items = FavouriteItem.objects.visible_to(visibility).select_related("service")
        return self.prefetch_related(Prefetch("items", queryset=items, to_attr="visible_items"))

    def create_for(self, owner, name):
        """A new list with this name, placed after the owner's other lists."""
        return self.create(
            owner=owner,
            name=FavouriteList.clean_name(name),
            position=_next_position(self.model.objects.filter(owner=owner)),
        )

    @transaction.atomic
    def reorder(self, ids):
        """Number the lists of this queryset in the order of ``ids``, which names each once."""
        ordered = _permutation(
            self.values_list("pk", flat=True),
            ids,
            _("The ids must name each of your favourite lists exactly once."),
        )
        self.model.objects.bulk_update(
            [self.model(pk=pk, position=position) for position, pk in enumerate(ordered)],
            ["position"],
        )


class FavouriteList(models.Model):
    """Suosikkilista: a named folder of services owned by one signed-in user."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="favourite_lists",
        verbose_name=_("omistaja"),
    )
    name = models.CharField(_("nimi"), max_length=200)
    position = models.PositiveIntegerField(_("järjestys"), default=0)
    share_token = models.CharField(
        _("jakotunniste"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Salainen osa jakolinkistä; tyhjä, kun listaa ei ole jaettu."),
    )
    created_at = models.DateTimeField(_("luotu"), auto_now_add=True)
    updated_at = models.DateTimeField(_("muokattu"), auto_now=True)

    objects = FavouriteListQuerySet.as_manager()

    class Meta:
        verbose_name = _("suosikkilista")
        verbose_name_plural = _("suosikkilistat")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name

    @classmethod
    def clean_name(cls, name):
        """The name as stored: without surrounding white space, not empty, not too long."""
        name = (name or "").strip()
        if not name:
            raise ValidationError(
                _("The name of a favourite list must not be empty."), code="blank"
            )
        limit = cls._meta.get_field("name").max_length
        if len(name) > limit:
            raise ValidationError(
                _("The name of a favourite list must be at most %(limit)d characters."),
                code="max_length",
                params={"limit": limit},
            )
        return name

    def rename(self, name):
        self.name = self.clean_name(name)
        self.save(update_fields=["name", "updated_at"])

    def add(self, service):
        """Put the service last on the list; a service already on it stays where it is."""
        _item, created = self.items.get_or_create(
            service=service, defaults={"position": _next_position(self.items.all())}
        )
        if created:
            self.touch()

    def remove(self, service_id):
        deleted, _counts = self.items.filter(service_id=service_id).delete()
        if deleted:
            self.touch()

    @transaction.atomic
    def reorder(self, service_ids, visibility):
        """Order the items the viewer sees as ``service_ids``, which names each of them once.

        Items the viewer cannot see (an unpublished service) cannot be named by
        them; they follow the others, in their previous order.
        """
        items = list(self.items.all())
        visible = set(self.items.visible_to(visibility).values_list("service_id", flat=True))
        ordered = _permutation(
            [item.service_id for item in items if item.service_id in visible],
            service_ids,
            _("The service ids must name each service on the list exactly once."),
        )
        by_service = {item.service_id: item for item in items}
        sequence = [by_service[pk] for pk in ordered]
        sequence += [item for item in items if item.service_id not in visible]
        for position, item in enumerate(sequence):
            item.position = position
        FavouriteItem.objects.bulk_update(sequence, ["position"])
        self.touch()

    def share(self):
        """Give the list a new share link; an earlier link stops working."""
        self.share_token = secrets.token_urlsafe(32)
        self.save(update_fields=["share_token", "updated_at"])

    def unshare(self):
        self.share_token = None
        self.save(update_fields=["share_token", "updated_at"])

    def touch(self):
        """Record a change of the items in ``updated_at``."""
        self.save(update_fields=["updated_at"])


class FavouriteItemQuerySet(models.QuerySet):
    def visible_to(self, visibility):
        """Items whose service the viewer may see (a cms.visibility.Visibility)."""
        return self.filter(service_id__in=visibility.pages().values("pk"))


class FavouriteItem(models.Model):
    """Suosikki: one service on a favourite list."""

    favourite_list = models.ForeignKey(
        FavouriteList,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("suosikkilista"),
    )
    # related_name="+": no reverse relation, so grapple cannot add a field to the
    # service's GraphQL type that tells whose lists the service is on.
    service = models.ForeignKey(
        "catalogue.ServicePage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("palvelu"),
    )
    position = models.PositiveIntegerField(_("järjestys"), default=0)
    added_at = models.DateTimeField(_("lisätty"), auto_now_add=True)

    objects = FavouriteItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("suosikki")
        verbose_name_plural = _("suosikit")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["favourite_list", "service"], name="service_once_per_favourite_list"
            )
        ]

    def __str__(self):
        return f"{self.favourite_list}: {self.service_id}"

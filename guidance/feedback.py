"""Anonymous feedback on services and on recommendation sets, and what it adds up to.

Giving feedback (``give_service_feedback``, ``give_recommendation_feedback``):

- the caller may name only services they may see (cms.visibility): feedback on
  a draft, internal or restricted service is refused as an unknown service;
- each attempt counts against ``RATE_LIMIT_FEEDBACK`` per client IP (or
  ``RATE_LIMIT_FEEDBACK_SIGNED_IN`` per API token or signed-in user), counted
  in the shared cache by cms.ratelimit; the counters expire with their window
  and nothing of the caller is written anywhere else;
- the stored row has no identity (guidance.models.feedback).

``aggregates(service_keys_or_pages)`` → ``{service key: Aggregate}`` for the
services that have any feedback (a key without feedback is absent):
``useful_count`` and ``not_useful_count`` (answers on the service itself),
``useful_share`` (0..1, None without answers), ``rating_count`` (rated
recommendation sets the service was in), ``mean_rating`` (1..5, None without
ratings) and ``count`` (all of them). The ranking may use it as one signal
among others; the API shows the same numbers as ``feedbackSummary``.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Avg, Count, Q
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext
from wagtail.models import Locale

from catalogue.models import ServicePage
from cms import ratelimit
from cms.visibility import for_request
from guidance.models import RecommendationFeedback, RecommendedService, ServiceFeedback
from guidance.service_keys import service_keys

RATE_LIMIT_SCOPE = "feedback"
RATINGS = range(1, 6)
QUESTIONNAIRE_KEY_LENGTH = RecommendationFeedback._meta.get_field("questionnaire_key").max_length


class FeedbackRefused(Exception):
    """Feedback that is not stored, with why (``code``: BAD_USER_INPUT, NOT_FOUND or
    TOO_MANY_REQUESTS) and, for the last, the seconds until the caller may try again."""

    def __init__(self, message, code, retry_after=None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.retry_after = retry_after


@dataclass(frozen=True)
class Aggregate:
    """All feedback concerning one service."""

    useful_count: int = 0
    not_useful_count: int = 0
    rating_count: int = 0
    mean_rating: float | None = None

    @property
    def count(self):
        return self.useful_count + self.not_useful_count + self.rating_count

    @property
    def useful_share(self):
        answers = self.useful_count + self.not_useful_count
        return self.useful_count / answers if answers else None


def count_attempt(request):
    """Count one attempt to give feedback; refuse it past the caller's limit."""
    if not settings.RATE_LIMITS_ENABLED:
        return
    limit = ratelimit.caller_limit(
        request,
        RATE_LIMIT_SCOPE,
        anonymous=settings.RATE_LIMIT_FEEDBACK,
        signed_in=settings.RATE_LIMIT_FEEDBACK_SIGNED_IN,
    )
    now = time.time()
    if ratelimit.hit(limit, now) > limit.requests:
        retry_after = limit.retry_after(now)
        message = ngettext(
            "Too much feedback: at most %(requests)d in %(seconds)d seconds. "
            "Try again in %(retry)d second.",
            "Too much feedback: at most %(requests)d in %(seconds)d seconds. "
            "Try again in %(retry)d seconds.",
            retry_after,
        ) % {"requests": limit.requests, "seconds": limit.seconds, "retry": retry_after}
        raise FeedbackRefused(message, "TOO_MANY_REQUESTS", retry_after)


def _text(text):
    text = (text or "").strip()
    if len(text) > settings.FEEDBACK_MAX_TEXT:
        raise FeedbackRefused(
            gettext("The text may have at most %(limit)d characters (%(length)d given).")
            % {"limit": settings.FEEDBACK_MAX_TEXT, "length": len(text)},
            "BAD_USER_INPUT",
        )
    return text


def _visible_services(visibility, keys):
    """{key: the Finnish page} of the services with these keys that the caller may see.

    Feedback points at the Finnish page, which stands for the service in every
    language; a service counts as seen if the caller may see any language of it.
    """
    seen = ServicePage.objects.filter(visibility.page_filter(), key__in=keys).values(
        "translation_key"
    )
    sources = ServicePage.objects.filter(locale=Locale.get_default(), translation_key__in=seen)
    return {page.key: page for page in sources}


def _unknown_service(key):
    return FeedbackRefused(gettext("No service with key '%(key)s'.") % {"key": key}, "NOT_FOUND")


def give_service_feedback(request, service_key, useful, text=None):
    """Store whether a service the caller may see was useful; returns the stored row."""
    count_attempt(request)
    text = _text(text)
    service = _visible_services(for_request(request), [service_key]).get(service_key)
    if service is None:
        raise _unknown_service(service_key)
    return ServiceFeedback.objects.create(service=service, useful=bool(useful), text=text)


def give_recommendation_feedback(
    request,
    rating,
    recommended_keys,
    text=None,
    questionnaire_key=None,
    questionnaire_revision=None,
):
    """Store a rating of a set of recommended services the caller may see; returns the row."""
    count_attempt(request)
    if rating not in RATINGS:
        raise FeedbackRefused(
            gettext("The rating must be a whole number from 1 to 5."), "BAD_USER_INPUT"
        )
    text = _text(text)
    keys = list(dict.fromkeys(recommended_keys))
    if not keys:
        raise FeedbackRefused(
            gettext("Name the recommended services (serviceKeys)."), "BAD_USER_INPUT"
        )
    if len(keys) > settings.FEEDBACK_MAX_SERVICES:
        raise FeedbackRefused(
            gettext("At most %(limit)d services may be named (%(count)d given).")
            % {"limit": settings.FEEDBACK_MAX_SERVICES, "count": len(keys)},
            "BAD_USER_INPUT",
        )
    questionnaire_key = (questionnaire_key or "").strip()
    if questionnaire_key and (
        slugify(questionnaire_key) != questionnaire_key
        or len(questionnaire_key) > QUESTIONNAIRE_KEY_LENGTH
    ):
        raise FeedbackRefused(
            gettext(
                "A questionnaire key has at most %(limit)d lower-case letters, digits, "
                "hyphens or underscores."
            )
            % {"limit": QUESTIONNAIRE_KEY_LENGTH},
            "BAD_USER_INPUT",
        )
    if questionnaire_revision is not None and (not questionnaire_key or questionnaire_revision < 1):
        raise FeedbackRefused(
            gettext("A questionnaire revision is a positive number given with its key."),
            "BAD_USER_INPUT",
        )
    services = _visible_services(for_request(request), keys)
    for key in keys:
        if key not in services:
            raise _unknown_service(key)
    with transaction.atomic():
        feedback = RecommendationFeedback.objects.create(
            rating=rating,
            text=text,
            questionnaire_key=questionnaire_key,
            questionnaire_revision=questionnaire_revision,
        )
        RecommendedService.objects.bulk_create(
            RecommendedService(feedback=feedback, service=services[key], position=position)
            for position, key in enumerate(keys, start=1)
        )
    return feedback


def aggregates(service_keys_or_pages):
    """{service key: Aggregate} of the given services that have feedback (see the module)."""
    keys = service_keys(service_keys_or_pages)
    if not keys:
        return {}
    default = Locale.get_default()
    answers = (
        ServiceFeedback.objects.filter(service__key__in=keys, service__locale=default)
        .values("service__key")
        .annotate(
            # Not named "useful": a filter on the field would then read the annotation.
            useful_count=Count("pk", filter=Q(useful=True)),
            not_useful_count=Count("pk", filter=Q(useful=False)),
        )
        .order_by()
    )
    ratings = (
        RecommendedService.objects.filter(service__key__in=keys, service__locale=default)
        .values("service__key")
        .annotate(rating_count=Count("pk"), mean_rating=Avg("feedback__rating"))
        .order_by()
    )
    found = {}
    for row in answers:
        found[row.pop("service__key")] = row
    for row in ratings:
        found.setdefault(row.pop("service__key"), {}).update(row)
    return {key: Aggregate(**values) for key, values in found.items()}

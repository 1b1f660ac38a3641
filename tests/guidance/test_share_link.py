"""An expert fills in the questionnaire with a client and shares the result as a link:
the link holds the profile, signed; nothing is stored on the server.
"""

import time
import zlib

import pytest
from django.core import signing
from guidance_data import RECOMMENDATIONS, answers, keys

pytestmark = pytest.mark.django_db

SHARE = """
mutation Share($profile: ClientProfile!) {
  shareClientProfile(profile: $profile) { token expiresAt }
}
"""


@pytest.fixture
def shared(guidance_catalogue, questionnaires, graphql, client, role_user):
    """A share token of a young job seeker's profile, made by an expert, and the profile."""
    profile = {
        "age": 22,
        "municipality": "091",
        "answers": [
            answers(questionnaires["tyonhakija"], tilanne=["nuori"], tavoite=["tyopaikka"])
        ],
    }
    client.force_login(role_user("expert"))
    body = graphql(SHARE, {"profile": profile})
    client.logout()
    return body["data"]["shareClientProfile"], profile


def test_the_shared_link_gives_anyone_the_same_recommendations_as_the_profile(shared, recommend):
    link, profile = shared

    from_link = recommend(shared=link["token"], locale="en")

    assert keys(from_link) == keys(recommend(profile, locale="en"))
    assert keys(from_link) == ["youth-workshop", "work-trial", "online-job-club"]
    assert (
        from_link["items"][0]["reasons"] == recommend(profile, locale="en")["items"][0]["reasons"]
    )


def test_the_link_is_valid_for_the_documented_time(shared, settings):
    link, _profile = shared
    from datetime import datetime, timedelta

    expires = datetime.fromisoformat(link["expiresAt"])
    lifetime = expires - datetime.now(expires.tzinfo)

    assert settings.GUIDANCE_SHARE_LINK_MAX_AGE == 14 * 24 * 60 * 60
    assert timedelta(days=13, hours=23) < lifetime <= timedelta(days=14)


def test_a_tampered_link_is_refused(shared, graphql):
    link, _profile = shared
    # The profile is readable (signed, not encrypted): move the client to Espoo.
    payload, timestamp, signature = link["token"].rsplit(":", 2)
    profile = zlib.decompress(signing.b64_decode(payload[1:].encode()))
    assert b'"municipality":"091"' in profile
    moved = zlib.compress(profile.replace(b'"091"', b'"049"'))
    forged = f".{signing.b64_encode(moved).decode()}:{timestamp}:{signature}"

    for token in (forged, link["token"][:-2] + "xx"):
        body = graphql(RECOMMENDATIONS, {"shared": token})
        assert body["data"] is None
        assert body["errors"][0]["message"] == "This shared link is invalid or has been altered."


def test_an_expired_link_is_refused(shared, graphql, monkeypatch):
    link, _profile = shared
    later = time.time() + 15 * 24 * 60 * 60
    monkeypatch.setattr(signing.time, "time", lambda: later)

    body = graphql(RECOMMENDATIONS, {"shared": link["token"]})

    assert body["errors"][0]["message"].startswith("This shared link has expired")


def test_anonymous_callers_cannot_make_share_links(guidance_catalogue, graphql):
    body = graphql(SHARE, {"profile": {"age": 30}})

    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

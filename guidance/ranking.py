"""How recommended services are ordered: the parts of a score and their weights.

A suitable service's score is

    fit × w_fit + boost × w_boost + Σ signal × w_signal

- **fit** (0–1): the share of the client's needs (service needs and life
  situations, from the profile and the answers) the service meets, times
  ½ + ½ × its focus (how much of what the service is about the client needs:
  guidance.recommendations.focus), halved when the only language the client
  shares with it is one they know a little;
- **boost** (0–1): the share of the lifts the service gets: terms answers
  lift, terms that suit the client's education, competences its keywords name;
- **signals** (each 0–1): facts about the service itself, the functions in
  ``SIGNALS``: its priority number, its effectiveness, and whether it is a
  service of the client's own employment area.

The weights ``w_…`` are the "Suositusten painot" setting
(guidance.models.RecommendationWeights), which administrators tune; a signal
whose name has no weight there counts with weight 1.

``SIGNALS`` is where other measures plug in: a function of the suitable
services (``Candidate``s, guidance.recommendations) and the ``Client``,
returning ``{service id: (value between 0 and 1, reason text)}`` for the
services it lifts. It is called once per request with all of them, so it
should fetch what it needs in one query. The reason text is shown to the
client and runs under the request's language.
"""

from django.utils.translation import gettext

from guidance.effectiveness import measured_scores
from guidance.models import RecommendationWeights


def priority(candidates, client):
    """The producers' priority number (priorisointiluku), as a fraction of 100."""
    return {
        c.pk: (c.priority / 100, gettext("Priority number %(value)d/100.") % {"value": c.priority})
        for c in candidates
        if c.priority
    }


def effectiveness(candidates, client):
    """The measured effectiveness (vaikuttavuus): the service's effectiveness figures
    normalised to 0–1 (guidance.effectiveness), else its hand-kept number / 100, which the
    candidate already carries."""
    measured = measured_scores([c.key for c in candidates])
    found = {
        c.pk: value
        for c in candidates
        if (value := measured.get(c.key, min(1.0, (c.effectiveness or 0) / 100)))
    }
    return {
        pk: (value, gettext("Effectiveness %(value)d/100.") % {"value": round(value * 100)})
        for pk, value in found.items()
    }


def regional(candidates, client):
    """1 for a service of the client's own employment area: it serves the home
    municipality and no municipality outside the area (a region-wide service gets 0)."""
    if not client.municipality or not client.area_municipalities:
        return {}
    text = gettext("A service of the client's own employment area (%(area)s).") % {
        "area": client.area_name
    }
    return {
        c.pk: (1.0, text)
        for c in candidates
        if client.municipality in c.municipalities
        and c.municipalities <= client.area_municipalities
    }


# name → signal; the name is also its weight's field on RecommendationWeights and the
# code of its reason in GraphQL (upper case).
SIGNALS = {
    "priority": priority,
    "effectiveness": effectiveness,
    "regional": regional,
}


def weights():
    """The weights in force (the setting's row, created with the defaults if missing)."""
    return RecommendationWeights.load()

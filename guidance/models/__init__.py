"""Guidance models, one module per part (import each part's models here)."""

from guidance.models.effectiveness import EffectivenessFigure, Measure, Unit
from guidance.models.feedback import RecommendationFeedback, RecommendedService, ServiceFeedback
from guidance.models.landing import (
    AreaFeaturedService,
    AreaLandingPage,
    AudienceCategory,
    AudienceFeaturedService,
    AudienceLandingPage,
    LandingIndexPage,
)
from guidance.models.personal import PersonalSettings
from guidance.models.questionnaire import Questionnaire
from guidance.models.saved_search import SavedSearch, SavedSearchAlert, ServicePublication
from guidance.models.search_log import SearchStatistic
from guidance.models.weights import RecommendationWeights

# Page types of the tree, delivered by grapple's generic page fields (guidance.apps).
LANDING_PAGE_TYPES = (LandingIndexPage, AreaLandingPage, AudienceLandingPage)

__all__ = [
    "LANDING_PAGE_TYPES",
    "AreaFeaturedService",
    "AreaLandingPage",
    "AudienceCategory",
    "AudienceFeaturedService",
    "AudienceLandingPage",
    "EffectivenessFigure",
    "LandingIndexPage",
    "Measure",
    "PersonalSettings",
    "Questionnaire",
    "RecommendationFeedback",
    "RecommendationWeights",
    "RecommendedService",
    "SavedSearch",
    "SavedSearchAlert",
    "SearchStatistic",
    "ServiceFeedback",
    "ServicePublication",
    "Unit",
]

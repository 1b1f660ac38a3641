"""Guidance models, one module per part (import each part's models here)."""

from guidance.models.effectiveness import EffectivenessFigure, Measure, Unit
from guidance.models.feedback import RecommendationFeedback, RecommendedService, ServiceFeedback

__all__ = [
    "EffectivenessFigure",
    "Measure",
    "RecommendationFeedback",
    "RecommendedService",
    "ServiceFeedback",
    "Unit",
]

"""Guidance models, one module per part (import each part's models here)."""

from guidance.models.effectiveness import EffectivenessFigure, Measure, Unit
from guidance.models.feedback import RecommendationFeedback, RecommendedService, ServiceFeedback
from guidance.models.questionnaire import Questionnaire
from guidance.models.weights import RecommendationWeights

__all__ = [
    "EffectivenessFigure",
    "Measure",
    "Questionnaire",
    "RecommendationFeedback",
    "RecommendationWeights",
    "RecommendedService",
    "ServiceFeedback",
    "Unit",
]

"""Guidance models, one module per part (import each part's models here)."""

from guidance.models.questionnaire import Questionnaire
from guidance.models.weights import RecommendationWeights

__all__ = ["Questionnaire", "RecommendationWeights"]

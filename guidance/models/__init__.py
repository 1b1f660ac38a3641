"""Guidance models, one module per part (import each part's models here)."""

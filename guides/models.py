"""Guides, articles and tools ("Ohjeet ja oppaat", "Työvälineet")."""

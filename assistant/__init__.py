"""Retrieval-augmented assistant over the French territorial-cooperation corpus."""

__version__ = "0.1.0"

"""Kopdig (Koperasi Digital)."""

__version__ = "0.1.0"

"""Desk: offline editorial authoring for a small newsroom."""

__version__ = "0.1.0"

"""Clientfolio: self-hosted client project management."""

__version__ = "0.1.0"

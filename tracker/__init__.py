"""tracker: the official contact log of a liaison office."""

__version__ = "0.1.0"

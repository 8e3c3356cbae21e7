"""Community Copilot: a grounded assistant for people who run online communities."""

__version__ = "0.1.0"

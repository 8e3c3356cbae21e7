"""The suggest skill: activities ranked for a community's type, goals, health and the date."""

from copilot.skills.suggest.catalogue import CatalogueError, load_catalogue
from copilot.skills.suggest.skill import SuggestPorts, suggest_activities

__all__ = ["CatalogueError", "SuggestPorts", "load_catalogue", "suggest_activities"]

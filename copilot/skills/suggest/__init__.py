"""The suggest skill: activities ranked for a community's type, goals, health and the date."""

from pydantic import BaseModel, ConfigDict, Field

from copilot.models import CalendarDate
from copilot.skills.registry import SkillSpec
from copilot.skills.results import SuggestResult
from copilot.skills.suggest.catalogue import CatalogueError, load_catalogue
from copilot.skills.suggest.skill import SuggestPorts, suggest_activities


class ActivitiesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(default=5, ge=1, le=20)
    today: CalendarDate | None = Field(
        default=None, description="Plan from this day; default: today."
    )


SKILL = SkillSpec(
    name="suggest",
    summary="Activity ideas ranked for the community's type, goals, measured health and the date.",
    prompt="suggest",
    role="operator",
    path="activities",
    request=ActivitiesIn,
    response=SuggestResult,
)

__all__ = [
    "SKILL",
    "ActivitiesIn",
    "CatalogueError",
    "SuggestPorts",
    "load_catalogue",
    "suggest_activities",
]

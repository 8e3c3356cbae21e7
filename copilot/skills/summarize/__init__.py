"""The summarize skill: what happened in a window of group chat, offline facts plus the LLM."""

from copilot.skills.summarize.skill import SummarizePorts, summarize_messages

__all__ = ["SummarizePorts", "summarize_messages"]

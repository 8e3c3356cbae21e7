"""The answer skill: a member's question answered from the community's knowledge, or handed off."""

from copilot.skills.answer.skill import HANDOFF, AnswerPorts, answer_question

__all__ = ["HANDOFF", "AnswerPorts", "answer_question"]

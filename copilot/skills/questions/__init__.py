"""The learning loop: handed-off and unanswered questions queue up for the operators, their
answers become approved knowledge, and members rate answers (a thumbs-down reopens).

One job per module: ``grouping`` (same question in other words), ``queue`` (items and their
askings), ``knowledge`` (answering and dismissing), ``answers`` (operators' answers served
first, the answer log), ``feedback`` (ratings and corrections).
"""

from copilot.skills.questions.answers import get_answer, log_answer, operator_answer
from copilot.skills.questions.feedback import FeedbackOutcome, Rating, rate
from copilot.skills.questions.knowledge import answer_item, dismiss_item
from copilot.skills.questions.models import STATUSES, Origin, Place, QuestionItem, Status
from copilot.skills.questions.queue import get_item, list_items, merge, record, reopen

__all__ = [
    "STATUSES",
    "FeedbackOutcome",
    "Origin",
    "Place",
    "QuestionItem",
    "Rating",
    "Status",
    "answer_item",
    "dismiss_item",
    "get_answer",
    "get_item",
    "list_items",
    "log_answer",
    "merge",
    "operator_answer",
    "rate",
    "record",
    "reopen",
]

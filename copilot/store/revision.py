"""Is a database at the newest migration? Answered without importing Alembic.

Every command opens the database, and Alembic's script directory and migration context cost
~0.4 s of imports to say "yes, nothing to do". The head is read from the migration files'
``revision`` / ``down_revision`` lines and the database's from its ``alembic_version`` table;
only a database that is not at the head goes on to ``copilot.store.schema.upgrade``.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

_LINE = re.compile(
    r"^(down_revision|revision)\s*(?::[^=]*)?=\s*(?:\"([^\"]*)\"|'([^']*)'|None)", re.M
)


@cache
def head_revision() -> str | None:
    """The one migration no other migration follows (None when that is not one file)."""
    revisions: set[str] = set()
    followed: set[str] = set()
    for script in (files("copilot.store") / "migrations" / "versions").iterdir():
        if not script.name.endswith(".py"):
            continue
        for name, double, single in _LINE.findall(script.read_text(encoding="utf-8")):
            value = double or single
            if value:
                (revisions if name == "revision" else followed).add(value)
    heads = revisions - followed
    return next(iter(heads)) if len(heads) == 1 else None


def at_head(engine: Engine) -> bool:
    """Whether the database is stamped with the head revision (False also when unsure)."""
    head = head_revision()
    if head is None:
        return False
    try:
        with engine.connect() as connection:
            stored = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    except DBAPIError:  # no such table yet: a new database
        return False
    return [row[0] for row in stored] == [head]

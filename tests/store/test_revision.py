"""The fast "already at the newest migration?" check agrees with Alembic."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from copilot.store.db import Database
from copilot.store.revision import at_head, head_revision
from copilot.store.schema import head


def test_head_read_from_the_files_is_alembics_head() -> None:
    assert head_revision() == head()


def test_a_database_behind_the_head_is_still_upgraded(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'copilot.db'}"
    db = Database(url)
    assert at_head(db.engine)
    with db.engine.begin() as connection:  # an older release's database, as far as stamps go
        connection.execute(text("UPDATE alembic_version SET version_num = '0005'"))
        for table in ("answer_feedback", "answer_log", "question_askings", "questions"):
            connection.execute(text(f"DROP TABLE {table}"))  # what 0006 creates
        connection.execute(text("DROP INDEX ix_chunks_community_source_position"))  # 0007's
        connection.execute(
            text("CREATE INDEX ix_chunks_community_source ON chunks (community, source)")
        )
        connection.execute(text("ALTER TABLE messages DROP COLUMN is_bot"))  # 0008's
    db.close()
    assert not at_head(db.engine)
    reopened = Database(url)
    assert at_head(reopened.engine)
    with reopened.engine.connect() as connection:
        names = {r[0] for r in connection.execute(text("SELECT name FROM sqlite_master"))}
    assert {"question_askings", "ix_chunks_community_source_position"} <= names
    assert "ix_chunks_community_source" not in names
    with reopened.engine.connect() as connection:
        columns = {r[1] for r in connection.execute(text("PRAGMA table_info(messages)"))}
    assert "is_bot" in columns
    reopened.close()

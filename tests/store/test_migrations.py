"""The schema is built by migrations, on SQLite and PostgreSQL: a new database and one made by
release 0.1.0 (before migrations; its DDL is in release-0.1.0.*.sql, generated from that
commit) end at the same head, with the data of the old one still there and usable."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from connectors.tables import list_reviews, list_routes
from copilot.keys import KeyStore
from copilot.knowledge.catalog import list_documents
from copilot.profile import load_profile
from copilot.store.db import Database
from copilot.store.schema import current, head, metadata, migrate
from tests.postgres import PostgresServer

HERE = Path(__file__).parent
SECRET = "cc_release-010-operator-key"
ROWS = [
    (
        "INSERT INTO documents (community, source, kind, content_hash, status, chunk_count,"
        " message_count, embedder, ingested_at) VALUES ('club', 'rules.md', 'playbook', 'h1',"
        " 'complete', 1, 0, 'use-multilingual-v3', :now)"
    ),
    (
        "INSERT INTO chunks (community, id, source, kind, heading, text, tokens, position, meta)"
        " VALUES ('club', 'c1', 'rules.md', 'playbook', '规则', '分享会每周三晚上八点。',"
        " '分享 会 每周三', 0, '{}')"
    ),
    (
        "INSERT INTO api_keys (id, key_hash, community, role, name, created_at)"
        " VALUES ('k1', :hash, 'club', 'operator', 'ops', :now)"
    ),
    (
        "INSERT INTO community_profiles (community, data, updated_at)"
        ' VALUES (\'club\', \'{"name": "晨读会", "type": "learning"}\', :now)'
    ),
    (
        "INSERT INTO connector_routes (platform, chat_id, community, mode, admins, operators,"
        " capture) VALUES ('slack', 'C1', 'club', 'review', '[\"U1\"]', '[]', false)"
    ),
    (
        "INSERT INTO connector_review_queue (community, platform, chat_id, message, draft,"
        " citations, status, created_at) VALUES ('club', 'slack', 'C1', :message,"
        " '周三晚八点', '[]', 'pending', :now)"
    ),
]
MESSAGE = {
    "platform": "slack",
    "event_id": "Ev1",
    "chat_id": "C1",
    "chat_type": "group",
    "message_id": "1.1",
    "user_id": "U2",
    "text": "分享会几点？",
    "mentioned": True,
}


def make_release_database(url: str, dialect: str) -> None:
    """What release 0.1.0 left on disk: its tables (create_all) and some rows, no migrations."""
    import hashlib

    engine = create_engine(url)
    ddl = (HERE / f"release-0.1.0.{dialect}.sql").read_text(encoding="utf-8")
    with engine.begin() as connection:
        for statement in ddl.split(";"):
            if (
                statement.strip() and not statement.strip().startswith("--")
            ) or "CREATE" in statement:
                connection.execute(text(statement))
        values = {
            "now": datetime(2026, 11, 30, 8, tzinfo=UTC),
            "hash": hashlib.sha256(SECRET.encode()).hexdigest(),
            "message": json.dumps(MESSAGE),
        }
        for row in ROWS:
            connection.execute(text(row), values)
    engine.dispose()


def assert_at_head_and_like_the_models(db: Database) -> None:
    assert current(db.engine) == head()
    with db.engine.connect() as connection:
        drift = compare_metadata(MigrationContext.configure(connection), metadata)
    assert drift == [], f"models and migrations disagree (add a migration): {drift}"


def assert_release_data_survived(db: Database) -> None:
    assert [d.source for d in list_documents(db, "club")] == ["rules.md"]
    key = KeyStore(db).authenticate(SECRET)
    assert key is not None and (key.community, key.role) == ("club", "operator")
    assert load_profile(db, "club").name == "晨读会"
    (route,) = list_routes(db, "club")
    assert (route.platform, route.mode, route.admins) == ("slack", "review", ["U1"])
    (review,) = list_reviews(db, "club")
    assert review.draft == "周三晚八点" and review.inbound().text == "分享会几点？"
    KeyStore(db).create("club", "member", "after the upgrade")  # and it takes new writes


def test_the_migrations_alone_build_what_the_models_say(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'replayed.db'}")
    with engine.begin() as connection:
        migrate(connection)  # every revision from nothing, as an old database goes
    db = Database(f"sqlite:///{tmp_path / 'replayed.db'}")
    assert_at_head_and_like_the_models(db)
    db.close()


def test_a_new_sqlite_database_starts_at_the_newest_revision(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'new.db'}")
    assert_at_head_and_like_the_models(db)
    assert "alembic_version" in inspect(db.engine).get_table_names()
    Database(f"sqlite:///{tmp_path / 'new.db'}").close()  # opening again changes nothing
    db.close()


def test_processes_starting_together_on_a_new_sqlite_database_all_start(tmp_path: Path) -> None:
    """API workers and a CLI started at once on an empty data dir: one builds the schema, the
    others wait for it (without the lock some of them failed on a half-built schema)."""
    url = f"sqlite:///{tmp_path / 'copilot.db'}"
    opening = "import sys; from copilot.store.db import Database; Database(sys.argv[1]).close()"
    runs = [
        subprocess.Popen([sys.executable, "-c", opening, url], stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    errors = [run.communicate(timeout=300)[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0, 0], errors
    db = Database(url)
    assert_at_head_and_like_the_models(db)
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    db.close()


def test_a_release_sqlite_database_is_upgraded_with_its_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'release.db'}"
    make_release_database(url, "sqlite")
    db = Database(url)
    assert_at_head_and_like_the_models(db)
    assert_release_data_survived(db)
    db.close()


def test_an_older_database_missing_tables_gets_them(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'older.db'}"
    engine = create_engine(url)
    ddl = (HERE / "release-0.1.0.sqlite.sql").read_text(encoding="utf-8")
    with engine.begin() as connection:  # only the knowledge tables, as early versions had
        for statement in ddl.split(";"):
            if "documents" in statement and "CREATE TABLE" in statement:
                connection.execute(text(statement))
    engine.dispose()
    db = Database(url)
    assert_at_head_and_like_the_models(db)
    db.close()


@pytest.mark.slow
def test_postgres_new_and_release_databases_reach_the_same_head(
    postgres: PostgresServer,
) -> None:
    new = Database(postgres.database("migrations_new"))
    assert_at_head_and_like_the_models(new)
    new.close()
    replayed = create_engine(postgres.database("migrations_replayed"))
    with replayed.begin() as connection:
        migrate(connection)
    replayed.dispose()
    db = Database(str(replayed.url))
    assert_at_head_and_like_the_models(db)
    db.close()
    url = postgres.database("migrations_release")
    make_release_database(url, "postgresql")
    db = Database(url)
    assert_at_head_and_like_the_models(db)
    assert_release_data_survived(db)
    db.close()

"""Step 5: when the helpdesk first answered each ticket, and the analytics totals per campus
day, hour, status and category kept by triggers (read by ``ticket_api.rollups``), replacing
the quarter-hour resolution rollup of step 3.

An instant's campus day is found in SQL the same way on SQLite and PostgreSQL: its offset
from UTC is the last row of ``campus_offset`` starting at or before it (the zone's changes
of offset, daylight saving included), and the rest is integer arithmetic.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from peewee import Database

from kit.campus_time import utc_offsets
from ticket_api.db import is_postgres

TABLES = (
    "CREATE TABLE IF NOT EXISTS campus_offset (starts BIGINT PRIMARY KEY, "
    "utc_offset INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS campus_zone (name VARCHAR(64) NOT NULL)",
    "CREATE TABLE IF NOT EXISTS ticket_day (day INTEGER NOT NULL, category VARCHAR(16) NOT NULL, "
    "opened INTEGER NOT NULL DEFAULT 0, closed INTEGER NOT NULL DEFAULT 0, "
    "resolved INTEGER NOT NULL DEFAULT 0, resolution_seconds BIGINT NOT NULL DEFAULT 0, "
    "responded INTEGER NOT NULL DEFAULT 0, response_seconds BIGINT NOT NULL DEFAULT 0, "
    "PRIMARY KEY (day, category))",
    "CREATE TABLE IF NOT EXISTS ticket_hour (day INTEGER NOT NULL, hour INTEGER NOT NULL, "
    "opened INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (day, hour))",
    "CREATE TABLE IF NOT EXISTS ticket_tally (status VARCHAR(16) NOT NULL, "
    "category VARCHAR(16) NOT NULL, tickets BIGINT NOT NULL DEFAULT 0, "
    "PRIMARY KEY (status, category))",
)
DAY_COLUMNS = (
    "opened",
    "closed",
    "resolved",
    "resolution_seconds",
    "responded",
    "response_seconds",
)


def local_seconds(column: str) -> str:
    """SQL: an epoch-seconds column as seconds of campus wall-clock time, plus one day so
    that integer division floors on both engines for every instant from 1970 on."""
    return (
        f"({column} + (SELECT utc_offset FROM campus_offset WHERE starts <= {column} "
        f"ORDER BY starts DESC LIMIT 1) + 86400)"
    )


def campus_day(column: str) -> str:
    """SQL: the campus day number of an epoch-seconds column."""
    return f"({local_seconds(column)} / 86400 - 1)"


def campus_hour(column: str) -> str:
    """SQL: the campus hour of the day (0-23) of an epoch-seconds column (the remainder
    written out: ``%`` would be a parameter marker to the PostgreSQL driver)."""
    local = local_seconds(column)
    return f"(({local} - {local} / 86400 * 86400) / 3600)"


def _upsert(table: str, keys: tuple[str, ...], values: dict[str, str], where: str = "") -> str:
    counters = [name for name in values if name not in keys]
    sets = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in counters)
    return (
        f"INSERT INTO {table} ({', '.join(values)}) SELECT {', '.join(values.values())} "
        f"WHERE {where or '1 = 1'} ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {sets}"
    )


def apply_statements(row: str, sign: int) -> list[str]:
    """SQL adding (sign 1) or removing (sign -1) one ticket row (``NEW`` or ``OLD``) to or
    from every total; the same text runs in SQLite triggers and PostgreSQL functions."""
    s, r = sign, row
    closed = f"{r}.closed_at IS NOT NULL"
    answered = f"{r}.first_response_at IS NOT NULL"
    return [
        _upsert(
            "ticket_day",
            ("day", "category"),
            {
                "day": campus_day(f"{r}.opened_at"),
                "category": f"{r}.category",
                "opened": str(s),
                "resolved": f"CASE WHEN {closed} THEN {s} ELSE 0 END",
                "resolution_seconds": f"{s} * COALESCE({r}.closed_at - {r}.opened_at, 0)",
                "responded": f"CASE WHEN {answered} THEN {s} ELSE 0 END",
                "response_seconds": f"{s} * COALESCE({r}.first_response_at - {r}.opened_at, 0)",
            },
        ),
        _upsert(
            "ticket_day",
            ("day", "category"),
            {"day": campus_day(f"{r}.closed_at"), "category": f"{r}.category", "closed": str(s)},
            where=closed,
        ),
        _upsert(
            "ticket_hour",
            ("day", "hour"),
            {
                "day": campus_day(f"{r}.opened_at"),
                "hour": campus_hour(f"{r}.opened_at"),
                "opened": str(s),
            },
        ),
        _upsert(
            "ticket_tally",
            ("status", "category"),
            {"status": f"{r}.status", "category": f"{r}.category", "tickets": str(s)},
        ),
    ]


#: Columns whose change moves a ticket between totals.
WATCHED = ("status", "category", "opened_at", "closed_at", "first_response_at")
FIRST_RESPONSE = (
    "UPDATE ticket SET first_response_at = NEW.created_at "
    "WHERE id = NEW.ticket_id AND first_response_at IS NULL"
)


def _sqlite_triggers() -> dict[str, str]:
    def body(statements: list[str]) -> str:
        return " BEGIN " + "; ".join(statements) + "; END"

    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in WATCHED)
    return {
        "ticket_rollup_insert": "CREATE TRIGGER IF NOT EXISTS ticket_rollup_insert "
        "AFTER INSERT ON ticket" + body(apply_statements("NEW", 1)),
        "ticket_rollup_delete": "CREATE TRIGGER IF NOT EXISTS ticket_rollup_delete "
        "AFTER DELETE ON ticket" + body(apply_statements("OLD", -1)),
        "ticket_rollup_update": f"CREATE TRIGGER IF NOT EXISTS ticket_rollup_update "
        f"AFTER UPDATE OF {', '.join(WATCHED)} ON ticket WHEN {changed}"
        + body(apply_statements("OLD", -1) + apply_statements("NEW", 1)),
        "message_first_response": "CREATE TRIGGER IF NOT EXISTS message_first_response "
        "AFTER INSERT ON message WHEN NEW.author_role = 'helpdesk'" + body([FIRST_RESPONSE]),
    }


def _postgres_statements() -> list[str]:
    def block(statements: list[str]) -> str:
        return "; ".join(statements) + ";"

    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in WATCHED)
    return [
        f"""CREATE OR REPLACE FUNCTION ticket_rollup_apply() RETURNS trigger AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN {block(apply_statements("OLD", -1))} END IF;
            IF TG_OP IN ('UPDATE', 'INSERT') THEN {block(apply_statements("NEW", 1))} END IF;
            RETURN NULL;
        END $$ LANGUAGE plpgsql""",
        f"""CREATE OR REPLACE FUNCTION message_first_response() RETURNS trigger AS $$
        BEGIN {FIRST_RESPONSE}; RETURN NULL; END $$ LANGUAGE plpgsql""",
        "DROP TRIGGER IF EXISTS ticket_rollup_change ON ticket",
        "DROP TRIGGER IF EXISTS ticket_rollup_update ON ticket",
        "DROP TRIGGER IF EXISTS message_first_response ON message",
        "CREATE TRIGGER ticket_rollup_change AFTER INSERT OR DELETE ON ticket "
        "FOR EACH ROW EXECUTE FUNCTION ticket_rollup_apply()",
        f"CREATE TRIGGER ticket_rollup_update AFTER UPDATE OF {', '.join(WATCHED)} ON ticket "
        f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION ticket_rollup_apply()",
        "CREATE TRIGGER message_first_response AFTER INSERT ON message FOR EACH ROW "
        "WHEN (NEW.author_role = 'helpdesk') EXECUTE FUNCTION message_first_response()",
    ]


def create_triggers(db: Database) -> None:
    """Install the triggers that keep every total (idempotent)."""
    if is_postgres(db):
        for statement in _postgres_statements():
            db.execute_sql(statement)
        return
    for statement in _sqlite_triggers().values():
        db.execute_sql(statement)


def drop_triggers(db: Database) -> None:
    """Remove the triggers (bulk loads rebuild the totals at once instead)."""
    if is_postgres(db):
        db.execute_sql("DROP TRIGGER IF EXISTS ticket_rollup_change ON ticket")
        db.execute_sql("DROP TRIGGER IF EXISTS ticket_rollup_update ON ticket")
        db.execute_sql("DROP TRIGGER IF EXISTS message_first_response ON message")
        return
    for name in _sqlite_triggers():
        db.execute_sql(f"DROP TRIGGER IF EXISTS {name}")


def fill_offsets(db: Database, zone: ZoneInfo) -> None:
    """Store the zone's offsets from UTC and its name."""
    db.execute_sql("DELETE FROM campus_offset")
    rows = utc_offsets(zone)
    p = db.param
    db.cursor().executemany(
        f"INSERT INTO campus_offset (starts, utc_offset) VALUES ({p}, {p})", rows
    )
    db.execute_sql("DELETE FROM campus_zone")
    db.execute_sql(f"INSERT INTO campus_zone (name) VALUES ({p})", (zone.key,))


def expected_totals_sql() -> dict[str, str]:
    """SQL computing every total from the raw ticket rows (rebuild and check)."""
    opened_day = campus_day("opened_at")
    return {
        "ticket_day_opened": (
            f"SELECT {opened_day} AS d, category, COUNT(*), "
            "SUM(CASE WHEN closed_at IS NULL THEN 0 ELSE 1 END), "
            "SUM(COALESCE(closed_at - opened_at, 0)), "
            "SUM(CASE WHEN first_response_at IS NULL THEN 0 ELSE 1 END), "
            "SUM(COALESCE(first_response_at - opened_at, 0)) "
            "FROM ticket GROUP BY 1, 2"
        ),
        "ticket_day_closed": (
            f"SELECT {campus_day('closed_at')} AS d, category, COUNT(*) FROM ticket "
            "WHERE closed_at IS NOT NULL GROUP BY 1, 2"
        ),
        "ticket_hour": (
            f"SELECT {opened_day} AS d, {campus_hour('opened_at')} AS h, COUNT(*) "
            "FROM ticket GROUP BY 1, 2"
        ),
        "ticket_tally": "SELECT status, category, COUNT(*) FROM ticket GROUP BY 1, 2",
    }


def rebuild(db: Database) -> None:
    """Recompute every total from the tickets (inside the caller's write transaction)."""
    for table in ("ticket_day", "ticket_hour", "ticket_tally"):
        db.execute_sql(f"DELETE FROM {table}")
    sql = expected_totals_sql()
    db.execute_sql(
        "INSERT INTO ticket_day (day, category, opened, resolved, resolution_seconds, "
        f"responded, response_seconds) {sql['ticket_day_opened']}"
    )
    db.execute_sql(
        f"INSERT INTO ticket_day (day, category, closed) SELECT * FROM "
        f"({sql['ticket_day_closed']}) AS closed_days WHERE 1 = 1 "
        "ON CONFLICT (day, category) DO UPDATE SET closed = excluded.closed"
    )
    db.execute_sql(f"INSERT INTO ticket_hour (day, hour, opened) {sql['ticket_hour']}")
    db.execute_sql(f"INSERT INTO ticket_tally (status, category, tickets) {sql['ticket_tally']}")


def apply(db: Database, postgres: bool) -> None:
    """When the helpdesk first answered each ticket; analytics totals per campus day, hour,
    status and category, kept by triggers (see rollups.py), replacing the quarter-hour
    resolution rollup; counted in UTC until :func:`migrate` is given the campus zone."""
    if "first_response_at" not in {c.name for c in db.get_columns("ticket")}:
        db.execute_sql("ALTER TABLE ticket ADD COLUMN first_response_at BIGINT")
    db.execute_sql(
        "UPDATE ticket SET first_response_at = (SELECT MIN(created_at) FROM message "
        "WHERE message.ticket_id = ticket.id AND message.author_role = 'helpdesk') "
        "WHERE first_response_at IS NULL"
    )
    if postgres:
        db.execute_sql("DROP TRIGGER IF EXISTS resolution_rollup_change ON ticket")
        db.execute_sql("DROP FUNCTION IF EXISTS resolution_rollup_apply()")
    else:
        for name in ("insert", "close", "delete"):
            db.execute_sql(f"DROP TRIGGER IF EXISTS resolution_rollup_{name}")
    db.execute_sql("DROP TABLE IF EXISTS resolution_rollup")
    for statement in TABLES:
        db.execute_sql(statement)
    if db.execute_sql("SELECT name FROM campus_zone").fetchone() is None:
        fill_offsets(db, ZoneInfo("UTC"))
    rebuild(db)
    create_triggers(db)

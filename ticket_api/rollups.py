"""Analytics totals kept in the same transaction as every write, by database triggers.

Per campus day and category (``ticket_day``): tickets opened that day, tickets closed that
day, and of the tickets opened that day how many are closed (with their summed resolution
seconds) and how many have had a first helpdesk answer (with the summed waiting seconds).
Per campus day and hour (``ticket_hour``): tickets opened. Per status and category
(``ticket_tally``): tickets. Per campus day of closing, category and number of stars
(``rating_day``): the ratings of the tickets. Every analysis reads these small tables, so its
cost follows the days it covers, not the tickets ever filed.

An instant's campus day is found in SQL the same way on SQLite and PostgreSQL: its offset
from UTC is the last row of ``campus_offset`` starting at or before it (the zone's changes
of offset, daylight saving included), and the rest is integer arithmetic. When the campus
time zone changes, :func:`sync_zone` refills ``campus_offset`` and rebuilds every total.
"""

from __future__ import annotations

from contextlib import contextmanager
from zoneinfo import ZoneInfo

from peewee import Database

# The current definitions of the totals are step 5's, and of the rating totals step 14's.
from ticket_api.schema import step_5_analytics_totals as tickets
from ticket_api.schema import step_14_rating_totals as ratings
from ticket_api.schema.step_5_analytics_totals import (  # noqa: F401 - the module's interface
    DAY_COLUMNS,
    TABLES,
    campus_day,
    campus_hour,
    expected_totals_sql,
    fill_offsets,
)


def _rated(db: Database) -> bool:
    """Whether the database has the rating totals (schema step 14) yet."""
    return "rating_day" in db.get_tables()


def create_triggers(db: Database) -> None:
    """Install every trigger that keeps the totals (idempotent)."""
    tickets.create_triggers(db)
    if _rated(db):
        ratings.create_triggers(db)


def drop_triggers(db: Database) -> None:
    """Remove the triggers of the totals (bulk loads recount at once instead)."""
    tickets.drop_triggers(db)
    if _rated(db):
        ratings.drop_triggers(db)


def rebuild(db: Database) -> None:
    """Recount every total, the rating totals included (in the caller's write transaction)."""
    tickets.rebuild(db)
    if _rated(db):
        ratings.rebuild(db)


def check(db: Database) -> list[str]:
    """Every difference between the stored totals and the raw tables, in words; empty when
    they agree."""
    sql = expected_totals_sql()
    problems: list[str] = []

    def compare(name: str, expected: dict, stored: dict) -> None:
        for key in sorted(set(expected) | set(stored), key=str):
            want = expected.get(key)
            got = stored.get(key)
            if want is None and got is not None and not any(got):
                continue  # a row whose counts all went back to zero
            if want != got:
                problems.append(f"{name} {key}: stored {got}, tickets say {want}")

    def rows(query: str, width: int) -> dict:
        return {
            tuple(r[:width]): tuple(int(v) for v in r[width:])
            for r in db.execute_sql(query).fetchall()
        }

    opened = rows(sql["ticket_day_opened"], 2)
    closed = rows(sql["ticket_day_closed"], 2)
    expected_day = {}
    for key in set(opened) | set(closed):
        o = opened.get(key, (0, 0, 0, 0, 0))
        expected_day[key] = (o[0], closed.get(key, (0,))[0], *o[1:])
    stored_day = rows(f"SELECT day, category, {', '.join(DAY_COLUMNS)} FROM ticket_day", 2)
    compare("ticket_day", expected_day, stored_day)
    compare(
        "ticket_hour",
        rows(sql["ticket_hour"], 2),
        rows("SELECT day, hour, opened FROM ticket_hour", 2),
    )
    compare(
        "ticket_tally",
        rows(sql["ticket_tally"], 2),
        rows("SELECT status, category, tickets FROM ticket_tally", 2),
    )
    if _rated(db):
        compare(
            "rating_day",
            rows(ratings.EXPECTED, 3),
            rows("SELECT day, category, stars, ratings FROM rating_day", 3),
        )
    return problems


def stored_zone(db: Database) -> str | None:
    """The time zone the totals are counted in."""
    row = db.execute_sql("SELECT name FROM campus_zone").fetchone()
    return row[0] if row else None


def sync_zone(db: Database, zone: ZoneInfo) -> bool:
    """Count the totals in ``zone``: when it differs from the stored one, refill the
    offsets and rebuild (inside the caller's write transaction). True when it rebuilt."""
    if stored_zone(db) == zone.key:
        return False
    fill_offsets(db, zone)
    rebuild(db)
    return True


@contextmanager
def bulk_loading(db: Database):
    """For bulk inserts inside one write transaction: per-row totals cost more than one
    rebuild, so suspend the triggers and rebuild once at the end."""
    drop_triggers(db)
    try:
        yield
        rebuild(db)
    finally:
        create_triggers(db)

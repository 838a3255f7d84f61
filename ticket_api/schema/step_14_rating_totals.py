"""Step 14: the ratings counted per campus day of closing, category and number of stars,
kept by triggers in the same transaction as every rating and every deletion of a ticket, so
that satisfaction by month costs what the days it covers cost, as every other analysis does
(step 5), not the ratings ever given.

A ticket is rated once it is closed, and a closed ticket changes no more: its day of closing
and its category are those of the rating for good. A rating leaves only with its ticket; the
trigger that takes it out of the totals runs before the ticket is deleted, while both rows
still exist.
"""

from __future__ import annotations

from peewee import Database

from ticket_api.db import is_postgres
from ticket_api.schema.step_5_analytics_totals import campus_day

TABLE = (
    "CREATE TABLE IF NOT EXISTS rating_day (day INTEGER NOT NULL, category VARCHAR(16) NOT NULL, "
    "stars SMALLINT NOT NULL, ratings INTEGER NOT NULL DEFAULT 0, "
    "PRIMARY KEY (day, category, stars))"
)
ADD = (
    "INSERT INTO rating_day (day, category, stars, ratings) "
    f"SELECT {campus_day('t.closed_at')}, t.category, NEW.stars, 1 FROM ticket t "
    "WHERE t.id = NEW.ticket_id AND t.closed_at IS NOT NULL "
    "ON CONFLICT (day, category, stars) DO UPDATE SET ratings = rating_day.ratings + 1"
)
REMOVE = (
    "UPDATE rating_day SET ratings = ratings - 1 "
    f"WHERE day = {campus_day('OLD.closed_at')} AND category = OLD.category "
    "AND stars = (SELECT stars FROM rating WHERE ticket_id = OLD.id)"
)
EXPECTED = (
    f"SELECT {campus_day('t.closed_at')} AS d, t.category, r.stars, COUNT(*) "
    "FROM rating r JOIN ticket t ON t.id = r.ticket_id WHERE t.closed_at IS NOT NULL "
    "GROUP BY 1, 2, 3"
)


def create_triggers(db: Database) -> None:
    """Install the triggers that keep the rating totals (idempotent)."""
    if is_postgres(db):
        for statement in (
            "CREATE OR REPLACE FUNCTION rating_day_add() RETURNS trigger AS $$ "
            f"BEGIN {ADD}; RETURN NULL; END $$ LANGUAGE plpgsql",
            "CREATE OR REPLACE FUNCTION rating_day_remove() RETURNS trigger AS $$ "
            f"BEGIN {REMOVE}; RETURN OLD; END $$ LANGUAGE plpgsql",
            "DROP TRIGGER IF EXISTS rating_day_add ON rating",
            "DROP TRIGGER IF EXISTS rating_day_remove ON ticket",
            "CREATE TRIGGER rating_day_add AFTER INSERT ON rating FOR EACH ROW "
            "EXECUTE FUNCTION rating_day_add()",
            "CREATE TRIGGER rating_day_remove BEFORE DELETE ON ticket FOR EACH ROW "
            "EXECUTE FUNCTION rating_day_remove()",
        ):
            db.execute_sql(statement)
        return
    db.execute_sql(
        f"CREATE TRIGGER IF NOT EXISTS rating_day_add AFTER INSERT ON rating BEGIN {ADD}; END"
    )
    db.execute_sql(
        "CREATE TRIGGER IF NOT EXISTS rating_day_remove BEFORE DELETE ON ticket "
        f"BEGIN {REMOVE}; END"
    )


def drop_triggers(db: Database) -> None:
    """Remove the triggers (bulk loads recount the totals at once instead)."""
    if is_postgres(db):
        db.execute_sql("DROP TRIGGER IF EXISTS rating_day_add ON rating")
        db.execute_sql("DROP TRIGGER IF EXISTS rating_day_remove ON ticket")
        return
    db.execute_sql("DROP TRIGGER IF EXISTS rating_day_add")
    db.execute_sql("DROP TRIGGER IF EXISTS rating_day_remove")


def rebuild(db: Database) -> None:
    """Recount the rating totals from the ratings (inside the caller's write transaction)."""
    db.execute_sql("DELETE FROM rating_day")
    db.execute_sql(f"INSERT INTO rating_day (day, category, stars, ratings) {EXPECTED}")


def apply(db: Database, postgres: bool) -> None:
    """The rating totals, counted from the ratings given so far, and their triggers."""
    db.execute_sql(TABLE)
    rebuild(db)
    create_triggers(db)

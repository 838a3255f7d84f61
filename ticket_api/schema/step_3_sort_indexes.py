"""Step 3: indexes for every sortable grid column, and closed-ticket totals per quarter hour
of opening kept by triggers (dropped again by step 5)."""

from __future__ import annotations

from peewee import Database

BUCKET_SECONDS = 900  # every time zone offset in use is a whole number of quarter hours

SQLITE_ROLLUP_TRIGGERS = (
    """CREATE TRIGGER IF NOT EXISTS resolution_rollup_insert AFTER INSERT ON ticket
    WHEN NEW.status = 'closed' BEGIN
        INSERT INTO resolution_rollup (bucket, tickets, seconds)
        VALUES (NEW.opened_at / 900, 1, NEW.closed_at - NEW.opened_at)
        ON CONFLICT (bucket) DO UPDATE SET tickets = tickets + 1,
            seconds = seconds + excluded.seconds;
    END""",
    """CREATE TRIGGER IF NOT EXISTS resolution_rollup_close AFTER UPDATE OF status ON ticket
    WHEN NEW.status = 'closed' AND OLD.status != 'closed' BEGIN
        INSERT INTO resolution_rollup (bucket, tickets, seconds)
        VALUES (NEW.opened_at / 900, 1, NEW.closed_at - NEW.opened_at)
        ON CONFLICT (bucket) DO UPDATE SET tickets = tickets + 1,
            seconds = seconds + excluded.seconds;
    END""",
    """CREATE TRIGGER IF NOT EXISTS resolution_rollup_delete AFTER DELETE ON ticket
    WHEN OLD.status = 'closed' BEGIN
        UPDATE resolution_rollup SET tickets = tickets - 1,
            seconds = seconds - (OLD.closed_at - OLD.opened_at)
        WHERE bucket = OLD.opened_at / 900;
    END""",
)
POSTGRES_ROLLUP_TRIGGER = (
    """CREATE OR REPLACE FUNCTION resolution_rollup_apply() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            IF OLD.status = 'closed' THEN
                UPDATE resolution_rollup SET tickets = tickets - 1,
                    seconds = seconds - (OLD.closed_at - OLD.opened_at)
                WHERE bucket = OLD.opened_at / 900;
            END IF;
            RETURN OLD;
        END IF;
        IF NEW.status = 'closed' AND (TG_OP = 'INSERT' OR OLD.status != 'closed') THEN
            INSERT INTO resolution_rollup (bucket, tickets, seconds)
            VALUES (NEW.opened_at / 900, 1, NEW.closed_at - NEW.opened_at)
            ON CONFLICT (bucket) DO UPDATE SET tickets = resolution_rollup.tickets + 1,
                seconds = resolution_rollup.seconds + excluded.seconds;
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS resolution_rollup_change ON ticket",
    """CREATE TRIGGER resolution_rollup_change AFTER INSERT OR DELETE OR UPDATE OF status
    ON ticket FOR EACH ROW EXECUTE FUNCTION resolution_rollup_apply()""",
)


def apply(db: Database, postgres: bool) -> None:
    """Indexes for every sortable grid column, and closed-ticket totals per quarter hour of
    opening, kept by triggers, so monthly resolution times cost the same at any history size."""
    for name, columns in (
        ("title", "title, id"),
        ("status_id", "status, id"),
        ("category_id", "category, id"),
        ("closed_at", "closed_at"),
    ):
        db.execute_sql(f"CREATE INDEX IF NOT EXISTS ticket_{name} ON ticket ({columns})")
    db.execute_sql(
        "CREATE TABLE IF NOT EXISTS resolution_rollup (bucket BIGINT PRIMARY KEY, "
        "tickets BIGINT NOT NULL, seconds BIGINT NOT NULL)"
    )
    for statement in POSTGRES_ROLLUP_TRIGGER if postgres else SQLITE_ROLLUP_TRIGGERS:
        db.execute_sql(statement)
    db.execute_sql("DELETE FROM resolution_rollup")
    db.execute_sql(
        f"INSERT INTO resolution_rollup (bucket, tickets, seconds) "
        f"SELECT opened_at / {BUCKET_SECONDS}, COUNT(*), SUM(closed_at - opened_at) "
        f"FROM ticket WHERE status = 'closed' GROUP BY opened_at / {BUCKET_SECONDS}"
    )

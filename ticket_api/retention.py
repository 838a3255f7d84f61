"""Privacy by default: the personal data of tickets closed long ago is erased.

``CAMPUSDESK_RETENTION_MONTHS`` after a ticket was closed, it loses what identifies people:
the e-mail addresses of its subscribers (their rows, with their links and notices), the
reporter's name, the names simple users signed its messages and changes with, and its photos
(rows and files: a photo may show people, a face, a badge, a car's plate). What the
ticket was about, when, and how it went stay: every count and analysis is the same after
(the analytics totals read none of these columns; tests/api/test_retention.py checks).
"""

from __future__ import annotations

import calendar
from datetime import datetime
from pathlib import Path

from ticket_api import photos
from ticket_api.db import database, write_transaction
from ticket_api.timefields import to_epoch, utcnow


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` calendar months earlier (the month's last day when
    it is shorter: 31 March minus one month is 28 or 29 February)."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    month += 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def apply(months: int, now: datetime | None = None, data_dir: Path | None = None) -> dict:
    """Erase the personal data of the tickets closed more than ``months`` months before
    ``now``; what was erased. ``months`` 0 keeps everything. The photo files are removed
    from ``data_dir`` (the rows go in any case)."""
    cutoff = months_before(now or utcnow(), months)
    done = {"cutoff": cutoff, "tickets": 0, "emails": 0, "notices": 0, "names": 0, "photos": 0}
    if months <= 0:
        return done
    p = database.param
    old = f"SELECT id FROM ticket WHERE status = 'closed' AND closed_at < {p}"
    limit = [to_epoch(cutoff)]

    def run(sql: str) -> int:
        return database.execute_sql(sql, limit).rowcount

    with write_transaction():
        files = photos.files_of_tickets(old, limit)
        done["photos"] = run(f"DELETE FROM photo WHERE ticket_id IN ({old})")
        run(f"UPDATE ticket SET photos = 0 WHERE id IN ({old}) AND photos <> 0")
        done["notices"] = run(f"DELETE FROM outbox WHERE ticket_id IN ({old})")
        done["emails"] = run(f"DELETE FROM subscriber WHERE ticket_id IN ({old})")
        done["tickets"] = run(
            f"UPDATE ticket SET reporter_name = NULL WHERE id IN ({old}) "
            "AND reporter_name IS NOT NULL"
        )
        done["names"] = (
            done["tickets"]
            + run(
                "UPDATE message SET author_name = NULL WHERE author_role = 'user' "
                f"AND author_name IS NOT NULL AND ticket_id IN ({old})"
            )
            + run(
                "UPDATE ticket_change SET name = NULL WHERE role = 'user' "
                f"AND name IS NOT NULL AND ticket_id IN ({old})"
            )
        )
    if data_dir is not None:
        photos.remove_files(data_dir, files)
    return done


def summary(done: dict, months: int) -> str:
    """What ``campusdesk retention apply`` prints."""
    if months <= 0:
        return "CAMPUSDESK_RETENTION_MONTHS is 0: personal data is kept; nothing erased."
    return (
        f"Erased the personal data of tickets closed before {done['cutoff']:%Y-%m-%d %H:%M} UTC "
        f"({months} months ago): {done['emails']} e-mail addresses with {done['notices']} "
        f"notices, {done['names']} names (reporters of {done['tickets']} tickets, and "
        f"simple users in messages and history), {done['photos']} photos."
    )

"""Times stored as integer epoch seconds (UTC), handed to Python as aware datetimes."""

from __future__ import annotations

from datetime import datetime, timezone

from peewee import BigIntegerField


def utcnow() -> datetime:
    """The current moment, to the second, in UTC."""
    return datetime.now(timezone.utc).replace(microsecond=0)


def to_epoch(value: datetime) -> int:
    """Epoch seconds of an aware datetime; a naive one is taken as UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return int(value.timestamp() // 1)


def from_epoch(value: int) -> datetime:
    """The aware UTC datetime of epoch seconds."""
    return datetime.fromtimestamp(value, timezone.utc)


def iso(value: datetime | None) -> str | None:
    """ISO 8601 with an explicit offset, or None."""
    return None if value is None else value.isoformat()


class UtcTimestampField(BigIntegerField):
    """An instant kept as integer seconds: compact, fast to index, and comparable in SQL
    the same way on SQLite and PostgreSQL (differences are plain subtraction)."""

    def db_value(self, value):
        if value is None:
            return None
        if isinstance(value, datetime):
            return to_epoch(value)
        return int(value)

    def python_value(self, value):
        return None if value is None else from_epoch(value)

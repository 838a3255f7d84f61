"""Realistic demo data: tickets from the labelled corpus, spread over past months, with
status changes, resolution times, messages, history and ratings, written in bulk."""

from __future__ import annotations

import functools
import math
import random
import re
from dataclasses import dataclass, field
from datetime import timedelta

from peewee import Database
from tqdm import tqdm

from ticket_api import rollups
from ticket_api.classifier import load_corpus
from ticket_api.db import SQLITE_PRAGMAS, is_postgres, write_transaction
from ticket_api.search import bulk_search_indexing, derived_columns
from ticket_api.serialize import TICKET_FIELDS
from ticket_api.timefields import to_epoch, utcnow

LOCATIONS = (
    "Building A, room 1.12",
    "Building B, 2nd floor",
    "Aula Magna",
    "Library, reading room",
    "Canteen",
    "Edificio 11, aula S.0.3",
    "Lab DEIB 3",
    "Sports centre",
    "Residence Galileo",
    "Building C, room 105",
    "Main entrance",
    "Parking lot north",
    "Student office",
    "Aula 3",
    "Room B2.14",
    "Cafeteria, ground floor",
    "Shuttle stop, Via Golgi",
)
NAMES = (
    "Anna",
    "Luca",
    "Giulia",
    "Marco",
    "Sofia",
    "Ahmed",
    "Chen Wei",
    "Priya",
    "Jonas",
    "Elena",
    "Matteo",
    "Fatima",
    "Lorenzo",
    "Chiara",
    "Diego",
    "Hannah",
    "Yuki",
)
USER_MESSAGES = (
    "Any news on this?",
    "It is still happening today.",
    "Thanks for looking into it!",
    "Ci sono aggiornamenti?",
    "I can show you where it is if needed.",
    "It got worse this morning.",
    "Grazie mille!",
    "Same problem again, please check.",
    "I'm available until 5 pm in the room.",
    "Perfect, it works now. Thank you!",
)
HELPDESK_MESSAGES = (
    "Thanks for reporting, we are on it.",
    "A technician will come by today.",
    "Could you tell us the exact room number?",
    "We have forwarded this to the team in charge.",
    "Fixed this morning; please tell us if it happens again.",
    "Abbiamo preso in carico la segnalazione.",
    "We are waiting for a spare part.",
    "Could you send the exact error message you see?",
    "This should be solved now.",
)
RATING_COMMENTS = {
    1: ("Nobody told me anything for days.", "Closed, but the problem is still there."),
    2: ("It took far too long.", "Fixed in the end, after I asked three times."),
    3: ("Solved, eventually.", None),
    4: ("Thanks, it works now.", None, "Quick enough."),
    5: ("Fixed the same day, great!", "Grazie, tutto risolto.", None, None),
}
RATED_SHARE = 0.3  # of the closed tickets, those whose reporter rated the outcome
# Median hours from opening to closing, by category (IT is quickest, building work slowest).
MEDIAN_HOURS = {"it": 10.0, "services": 26.0, "facility": 44.0}

TICKET_COLUMNS = (*TICKET_FIELDS, "search_text", "title_key")
MESSAGE_COLUMNS = ("ticket_id", "body", "author_role", "author_name", "created_at")
CHANGE_COLUMNS = ("ticket_id", "at", "role", "name", "field", "old_value", "new_value")
RATING_COLUMNS = ("ticket_id", "stars", "comment", "rated_at")


@dataclass
class Batch:
    tickets: list = field(default_factory=list)
    messages: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    ratings: list = field(default_factory=list)


def title_of(text: str) -> str:
    """A ticket title from a report's text: its first sentence, cut at a word under 70."""
    first = re.split(r"(?<=[.!?])\s|\n", text.strip(), maxsplit=1)[0].strip(" .!?")
    if len(first) < 20:  # a greeting or a fragment ("Hi.", "Good morning!"): take more of it
        first = " ".join(text.split()).strip(" .!?")
    if len(first) > 70:
        first = first[:70].rsplit(" ", 1)[0] + "…"
    first = first[:1].upper() + first[1:]
    return first if len(first) >= 3 else "Problem report"


@functools.lru_cache(maxsize=None)
def _derived(title: str, description: str, location: str | None) -> tuple:
    """The folded columns of a demo ticket; the texts repeat, so each is folded once."""
    return tuple(derived_columns(title, description, location).values())


def _pool(classifier) -> list[tuple[str, str, str, float]]:
    """(title, description, category, confidence) for every corpus text, classified once."""
    examples = load_corpus()
    predictions = classifier.classify_many([f"{title_of(e.text)}\n{e.text}" for e in examples])
    return [
        (title_of(e.text), e.text, p.category, round(p.confidence, 4))
        for e, p in zip(examples, predictions)
    ]


def _rating(rater: random.Random, ticket_id: int, hours: float, closed: int, now: int):
    """How a reporter rated a ticket closed after ``hours``: the quicker, the happier."""
    mean = 5.0 - 0.6 * math.log10(max(hours, 1.0))
    stars = min(5, max(1, round(rater.gauss(mean, 1.1))))
    rated_at = min(now, closed + int(rater.expovariate(1 / 86400)))
    return (ticket_id, stars, rater.choice(RATING_COMMENTS[stars]), rated_at)


def _ticket(
    rng: random.Random,
    ticket_id: int,
    opened: int,
    pool,
    now: int,
    batch: Batch,
    rater: random.Random,
) -> None:
    title, description, category, confidence = rng.choice(pool)
    name = rng.choice(NAMES) if rng.random() < 0.6 else None
    resolve = int(3600 * MEDIAN_HOURS[category] * math.exp(rng.gauss(0, 1.0)))
    if rng.random() < 0.05:  # waiting for a spare part, a contractor, another office
        resolve *= rng.randint(10, 40)
    activated = opened + int(resolve * rng.uniform(0.05, 0.4))
    closed = opened + resolve
    forgotten = rng.random() < 0.01
    events = [
        (opened, "status", None, "open", "user", name),
        (opened, "category", None, category, "user", name),
    ]
    status, closed_at = "open", None
    if activated <= now and not forgotten:
        status = "active"
        events.append((activated, "status", "open", "active", "helpdesk", None))
    if closed <= now and status == "active":
        status, closed_at = "closed", closed
        events.append((closed, "status", "active", "closed", "helpdesk", None))
        if rater.random() < RATED_SHARE:
            batch.ratings.append(_rating(rater, ticket_id, resolve / 3600, closed, now))
    last = closed_at or now
    messages = []
    for n in range(rng.choice((0, 0, 1, 1, 2, 2, 3, 4))):
        role = "user" if n % 2 == 0 else "helpdesk"
        body = rng.choice(USER_MESSAGES if role == "user" else HELPDESK_MESSAGES)
        messages.append(
            (
                ticket_id,
                body,
                role,
                name if role == "user" else None,
                rng.randint(opened, max(opened, last)),
            )
        )
    messages.sort(key=lambda m: m[4])
    batch.messages.extend(messages)
    answers = [m[4] for m in messages if m[2] == "helpdesk"]
    modified = max([e[0] for e in events] + [m[4] for m in messages])
    location = rng.choice(LOCATIONS) if rng.random() < 0.7 else None
    batch.tickets.append(
        (
            ticket_id,
            title,
            description,
            location,
            name,
            status,
            category,
            confidence,
            "auto",
            opened,
            modified,
            closed_at,
            1 + len(events) - 2,
            min(answers) if answers else None,
            *_derived(title, description, location),
        )
    )
    batch.changes.extend(
        (ticket_id, at, role, who, fld, old, new) for at, fld, old, new, role, who in events
    )


def _insert(db: Database, table: str, columns: tuple[str, ...], rows: list) -> None:
    if not rows:
        return
    names = ", ".join(columns)
    cursor = db.cursor()
    if is_postgres(db):
        from psycopg2.extras import execute_values

        execute_values(cursor, f"INSERT INTO {table} ({names}) VALUES %s", rows, page_size=2000)
    else:
        marks = ", ".join("?" for _ in columns)
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def seed(
    db: Database,
    classifier,
    tickets: int,
    months: int = 18,
    rng_seed: int | None = None,
    progress: bool = True,
) -> dict:
    """Add ``tickets`` demo tickets; returns how many tickets, messages, changes and
    ratings."""
    rng = random.Random(rng_seed)
    # the ratings draw from their own generator: the tickets of a seed stay the same
    rater = random.Random(None if rng_seed is None else f"{rng_seed}-ratings")
    pool = _pool(classifier)
    if not is_postgres(db):
        # One transaction writes every row; a page cache that holds it keeps the pages from
        # spilling into the WAL again and again (about 3x faster at a million tickets).
        db.execute_sql("PRAGMA cache_size = -2000000")
    try:
        return _seed_rows(db, (rng, rater), pool, tickets, months, progress)
    finally:
        if not is_postgres(db):
            db.execute_sql(f"PRAGMA cache_size = {SQLITE_PRAGMAS['cache_size']}")


def _seed_rows(db: Database, rngs: tuple, pool, tickets: int, months: int, progress: bool) -> dict:
    """Write the tickets, messages, history and ratings in one transaction; returns the
    counts."""
    rng, rater = rngs
    now = to_epoch(utcnow())
    span = int(timedelta(days=30.44 * months).total_seconds())
    start = (db.execute_sql("SELECT MAX(id) FROM ticket").fetchone()[0] or 0) + 1
    totals = {"tickets": 0, "messages": 0, "changes": 0, "ratings": 0}
    # Density grows towards now (a campus files more tickets as the service becomes known).
    # Ids follow the order of opening, as they do when people report.
    openings = sorted(now - int(span * rng.random() ** 1.25) for _ in range(tickets))
    chunk = 5000
    with (
        tqdm(total=tickets, unit="ticket", disable=not progress, desc="seeding") as bar,
        write_transaction(),
        bulk_search_indexing(db) as index_for_search,
        rollups.bulk_loading(db),
    ):
        for first in range(start, start + tickets, chunk):
            batch = Batch()
            for ticket_id in range(first, min(first + chunk, start + tickets)):
                opened = openings[ticket_id - start]
                _ticket(rng, ticket_id, opened, pool, now, batch, rater)
            _insert(db, "ticket", TICKET_COLUMNS, batch.tickets)
            _insert(db, "message", MESSAGE_COLUMNS, batch.messages)
            _insert(db, "ticket_change", CHANGE_COLUMNS, batch.changes)
            _insert(db, "rating", RATING_COLUMNS, batch.ratings)
            for key, rows in (
                ("tickets", batch.tickets),
                ("messages", batch.messages),
                ("changes", batch.changes),
                ("ratings", batch.ratings),
            ):
                totals[key] += len(rows)
            bar.update(len(batch.tickets))
        index_for_search(start, start + tickets - 1)
        if is_postgres(db):
            for table in ("ticket", "message", "ticket_change"):
                db.execute_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )
    # PostgreSQL: VACUUM sets the visibility map as well, so that the index-only counts of
    # the unclosed tickets need not visit the table (6 ms -> 0.6 ms at a million tickets).
    db.execute_sql("VACUUM ANALYZE" if is_postgres(db) else "ANALYZE")
    return totals

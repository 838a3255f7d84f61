"""Every change to tickets and messages: role rules, the status workflow, optimistic
concurrency and the change history, in one place."""

from __future__ import annotations

from flask import current_app

from kit.problems import ApiProblem
from ticket_api import follow
from ticket_api.context import Actor
from ticket_api.db import database, write_transaction
from ticket_api.models import (
    EDITABLE_BY_ROLE,
    ClassifierExample,
    Message,
    Ticket,
    TicketChange,
    allowed_next,
)
from ticket_api.search import derived_columns
from ticket_api.serialize import ticket_dict
from ticket_api.telemetry import CLASSIFIER_SECONDS
from ticket_api.timefields import from_epoch, iso, to_epoch, utcnow

MAX_ID = 2**63 - 1


def classify(text: str):
    """The app's classifier's prediction for a ticket text."""
    classifier = current_app.extensions["campusdesk.classifier"]()
    with CLASSIFIER_SECONDS.time():
        return classifier.classify(text)


def ticket_text(title: str, description: str) -> str:
    """What the classifier reads of a ticket: the problem, not where it happened."""
    return f"{title}\n{description}"


def get_ticket(ticket_id: int, actor: Actor) -> Ticket:
    """A ticket the actor may see, or a 404 problem."""
    ticket = Ticket.find_visible(ticket_id, actor.role) if 0 < ticket_id <= MAX_ID else None
    if ticket is None:
        raise ApiProblem(404, f"There is no ticket {ticket_id}.")
    return ticket


def parse_if_match(header: str | None, *, required: bool) -> int | None:
    """The version named by ``If-Match`` (``"3"``, ``W/"3"`` or ``3``)."""
    if header is None or not header.strip():
        if required:
            raise ApiProblem(
                428,
                "Send If-Match with the version of the ticket you are "
                "changing (its ETag), so that nobody's change is lost.",
            )
        return None
    raw = header.strip().removeprefix("W/").strip('"')
    if not raw.isdigit() or len(raw) > 18:
        raise ApiProblem(
            400,
            'If-Match must be the ticket\'s version, such as "3".',
            errors=[{"field": "If-Match", "message": "must be a version number"}],
        )
    return int(raw)


#: Columns computed from a ticket's text, not changed by anyone and not in its history.
DERIVED = ("search_text", "title_key")


def _record(ticket_id: int, actor: Actor, at, changes: list[tuple[str, object, object]]) -> None:
    rows = [
        {
            "ticket": ticket_id,
            "at": at,
            "role": actor.role,
            "name": actor.name,
            "field": name,
            "old_value": None if old is None else str(old),
            "new_value": None if new is None else str(new),
        }
        for name, old, new in changes
    ]
    if rows:
        TicketChange.insert_many(rows).execute()


def create_ticket(data, actor: Actor) -> tuple[Ticket, str]:
    """Open a new ticket, categorised automatically; with its follow token (shown once)."""
    prediction = classify(ticket_text(data.title, data.description))
    now = utcnow()
    token, token_hash = follow.new_token()
    with write_transaction():
        ticket = Ticket.create(
            title=data.title,
            description=data.description,
            location=data.location,
            **derived_columns(data.title, data.description, data.location),
            reporter_name=data.reporter_name or actor.name,
            status="open",
            category=prediction.category,
            category_confidence=round(prediction.confidence, 4),
            category_source="auto",
            opened_at=now,
            modified_at=now,
            version=1,
            follow_hash=token_hash,
        )
        _record(
            ticket.id,
            actor,
            now,
            [("status", None, "open"), ("category", None, prediction.category)],
        )
    return ticket, token


def _check_allowed(requested: dict, ticket: Ticket, actor: Actor) -> None:
    forbidden = sorted(set(requested) - set(EDITABLE_BY_ROLE[actor.role]))
    if forbidden:
        raise ApiProblem(403, f"Only helpdesk staff may change {', '.join(forbidden)}.")
    if ticket.status == "closed":
        raise ApiProblem(409, f"Ticket {ticket.id} is closed and can no longer be changed.")
    new_status = requested.get("status")
    if (
        new_status is not None
        and new_status != ticket.status
        and new_status not in allowed_next(ticket.status)
    ):
        allowed = " or ".join(allowed_next(ticket.status)) or "nothing"
        raise ApiProblem(
            409,
            f"A ticket that is {ticket.status} can move to {allowed}, not to {new_status}.",
            slug="transition",
        )


def _stale(ticket: Ticket) -> ApiProblem:
    return ApiProblem(
        409,
        f"Ticket {ticket.id} was changed by someone else (it is now at "
        f"version {ticket.version}); `current` shows it as it is now.",
        title="Edit conflict",
        slug="stale-version",
        current=ticket_dict(ticket),
    )


def _new_values(requested: dict, ticket: Ticket, now) -> dict:
    """The columns to write, with the automatic category recomputed where it applies."""
    values = {k: v for k, v in requested.items() if getattr(ticket, k) != v}
    # Confirming the automatic category sets it by hand too: it sticks, and is not to be checked.
    if "category" in values or ("category" in requested and ticket.category_source == "auto"):
        values.update(category_source="helpdesk", category_confidence=None)
    elif {"title", "description"} & set(values) and ticket.category_source == "auto":
        prediction = classify(
            ticket_text(
                values.get("title", ticket.title), values.get("description", ticket.description)
            )
        )
        values["category_confidence"] = round(prediction.confidence, 4)
        if prediction.category != ticket.category:
            values["category"] = prediction.category
    if {"title", "description", "location"} & set(values):
        values.update(
            derived_columns(
                values.get("title", ticket.title),
                values.get("description", ticket.description),
                values.get("location", ticket.location),
            )
        )
    if values.get("status") == "closed":
        values["closed_at"] = now
    return values


def update_ticket(ticket_id: int, data, expected: int, actor: Actor) -> Ticket:
    """Apply a PATCH if ``expected`` is still the ticket's version."""
    requested = {name: getattr(data, name) for name in data.model_fields_set}
    with write_transaction():
        ticket = get_ticket(ticket_id, actor)
        _check_allowed(requested, ticket, actor)
        if ticket.version != expected:
            raise _stale(ticket)
        now = utcnow()
        values = _new_values(requested, ticket, now)
        tracked = {
            k: v
            for k, v in values.items()
            if k in Ticket._meta.fields
            and k not in ("category_confidence", "category_source", "closed_at", *DERIVED)
        }
        if not tracked and values.get("category_source") != "helpdesk":
            return ticket
        changed = (
            Ticket.update(**values, modified_at=now, version=Ticket.version + 1)
            .where((Ticket.id == ticket.id) & (Ticket.version == expected))
            .execute()
        )
        if not changed:  # another writer got there between our read and our write
            raise _stale(Ticket.get_by_id(ticket.id))
        _record(ticket.id, actor, now, [(k, getattr(ticket, k), v) for k, v in tracked.items()])
        if "category" in requested and "category" in values:
            ClassifierExample.create(
                ticket=ticket.id,
                created_at=now,
                category=values["category"],
                text=ticket_text(
                    values.get("title", ticket.title), values.get("description", ticket.description)
                ),
            )
    return Ticket.get_by_id(ticket.id)


def delete_ticket(ticket_id: int, expected: int | None, actor: Actor) -> None:
    """Remove a ticket with its messages and history (spam, duplicates)."""
    if not actor.is_helpdesk:
        raise ApiProblem(403, "Only helpdesk staff may delete tickets.")
    with write_transaction():
        ticket = get_ticket(ticket_id, actor)
        if expected is not None and ticket.version != expected:
            raise _stale(ticket)
        Ticket.delete().where(Ticket.id == ticket.id).execute()


def add_message(ticket_id: int, data, actor: Actor) -> Message:
    """Post a message under an open or active ticket."""
    with write_transaction():
        return _append_message(get_ticket(ticket_id, actor), data, actor)


def add_followed_message(token: str, data) -> Message:
    """Post a message as the reporter, through the ticket's follow link; signed with the
    name the ticket was reported under unless another is given."""
    with write_transaction():
        ticket = follow.ticket_of(token)
        return _append_message(ticket, data, Actor("user", ticket.reporter_name))


def _append_message(ticket: Ticket, data, actor: Actor) -> Message:
    """Inside a write transaction: the message, unless the ticket is closed (409)."""
    now = utcnow()
    # The guarded update locks the ticket row, so a message and a close cannot interleave.
    touched = (
        Ticket.update(modified_at=now)
        .where((Ticket.id == ticket.id) & (Ticket.status != "closed"))
        .execute()
    )
    if not touched:
        raise ApiProblem(409, f"Ticket {ticket.id} is closed: no more messages can be added.")
    return Message.create(
        ticket=ticket.id,
        body=data.body,
        author_role=actor.role,
        author_name=data.author_name or actor.name,
        created_at=now,
    )


def rate_ticket(token: str, data) -> dict:
    """The reporter's rating of a closed ticket, through its follow link; once (409 after)."""
    with write_transaction():
        ticket = follow.ticket_of(token)
        if ticket.status != "closed":
            raise ApiProblem(409, "A ticket can be rated once it is closed.")
        now = utcnow()
        p = database.param
        added = database.execute_sql(
            "INSERT INTO rating (ticket_id, stars, comment, rated_at) "
            f"VALUES ({p}, {p}, {p}, {p}) ON CONFLICT (ticket_id) DO NOTHING",
            [ticket.id, data.stars, data.comment, to_epoch(now)],
        ).rowcount
        if not added:
            raise ApiProblem(409, "This ticket has already been rated: a rating is given once.")
    return {"stars": data.stars, "comment": data.comment, "rated_at": iso(now)}


def rating_of(ticket_id: int) -> dict | None:
    """How the reporter rated a ticket, or None."""
    p = database.param
    row = database.execute_sql(
        f"SELECT stars, comment, rated_at FROM rating WHERE ticket_id = {p}", [ticket_id]
    ).fetchone()
    if row is None:
        return None
    return {"stars": row[0], "comment": row[1], "rated_at": iso(from_epoch(row[2]))}

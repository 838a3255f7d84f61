"""Every change to tickets and messages: role rules, the status workflow, optimistic
concurrency and the change history, in one place."""

from __future__ import annotations

from flask import current_app

from kit.problems import ApiProblem
from ticket_api import follow, mail, photos
from ticket_api.context import Actor
from ticket_api.db import database, write_transaction
from ticket_api.models import (
    EDITABLE_BY_ROLE,
    FOLLOWABLE_STATUSES,
    NOTE_ROLES,
    ClassifierExample,
    Follower,
    Message,
    Note,
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


def classifier_ready() -> bool:
    """Whether the app's classifier is loaded (a prediction would not wait for it)."""
    return current_app.extensions["campusdesk.classifier"]().ready


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


def _settings():
    return current_app.config["CAMPUSDESK_SETTINGS"]


#: The changes of status that send a notice to the ticket's subscribers.
STATUS_EVENTS = {"active": "started", "closed": "closed"}


def create_ticket(data, actor: Actor) -> tuple[Ticket, str]:
    """Open a new ticket, categorised automatically; with its follow token (shown once).
    An e-mail address given with it subscribes the reporter to the ticket's notices."""
    email = getattr(data, "email", None)
    if email:
        mail.check_enabled(_settings())
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
        if email:
            mail.subscribe(ticket.id, email, "reporter", _settings())
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
        if tracked.get("status") in STATUS_EVENTS:
            title = values.get("title", ticket.title)
            mail.notify(ticket.id, title, STATUS_EVENTS[tracked["status"]], _settings())
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
    """Remove a ticket with its messages, history and photos (spam, duplicates)."""
    if not actor.is_helpdesk:
        raise ApiProblem(403, "Only helpdesk staff may delete tickets.")
    with write_transaction():
        ticket = get_ticket(ticket_id, actor)
        if expected is not None and ticket.version != expected:
            raise _stale(ticket)
        files = photos.files_of_tickets(f"{database.param}", [ticket.id])
        Ticket.delete().where(Ticket.id == ticket.id).execute()
    # Once the rows are gone for good: a failed delete keeps the photos it would have lost.
    photos.remove_files(_settings().data_dir, files)


def add_message(ticket_id: int, data, actor: Actor) -> Message:
    """Post a message under an open or active ticket."""
    with write_transaction():
        return _append_message(get_ticket(ticket_id, actor), data, actor)


def require_note_role(actor: Actor) -> None:
    """Internal notes exist only for the roles that write them: a 403 problem for others."""
    if actor.role not in NOTE_ROLES:
        raise ApiProblem(403, "Internal notes are for helpdesk staff.")


def add_note(ticket_id: int, data, actor: Actor) -> Note:
    """Write an internal note under a ticket, whatever its status (closed included: staff
    may record what happened afterwards). Nothing the reporter can see changes: not the
    ticket's version, not its time of last change."""
    require_note_role(actor)
    with write_transaction():
        ticket = get_ticket(ticket_id, actor)
        return Note.create(
            ticket=ticket.id,
            body=data.body,
            author_name=data.author_name or actor.name,
            created_at=utcnow(),
        )


def add_followed_message(token: str, data) -> Message:
    """Post a message through a follow link, as the reporter (signed with the name the
    ticket was reported under unless another is given) or as a follower (signed with the
    name given, if any)."""
    with write_transaction():
        link = follow.link_of(token)
        link.require("answer", "This follow link cannot answer under the ticket.")
        name = link.ticket.reporter_name if link.role == "reporter" else None
        return _append_message(link.ticket, data, Actor("user", name))


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
    message = Message.create(
        ticket=ticket.id,
        body=data.body,
        author_role=actor.role,
        author_name=data.author_name or actor.name,
        created_at=now,
    )
    if actor.is_helpdesk:
        mail.notify(ticket.id, ticket.title, "answered", _settings())
    return message


def rate_ticket(token: str, data) -> dict:
    """The reporter's rating of a closed ticket, through its follow link; once (409 after)."""
    with write_transaction():
        link = follow.link_of(token)
        link.require(
            "rate", "Only the person who reported the ticket rates it; followers read and answer."
        )
        ticket = link.ticket
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


def follow_ticket(ticket_id: int, actor: Actor, email: str | None = None) -> tuple[Ticket, str]:
    """A new follower of an open or active ticket ("This is my problem too"), with the
    token of their own follow link (shown once); 409 for a closed ticket. With ``email``,
    the follower gets the ticket's e-mail notices too."""
    token, token_hash = follow.new_token()
    if email:
        mail.check_enabled(_settings())
    with write_transaction():
        ticket = get_ticket(ticket_id, actor)
        counted = (
            Ticket.update(followers=Ticket.followers + 1)
            .where((Ticket.id == ticket.id) & Ticket.status.in_(FOLLOWABLE_STATUSES))
            .execute()
        )
        if not counted:
            raise ApiProblem(
                409,
                f"Ticket {ticket.id} is closed: it can no longer be followed. "
                "Report the problem again if it is back.",
            )
        Follower.create(ticket=ticket.id, follow_hash=token_hash, created_at=utcnow())
        if email:
            mail.subscribe(ticket.id, email, "follower", _settings())
    return Ticket.get_by_id(ticket.id), token


def _merge_problem(detail: str, status: int = 409) -> ApiProblem:
    if status == 422:
        return ApiProblem(422, detail, errors=[{"field": "into", "message": detail}])
    return ApiProblem(status, detail, slug="merge")


def merge_ticket(ticket_id: int, into: int, expected: int, actor: Actor) -> Ticket:
    """Merge a duplicate into the ticket kept, if ``expected`` is still the duplicate's
    version: the duplicate is closed by the workflow's moves and names the kept ticket;
    its followers, and its reporter, follow the kept ticket; its messages stay with it;
    both histories record the merge. Helpdesk only; neither ticket may be closed."""
    if not actor.is_helpdesk:
        raise ApiProblem(403, "Only helpdesk staff may merge tickets.")
    if into == ticket_id:
        raise _merge_problem("A ticket cannot be merged into itself.", 422)
    with write_transaction():
        duplicate = get_ticket(ticket_id, actor)
        kept = Ticket.find_visible(into, actor.role) if 0 < into <= MAX_ID else None
        if kept is None:
            raise _merge_problem(f"There is no ticket {into} to merge into.", 422)
        if duplicate.status not in FOLLOWABLE_STATUSES:
            raise _merge_problem(f"Ticket {duplicate.id} is closed: it can no longer be merged.")
        if duplicate.version != expected:
            raise _stale(duplicate)
        if kept.status not in FOLLOWABLE_STATUSES:
            raise _merge_problem(
                f"Ticket {kept.id} is closed: merge into a ticket that is open or active."
            )
        now = utcnow()
        moves = _moves_to_closed(duplicate.status)

        def move(status: str) -> dict:
            closing = {"closed_at": now, "merged_into": kept.id, "followers": 0}
            return {"status": status, **(closing if status == "closed" else {})}

        changed = (
            Ticket.update(**move(moves[0][1]), modified_at=now, version=Ticket.version + 1)
            .where((Ticket.id == duplicate.id) & (Ticket.version == expected))
            .execute()
        )
        if not changed:  # another writer got there between our read and our write
            raise _stale(Ticket.get_by_id(duplicate.id))
        for _old, new in moves[1:]:
            Ticket.update(**move(new)).where(Ticket.id == duplicate.id).execute()
        moved = Follower.update(ticket=kept.id).where(Follower.ticket == duplicate.id).execute()
        if duplicate.follow_hash:
            Follower.create(ticket=kept.id, follow_hash=duplicate.follow_hash, created_at=now)
            moved += 1
        Ticket.update(followers=Ticket.followers + moved, modified_at=now).where(
            Ticket.id == kept.id
        ).execute()
        _record(
            duplicate.id,
            actor,
            now,
            [("status", old, new) for old, new in moves] + [("merged_into", None, kept.id)],
        )
        _record(kept.id, actor, now, [("merged_from", None, duplicate.id)])
        settings = _settings()
        mail.notify(duplicate.id, duplicate.title, "merged", settings)
        mail.carry_over(duplicate.id, kept.id, settings)
    return Ticket.get_by_id(duplicate.id)


def _moves_to_closed(status: str) -> list[tuple[str, str]]:
    """The workflow's moves from status to closed, one at a time (no skipping)."""
    moves = []
    while status != "closed":
        following = allowed_next(status)[0]
        moves.append((status, following))
        status = following
    return moves

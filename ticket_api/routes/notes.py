"""Internal notes under a ticket: written and read by helpdesk staff only."""

from __future__ import annotations

from flask import url_for

from kit.openapi import ApiBlueprint
from ticket_api import ratelimit, workflow
from ticket_api.context import actor, load_actor
from ticket_api.schemas import NoteCreate, NoteList, NoteListQuery, NoteOut
from ticket_api.serialize import json_response, note_dict, thread_page
from ticket_api.telemetry import NOTES_CREATED

bp = ApiBlueprint("notes", __name__, url_prefix="/api/tickets/<int:ticket_id>/notes")
bp.before_request(load_actor)
TAGS = ("notes",)


@bp.operation("GET", "", query=NoteListQuery, response=NoteList, errors=(403, 404), tags=TAGS)
def list_notes(ticket_id: int, query: NoteListQuery):
    """A ticket's internal notes, oldest first (helpdesk staff only; 403 for others).

    Notes are not messages: the reporter never sees them, by any route, and they change
    nothing a simple user can see. Paged like the messages: follow `next_after_id` while
    `has_more` is true.
    """
    workflow.require_note_role(actor())
    ticket = workflow.get_ticket(ticket_id, actor())
    return thread_page(ticket.id, query.after_id, query.limit, notes=True)


@bp.operation(
    "POST",
    "",
    body=NoteCreate,
    response=NoteOut,
    status=201,
    headers=("Location",),
    errors=(403, 404, 429),
    tags=TAGS,
)
def create_note(ticket_id: int, body: NoteCreate):
    """Write an internal note under a ticket, in any status (helpdesk staff only).

    Notes count in the same rate limit as messages (429 with `Retry-After`).
    """
    workflow.require_note_role(actor())
    ratelimit.check("messages")
    note = workflow.add_note(ticket_id, body, actor())
    NOTES_CREATED.inc()
    location = url_for("notes.list_notes", ticket_id=ticket_id, after_id=note.id - 1)
    return json_response(note_dict(note), 201, {"Location": location})

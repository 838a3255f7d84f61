"""Messages under a ticket, between the reporter and the helpdesk."""

from __future__ import annotations

from flask import url_for

from kit.openapi import ApiBlueprint
from ticket_api import ratelimit, workflow
from ticket_api.context import actor, load_actor
from ticket_api.schemas import MessageCreate, MessageList, MessageListQuery, MessageOut
from ticket_api.serialize import json_response, message_dict, thread_page
from ticket_api.telemetry import MESSAGES_CREATED

bp = ApiBlueprint("messages", __name__, url_prefix="/api/tickets/<int:ticket_id>/messages")
bp.before_request(load_actor)
TAGS = ("messages",)


@bp.operation("GET", "", query=MessageListQuery, response=MessageList, errors=(404,), tags=TAGS)
def list_messages(ticket_id: int, query: MessageListQuery):
    """A ticket's messages, oldest first; `after_id` gives only newer ones (for polling).

    An answer holds at most `limit` messages (default 200). When the thread goes on beyond
    them, `has_more` is true and `next_after_id` is the `after_id` that gives the next ones;
    follow it until `has_more` is false (`next_after_id` is then null) to read a whole thread.
    """
    ticket = workflow.get_ticket(ticket_id, actor())
    return thread_page(ticket.id, query.after_id, query.limit)


@bp.operation(
    "POST",
    "",
    body=MessageCreate,
    response=MessageOut,
    status=201,
    headers=("Location",),
    errors=(404, 409, 429),
    tags=TAGS,
)
def create_message(ticket_id: int, body: MessageCreate):
    """Post a message under an open or active ticket.

    Messages are rate limited per client as new tickets are (429 with `Retry-After`).
    """
    ratelimit.check("messages")
    message = workflow.add_message(ticket_id, body, actor())
    MESSAGES_CREATED.inc()
    location = url_for("messages.list_messages", ticket_id=ticket_id, after_id=message.id - 1)
    return json_response(message_dict(message), 201, {"Location": location})

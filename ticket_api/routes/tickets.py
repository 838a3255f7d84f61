"""Tickets: create, list, read, change, delete, and their history."""

from __future__ import annotations

from flask import request, url_for

from kit.openapi import ApiBlueprint
from kit.problems import ApiProblem
from ticket_api import queries, ratelimit, to_check, workflow
from ticket_api.context import actor, load_actor
from ticket_api.models import TicketChange
from ticket_api.schemas import (
    HistoryList,
    TicketCreate,
    TicketCreated,
    TicketList,
    TicketListQuery,
    TicketOut,
    TicketPatch,
)
from ticket_api.serialize import change_dict, json_response, ticket_response
from ticket_api.telemetry import TICKETS_CREATED

bp = ApiBlueprint("tickets", __name__, url_prefix="/api/tickets")
bp.before_request(load_actor)
TAGS = ("tickets",)


@bp.operation("GET", "", query=TicketListQuery, response=TicketList, tags=TAGS)
def list_tickets(query: TicketListQuery):
    """List tickets, filtered, searched, sorted and paged.

    Simple users see only open and active tickets; `status=closed` gives them nothing.
    With a text or date filter, more than 1,000 matches are not counted one by one:
    `total_exact` is then false and `total` (1,000) means "more than 1,000"; every page can
    still be read.
    """
    items, total, exact = queries.list_page(query, actor().role)
    return json_response(
        {
            "items": to_check.mark(items, actor().role),
            "total": total,
            "total_exact": exact,
            "page": query.page,
            "per_page": query.per_page,
        }
    )


@bp.operation(
    "POST",
    "",
    body=TicketCreate,
    response=TicketCreated,
    status=201,
    headers=("ETag", "Location"),
    errors=(429,),
    tags=TAGS,
)
def create_ticket(body: TicketCreate):
    """Report a problem: a new open ticket, categorised automatically.

    The answer carries the ticket's private `follow_token`, given only here.

    Each client (by address) may create a limited number of tickets a minute, an hour and a
    day; past that the answer is 429 with `Retry-After`, the seconds to wait.
    """
    ratelimit.check("tickets")
    ticket, token = workflow.create_ticket(body, actor())
    TICKETS_CREATED.inc()
    location = url_for("tickets.get_ticket", ticket_id=ticket.id)
    extra = to_check.for_role(ticket, actor().role)
    return ticket_response(ticket, 201, {"Location": location}, follow_token=token, **extra)


@bp.operation(
    "GET", "/<int:ticket_id>", response=TicketOut, headers=("ETag",), errors=(404,), tags=TAGS
)
def get_ticket(ticket_id: int):
    """One ticket; closed tickets are 404 for simple users."""
    ticket = queries.one(ticket_id, actor().role)
    if ticket is None:
        raise ApiProblem(404, f"There is no ticket {ticket_id}.")
    ticket |= to_check.for_role(ticket, actor().role)
    return json_response(ticket, headers={"ETag": f'"{ticket["version"]}"'})


@bp.operation(
    "PATCH",
    "/<int:ticket_id>",
    body=TicketPatch,
    response=TicketOut,
    headers=("ETag",),
    errors=(403, 404, 409, 428),
    if_match="required",
    tags=TAGS,
)
def update_ticket(ticket_id: int, body: TicketPatch):
    """Change a ticket: text fields for everyone, status and category for the helpdesk.

    Needs `If-Match` with the version the change is based on; a stale version is a 409 whose
    problem carries the ticket as it is now in `current`.
    """
    expected = workflow.parse_if_match(request.headers.get("If-Match"), required=True)
    ticket = workflow.update_ticket(ticket_id, body, expected, actor())
    return ticket_response(ticket, **to_check.for_role(ticket, actor().role))


@bp.operation(
    "DELETE", "/<int:ticket_id>", status=204, errors=(403, 404, 409), if_match="optional", tags=TAGS
)
def delete_ticket(ticket_id: int):
    """Delete a ticket with its messages and history (helpdesk only)."""
    expected = workflow.parse_if_match(request.headers.get("If-Match"), required=False)
    workflow.delete_ticket(ticket_id, expected, actor())
    return "", 204


@bp.operation("GET", "/<int:ticket_id>/history", response=HistoryList, errors=(404,), tags=TAGS)
def ticket_history(ticket_id: int):
    """Every change of a ticket, oldest first: who, which field, old and new value, when.

    The answer is never cut: it holds every change the ticket ever had, with no limit and no
    paging (a ticket's changes grow only with people's edits, not with its messages).
    """
    ticket = workflow.get_ticket(ticket_id, actor())
    return json_response({"items": [change_dict(c) for c in TicketChange.history(ticket.id)]})

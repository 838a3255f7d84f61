"""Tickets: create, list, read, change, delete, and their history."""

from __future__ import annotations

from flask import request, url_for

from kit.openapi import ApiBlueprint
from kit.problems import ApiProblem
from ticket_api import queries, ratelimit, similar, to_check, workflow
from ticket_api.context import actor, load_actor
from ticket_api.models import TicketChange
from ticket_api.readcache import kept
from ticket_api.schemas import (
    FollowerCreated,
    FollowRequest,
    HistoryList,
    MergeRequest,
    SimilarList,
    SimilarQuery,
    TicketCreate,
    TicketCreated,
    TicketDetail,
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
@kept
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


@bp.operation("GET", "/similar", query=SimilarQuery, response=SimilarList, tags=TAGS)
def similar_tickets(query: SimilarQuery):
    """The open and active tickets that seem to be about the problem a person is typing
    (`title` and `description` so far), so that they can follow one instead of reporting it
    again: tickets sharing key words with the text, as search folds them (at least two, or
    every one when the text has fewer), most shared first, then those of the category the
    classifier gives the text, then the newest. Nothing for a text without key words."""
    text = workflow.ticket_text(query.title or "", query.description or "")
    category = None
    if similar.looked_up_words(text) and workflow.classifier_ready():
        category = workflow.classify(text).category
    return json_response({"items": similar.similar_tickets(text, category, query.limit)})


@bp.operation(
    "GET", "/<int:ticket_id>", response=TicketDetail, headers=("ETag",), errors=(404,), tags=TAGS
)
@kept
def get_ticket(ticket_id: int):
    """One ticket, with the duplicates merged into it; closed tickets are 404 for simple
    users. For the helpdesk, with the e-mail address its reporter left (`reporter_email`),
    which no other answer shows."""
    role = actor().role
    ticket = queries.detail(ticket_id, role)
    if ticket is None:
        raise ApiProblem(404, f"There is no ticket {ticket_id}.")
    body = ticket | to_check.for_role(ticket, role)
    return json_response(body, headers={"ETag": f'"{ticket["version"]}"'})


@bp.operation(
    "POST",
    "/<int:ticket_id>/followers",
    body=FollowRequest,
    body_optional=True,
    response=FollowerCreated,
    status=201,
    errors=(404, 409, 429),
    tags=TAGS,
)
def follow_ticket(ticket_id: int, body: FollowRequest):
    """Follow an open or active ticket instead of reporting the same problem again ("This
    is my problem too"). The ticket counts one more person in `reported_by`; the answer
    carries the follower's own private `follow_token`, given only here, which opens the
    ticket as the reporter's does (read and answer; rating is the reporter's). 409 once the
    ticket is closed. Rate limited as reporting a ticket is. The body is optional: with
    `email`, the follower gets the ticket's e-mail notices as its reporter does."""
    ratelimit.check("tickets")
    ticket, token = workflow.follow_ticket(ticket_id, actor(), body.email)
    return ticket_response(ticket, 201, follow_token=token)


@bp.operation(
    "POST",
    "/<int:ticket_id>/merge",
    body=MergeRequest,
    response=TicketOut,
    headers=("ETag",),
    errors=(403, 404, 409),
    tags=TAGS,
)
def merge_ticket(ticket_id: int, body: MergeRequest):
    """Merge a duplicate into the ticket kept (helpdesk only). The duplicate is closed by
    the workflow's moves and names the kept ticket in `merged_into`; its followers, and its
    reporter (whose follow link then opens the kept ticket), follow the kept ticket; its
    messages stay under it; both histories record the merge. `version` is the duplicate's
    version the merge is based on: a stale one is a 409 with the duplicate as it is now in
    `current`. Neither ticket may be closed (409); a ticket is not merged into itself, nor
    into one that does not exist (422). The answer is the closed duplicate."""
    merged = workflow.merge_ticket(ticket_id, body.into, body.version, actor())
    return ticket_response(merged)


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

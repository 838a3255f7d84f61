"""A ticket through its private follow link: its reporter reads it whatever its status,
follows the conversation and answers, on any device, without an account."""

from __future__ import annotations

from flask import url_for

from kit.openapi import ApiBlueprint
from kit.problems import ApiProblem
from ticket_api import follow, queries, ratelimit, workflow
from ticket_api.db import database
from ticket_api.schemas import (
    FollowedMany,
    FollowedTicket,
    FollowedTickets,
    MessageCreate,
    MessageList,
    MessageListQuery,
    MessageOut,
    RatingCreate,
    RatingOut,
)
from ticket_api.serialize import json_response, message_dict, thread_page, ticket_dict
from ticket_api.telemetry import MESSAGES_CREATED

bp = ApiBlueprint("follow", __name__, url_prefix="/api/follow/<token>")
many_bp = ApiBlueprint("follow_many", __name__, url_prefix="/api/follow")
TAGS = ("follow",)


@bp.operation("GET", "", response=FollowedTicket, errors=(404,), tags=TAGS)
def followed_ticket(token: str):
    """The ticket a follow link opens, open, active or closed, with the ids of its newest
    message and of the helpdesk's newest message, whose link it is (the reporter's or a
    follower's) and the duplicates merged into it. The link of a duplicate's reporter opens
    the ticket it was merged into, saying so in `merged_from`."""
    link = follow.link_of(token)
    return json_response(_followed(link), headers={"ETag": f'"{link.ticket.version}"'})


def _followed(link: follow.Link) -> dict:
    ticket = link.ticket
    p = database.param
    newest, helpdesk = database.execute_sql(
        "SELECT MAX(id), MAX(CASE WHEN author_role = 'helpdesk' THEN id END) FROM message "
        f"WHERE ticket_id = {p}",
        [ticket.id],
    ).fetchone()
    return ticket_dict(ticket) | {
        "last_message_id": newest,
        "last_helpdesk_message_id": helpdesk,
        "rating": workflow.rating_of(ticket.id),
        "merged": queries.merged_tickets(ticket.id),
        "link_role": link.role,
        "merged_from": link.merged_from,
    }


@many_bp.operation("POST", "", body=FollowedMany, response=FollowedTickets, tags=TAGS)
def followed_tickets(body: FollowedMany):
    """The tickets of several follow links at once, as `GET /api/follow/{token}` gives each:
    what "My reports" shows. The tokens travel in the body, never in an address. A token
    that opens no ticket is left out of the answer, not an error."""
    found = {}
    for token in dict.fromkeys(body.tokens):
        try:
            found[token] = _followed(follow.link_of(token))
        except ApiProblem as problem:
            if problem.status != 404:
                raise
    return json_response({"tickets": found})


@bp.operation(
    "GET", "/messages", query=MessageListQuery, response=MessageList, errors=(404,), tags=TAGS
)
def followed_messages(token: str, query: MessageListQuery):
    """The messages under the ticket of a follow link, oldest first, paged as
    `GET /api/tickets/{id}/messages` is (`after_id`, `limit`, `has_more`)."""
    return thread_page(follow.ticket_of(token).id, query.after_id, query.limit)


@bp.operation(
    "POST",
    "/messages",
    body=MessageCreate,
    response=MessageOut,
    status=201,
    headers=("Location",),
    errors=(403, 404, 409, 429),
    tags=TAGS,
)
def post_followed_message(token: str, body: MessageCreate):
    """Answer under the ticket of a follow link, as its reporter (signed with the name the
    ticket was reported under unless `author_name` says otherwise) or as a follower (signed
    with `author_name`, if given); 409 once it is closed.
    Rate limited as every new message is."""
    ratelimit.check("messages")
    message = workflow.add_followed_message(token, body)
    MESSAGES_CREATED.inc()
    location = url_for("follow.followed_messages", token=token, after_id=message.id - 1)
    return json_response(message_dict(message), 201, {"Location": location})


@bp.operation(
    "POST",
    "/rating",
    body=RatingCreate,
    response=RatingOut,
    status=201,
    errors=(403, 404, 409),
    tags=TAGS,
)
def rate_followed_ticket(token: str, body: RatingCreate):
    """How did we do? The reporter rates the outcome of the closed ticket, 1 to 5 stars
    with an optional comment, once: 409 before it is closed and after it was rated; 403
    through a follower's link (rating is the reporter's)."""
    return json_response(workflow.rate_ticket(token, body), 201)

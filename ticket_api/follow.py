"""Private follow links: a ticket's reporter keeps one link that opens the ticket on any
device, whatever its status, with nothing else to remember (there are no accounts); so does
each follower, who has the same problem and said so instead of reporting it again, and each
e-mail subscriber, whose notices carry a follow link of their own (ticket_api/mail.py).

The link's token (256 random bits, URL-safe) is shown once, in the answer to the report (or
to the follow); the database keeps only its SHA-256, so a copy of the database opens no
ticket. A follower's link opens the ticket it follows now: when the helpdesk merges a
duplicate into another ticket, the duplicate's followers follow the kept ticket, and so does
its reporter, whose link then opens the kept ticket."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from kit.problems import ApiProblem
from ticket_api.models import FOLLOW_LINK_RIGHTS, Follower, Ticket

#: What secrets.token_urlsafe(32) gives: 43 characters of the URL-safe base64 alphabet.
TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")
NOT_FOUND = "No ticket has this follow link. Check that the whole link was copied."


def token_hash(token: str) -> str:
    """The SHA-256 of a token, in hex, as the ticket keeps it."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def new_token() -> tuple[str, str]:
    """A new follow token and the hash to store."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


@dataclass(frozen=True)
class Link:
    """What a follow token opens: the ticket, whose link it is (``reporter`` or
    ``follower``, see FOLLOW_LINK_RIGHTS) and, for the reporter of a duplicate merged into
    the ticket, the duplicate's number."""

    ticket: Ticket
    role: str
    merged_from: int | None = None

    def require(self, right: str, refusal: str) -> None:
        """A 403 problem saying refusal unless the link's holder has the right."""
        if right not in FOLLOW_LINK_RIGHTS[self.role]:
            raise ApiProblem(403, refusal)


def link_of(token: str) -> Link:
    """What a follow token opens, whatever the ticket's status; a 404 problem otherwise (the
    same for a malformed token and an unknown one). A follower's link comes first: the
    reporter of a merged duplicate follows the kept ticket with the link of the duplicate.
    The link of an e-mail notice opens the ticket with the rights of its subscriber, the
    reporter or a follower."""
    if TOKEN.fullmatch(token):
        hashed = token_hash(token)
        follower = Follower.get_or_none(Follower.follow_hash == hashed)
        reported = Ticket.get_or_none(Ticket.follow_hash == hashed)
        if follower is not None:
            ticket = Ticket.get_by_id(follower.ticket_id)
            merged = reported.id if reported is not None and reported.id != ticket.id else None
            return Link(ticket, "follower", merged)
        if reported is not None:
            return Link(reported, "reporter")
        from ticket_api.mail import ticket_of_follow_hash  # mail builds on this module

        ticket_id, kind = ticket_of_follow_hash(hashed)
        subscribed = Ticket.get_or_none(Ticket.id == ticket_id) if ticket_id else None
        if subscribed is not None:
            return Link(subscribed, kind)
    raise ApiProblem(404, NOT_FOUND)


def ticket_of(token: str) -> Ticket:
    """The ticket a follow token opens (see :func:`link_of`)."""
    return link_of(token).ticket

"""Private follow links: a ticket's reporter keeps one link that opens the ticket on any
device, whatever its status, with nothing else to remember (there are no accounts). Mail
subscribers get follow links of their own, which open the same view (ticket_api/mail.py).

The link's token (256 random bits, URL-safe) is shown once, in the answer to the report; the
database keeps only its SHA-256, so a copy of the database opens no ticket."""

from __future__ import annotations

import hashlib
import re
import secrets

from kit.problems import ApiProblem
from ticket_api.models import Ticket

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


FOLLOWER_READS = (
    "This link, sent to a follower of the ticket, opens it to read; only its reporter answers "
    "and rates it."
)


def ticket_of(token: str, *, as_reporter: bool = False) -> Ticket:
    """The ticket a follow token opens, whatever its status; a 404 problem otherwise (the
    same for a malformed token and an unknown one). ``as_reporter``: for answering and
    rating, which the links of followers (ticket_api/mail.py) do not allow (403)."""
    ticket = None
    if TOKEN.fullmatch(token):
        hashed = token_hash(token)
        ticket = Ticket.get_or_none(Ticket.follow_hash == hashed)
        if ticket is None:
            # The follow link of a mail subscriber opens the same view (ticket_api/mail.py).
            from ticket_api.mail import ticket_of_follow_hash

            ticket_id, kind = ticket_of_follow_hash(hashed)
            ticket = Ticket.get_or_none(Ticket.id == ticket_id) if ticket_id else None
            if ticket is not None and as_reporter and kind != "reporter":
                raise ApiProblem(403, FOLLOWER_READS)
    if ticket is None:
        raise ApiProblem(404, NOT_FOUND)
    return ticket

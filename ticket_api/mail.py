"""E-mail notifications: who asked for mail about a ticket, and the notices to send them.

A reporter may leave an e-mail address; other code (followers of a ticket) adds subscribers
through :func:`subscribe`. When the helpdesk answers, takes a ticket in hand or closes it,
:func:`notify` writes one ``outbox`` row per subscriber who still wants mail, inside the
transaction of that change: the notice exists if and only if the change was committed. The
mail worker (``ticket_api/mail_worker.py``) sends them.

Links in mails. The database keeps no secret that opens a ticket: a ticket keeps only the
hash of its reporter's follow token, so a mail cannot carry that token. Instead every
subscriber has links of their own, a follow link (it opens the same follow view as the
reporter's) and an unsubscribe link. Their tokens are HMAC-SHA256 of the subscriber's row
under ``CAMPUSDESK_MAIL_SECRET``: the worker derives them when it writes the mail, and the
database keeps only their SHA-256, looked up as a follow token's is. The outbox holds the
text of the notice without either link. A copy of the database alone opens nothing; a new
secret makes the links in mails already sent stop working.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from kit.problems import ApiProblem
from kit.settings import Settings
from ticket_api.db import database
from ticket_api.follow import TOKEN, token_hash
from ticket_api.timefields import from_epoch, iso, to_epoch, utcnow

KINDS = ("reporter", "follower")
#: What each notice tells: its event key, the subject's words and the mail's first line.
EVENTS = {
    "answered": ("New answer", "The helpdesk answered under your ticket"),
    "started": ("In hand", "The helpdesk has taken your ticket in hand"),
    "closed": ("Closed", "The helpdesk closed your ticket: the problem is solved"),
    "merged": (
        "Merged",
        "Another ticket about the same problem now carries the news of your ticket",
    ),
}
NOT_SET_UP = "E-mail notifications are not set up on this helpdesk."
UNKNOWN_LINK = "No subscription has this link. Check that the whole link was copied."


def link_token(secret: str, purpose: str, subscriber: dict) -> str:
    """The token of one of a subscriber's links (``follow`` or ``unsubscribe``): 43 URL-safe
    characters, as a follow token is, derived from the row and the secret."""
    message = f"{purpose}:{subscriber['id']}:{subscriber['ticket_id']}:{subscriber['created_at']}"
    digest = hmac.new(secret.encode(), message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def check_enabled(settings: Settings) -> None:
    """A 422 problem on the ``email`` field while mail is not set up."""
    if not settings.mail_enabled:
        raise ApiProblem(422, NOT_SET_UP, errors=[{"field": "email", "message": NOT_SET_UP}])


def subscribe(ticket_id: int, email: str, kind: str, settings: Settings) -> int:
    """Add a subscriber to a ticket (kind ``reporter`` or ``follower``), in the caller's
    write transaction; its id. The address must have been validated (schemas.Email)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    check_enabled(settings)
    p = database.param
    created = to_epoch(utcnow())
    subscriber_id = database.execute_sql(
        "INSERT INTO subscriber (ticket_id, email, kind, created_at) "
        f"VALUES ({p}, {p}, {p}, {p}) RETURNING id",
        [ticket_id, email, kind, created],
    ).fetchone()[0]
    row = {"id": subscriber_id, "ticket_id": ticket_id, "created_at": created}
    follow_token = link_token(settings.mail_secret, "follow", row)
    unsubscribe_token = link_token(settings.mail_secret, "unsubscribe", row)
    database.execute_sql(
        f"UPDATE subscriber SET follow_hash = {p}, unsubscribe_hash = {p} WHERE id = {p}",
        [token_hash(follow_token), token_hash(unsubscribe_token), subscriber_id],
    )
    return subscriber_id


def notify(ticket_id: int, title: str, event: str, settings: Settings) -> int:
    """In the caller's write transaction: one outbox row per subscriber of the ticket who
    still wants mail; how many. Nothing is queued while mail is not set up."""
    if not settings.mail_enabled:
        return 0
    subject_words, line = EVENTS[event]
    subject = f"[CampusDesk] {subject_words}: #{ticket_id} {title}"
    body = f'{line} #{ticket_id}, "{title}".\n'
    now = to_epoch(utcnow())
    p = database.param
    return database.execute_sql(
        "INSERT INTO outbox (subscriber_id, ticket_id, event, subject, body, created_at, "
        f"attempts, next_attempt_at) SELECT id, ticket_id, {p}, {p}, {p}, {p}, 0, {p} "
        f"FROM subscriber WHERE ticket_id = {p} AND unsubscribed_at IS NULL "
        "AND email IS NOT NULL",
        [event, subject, body, now, now, ticket_id],
    ).rowcount


def carry_over(from_id: int, to_id: int, settings: Settings) -> int:
    """In the caller's write transaction: every address still subscribed to a duplicate
    becomes a follower of the ticket it was merged into (with links of its own), unless it
    already is; how many. Nothing while mail is not set up."""
    if not settings.mail_enabled:
        return 0
    p = database.param
    rows = database.execute_sql(
        f"SELECT DISTINCT email FROM subscriber WHERE ticket_id = {p} "
        "AND unsubscribed_at IS NULL AND email IS NOT NULL AND email NOT IN "
        f"(SELECT email FROM subscriber WHERE ticket_id = {p} AND email IS NOT NULL) "
        "ORDER BY email",
        [from_id, to_id],
    ).fetchall()
    for (email,) in rows:
        subscribe(to_id, email, "follower", settings)
    return len(rows)


def ticket_of_follow_hash(hashed: str) -> tuple[int | None, str | None]:
    """The ticket a subscriber's follow link opens, by the link's hash, and the kind of the
    subscriber (a follower's link reads, a reporter's also answers); (None, None) if none."""
    p = database.param
    row = database.execute_sql(
        f"SELECT ticket_id, kind FROM subscriber WHERE follow_hash = {p}", [hashed]
    ).fetchone()
    return (row[0], row[1]) if row else (None, None)


def _subscription(token: str) -> tuple:
    row = None
    if TOKEN.fullmatch(token):
        p = database.param
        row = database.execute_sql(
            "SELECT s.id, s.ticket_id, t.title, s.unsubscribed_at FROM subscriber s "
            f"JOIN ticket t ON t.id = s.ticket_id WHERE s.unsubscribe_hash = {p}",
            [token_hash(token)],
        ).fetchone()
    if row is None:
        raise ApiProblem(404, UNKNOWN_LINK)
    return row


def _subscription_dict(row) -> dict:
    return {
        "ticket_id": row[1],
        "title": row[2],
        "subscribed": row[3] is None,
        "unsubscribed_at": iso(from_epoch(row[3])) if row[3] is not None else None,
    }


def subscription(token: str) -> dict:
    """What an unsubscribe link is about: its ticket and whether mail still goes out."""
    return _subscription_dict(_subscription(token))


def unsubscribe(token: str) -> dict:
    """Stop mail to the subscriber of an unsubscribe link, at once: the address is erased
    and the notices not yet sent are dropped. Unsubscribing twice changes nothing."""
    row = _subscription(token)
    if row[3] is None:
        p = database.param
        now = to_epoch(utcnow())
        database.execute_sql(
            f"UPDATE subscriber SET unsubscribed_at = {p}, email = NULL WHERE id = {p} "
            "AND unsubscribed_at IS NULL",
            [now, row[0]],
        )
        database.execute_sql(
            f"DELETE FROM outbox WHERE subscriber_id = {p} AND sent_at IS NULL", [row[0]]
        )
        row = (*row[:3], now)
    return _subscription_dict(row)

"""The mail worker (``campusdesk mail-worker``): sends the outbox's notices over SMTP.

Claiming. A worker takes a batch of due notices in one short transaction: it counts an
attempt and moves their ``next_attempt_at`` a lease ahead (LEASE_SECONDS), so no other
worker takes them meanwhile (PostgreSQL: ``FOR UPDATE SKIP LOCKED``; SQLite: the one UPDATE
runs under the database's write lock). Then it sends them, without holding any lock.

Exactly once, as far as SMTP allows. A notice is marked sent only after the mail server
accepted it. When sending fails, it stays due again after a backoff (RETRY_FIRST seconds,
doubling up to RETRY_MAX) with the error in ``last_error``; after MAX_ATTEMPTS attempts, or
at once when the server refuses the address for good (a 5xx answer), it is given up
(``next_attempt_at`` null). If a worker dies after the server accepted a mail and before it
marked it sent, that one notice is sent again once its lease ends: at most one duplicate
per notice, and only then. No notice is lost: a claimed notice whose worker died is due
again when its lease ends.
"""

from __future__ import annotations

import smtplib
import ssl
import threading
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import unquote, urlsplit

from kit.settings import Settings
from ticket_api.db import database, is_postgres
from ticket_api.mail import link_token
from ticket_api.telemetry import MAIL_FAILURES, MAILS_SENT
from ticket_api.timefields import to_epoch, utcnow

BATCH = 20
LEASE_SECONDS = 300
RETRY_FIRST, RETRY_MAX = 30.0, 3600.0
MAX_ATTEMPTS = 10
POLL_SECONDS = 1.0
SMTP_TIMEOUT = 30

CLAIM = (
    "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = {p} WHERE id IN ("
    "SELECT o.id FROM outbox o JOIN subscriber s ON s.id = o.subscriber_id "
    "WHERE o.sent_at IS NULL AND o.next_attempt_at <= {p} AND s.unsubscribed_at IS NULL "
    "AND s.email IS NOT NULL ORDER BY o.next_attempt_at, o.id LIMIT {p}{lock}) "
    "RETURNING id, subscriber_id, attempts"
)


def retry_delay(attempts: int, first: float = RETRY_FIRST) -> float:
    """Seconds before the next try of a notice that failed its ``attempts``-th time."""
    return min(RETRY_MAX, first * 2 ** (attempts - 1))


def claim(now: int, limit: int = BATCH, lease: int = LEASE_SECONDS) -> list[dict]:
    """Take up to ``limit`` due notices for this worker; with what their mails need."""
    p = database.param
    if is_postgres():
        lock, atomic = " FOR UPDATE OF o SKIP LOCKED", database.atomic()
    else:
        lock, atomic = "", database.atomic(lock_type="IMMEDIATE")
    with atomic:
        claimed = database.execute_sql(
            CLAIM.format(p=p, lock=lock), [now + lease, now, limit]
        ).fetchall()
        if not claimed:
            return []
        marks = ", ".join([p] * len(claimed))
        rows = database.execute_sql(
            "SELECT o.id, o.subject, o.body, s.id, s.ticket_id, s.created_at, s.email, s.kind "
            f"FROM outbox o JOIN subscriber s ON s.id = o.subscriber_id WHERE o.id IN ({marks}) "
            "ORDER BY o.id",
            [row[0] for row in claimed],
        ).fetchall()
    attempts = {row[0]: row[2] for row in claimed}
    return [
        {
            "id": row[0],
            "subject": row[1],
            "body": row[2],
            "subscriber": {"id": row[3], "ticket_id": row[4], "created_at": row[5]},
            "email": row[6],
            "kind": row[7],
            "attempts": attempts[row[0]],
        }
        for row in rows
    ]


def compose(notice: dict, settings: Settings) -> EmailMessage:
    """The mail of a notice: its text, the subscriber's follow link and unsubscribe link."""
    follow = link_token(settings.mail_secret, "follow", notice["subscriber"])
    unsubscribe_url = (
        f"{settings.public_url}/unsubscribe/"
        f"{link_token(settings.mail_secret, 'unsubscribe', notice['subscriber'])}"
    )
    why = (
        "you left this address when you reported the problem"
        if notice["kind"] == "reporter"
        else "you asked for e-mails about this ticket"
    )
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = notice["email"]
    message["Subject"] = notice["subject"]
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=settings.mail_from.rpartition("@")[2] or None)
    message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    message.set_content(
        f"Hello,\n\n{notice['body']}\n"
        f"Open the ticket, read the conversation and answer:\n"
        f"{settings.public_url}/follow/{follow}\n\n"
        f"-- \nCampusDesk. You get this e-mail because {why}.\n"
        f"No more e-mails about this ticket: {unsubscribe_url}\n"
    )
    return message


def connect(url: str) -> smtplib.SMTP:
    """An SMTP session to the server of ``CAMPUSDESK_SMTP_URL``, logged in if it names a user."""
    parts = urlsplit(url)
    if parts.scheme == "smtps":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            parts.hostname,
            parts.port or 465,
            timeout=SMTP_TIMEOUT,
            context=ssl.create_default_context(),
        )
    else:
        default = 587 if parts.scheme == "smtp+starttls" else 25
        smtp = smtplib.SMTP(parts.hostname, parts.port or default, timeout=SMTP_TIMEOUT)
        if parts.scheme == "smtp+starttls":
            smtp.starttls(context=ssl.create_default_context())
    if parts.username:
        smtp.login(unquote(parts.username), unquote(parts.password or ""))
    return smtp


def mark_sent(notice_id: int) -> None:
    p = database.param
    with database.atomic():
        database.execute_sql(
            f"UPDATE outbox SET sent_at = {p}, next_attempt_at = NULL, last_error = NULL "
            f"WHERE id = {p}",
            [to_epoch(utcnow()), notice_id],
        )


def mark_failed(notice: dict, error: str, *, permanent: bool, first: float) -> None:
    """Record a failed attempt: due again after the backoff, or given up."""
    give_up = permanent or notice["attempts"] >= MAX_ATTEMPTS
    retry_at = (
        None if give_up else to_epoch(utcnow()) + round(retry_delay(notice["attempts"], first))
    )
    p = database.param
    with database.atomic():
        database.execute_sql(
            f"UPDATE outbox SET next_attempt_at = {p}, last_error = {p} WHERE id = {p}",
            [retry_at, error[:500], notice["id"]],
        )
    MAIL_FAILURES.labels("gave_up" if give_up else "retry").inc()


def send_due(settings: Settings, first: float = RETRY_FIRST) -> int:
    """Claim the due notices and send them; how many the mail server accepted."""
    notices = claim(to_epoch(utcnow()))
    if not notices:
        return 0
    sent = 0
    try:
        smtp = connect(settings.smtp_url)
    except (OSError, smtplib.SMTPException) as exc:
        for notice in notices:
            mark_failed(
                notice, f"connecting to the mail server: {exc}", permanent=False, first=first
            )
        return 0
    try:
        for index, notice in enumerate(notices):
            try:
                smtp.send_message(compose(notice, settings))
            except smtplib.SMTPRecipientsRefused as exc:
                codes = [code for code, _text in exc.recipients.values()]
                mark_failed(
                    notice,
                    f"address refused: {exc.recipients}",
                    permanent=all(500 <= code < 600 for code in codes),
                    first=first,
                )
                continue
            except smtplib.SMTPResponseException as exc:
                mark_failed(
                    notice,
                    f"{exc.smtp_code} {exc.smtp_error!r}",
                    permanent=500 <= exc.smtp_code < 600,
                    first=first,
                )
                continue
            except (OSError, smtplib.SMTPException) as exc:
                # The connection broke: this notice and the rest of the batch wait their turn.
                for rest in notices[index:]:
                    mark_failed(rest, f"sending: {exc!r}", permanent=False, first=first)
                return sent
            MAILS_SENT.inc()
            mark_sent(notice["id"])
            sent += 1
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
    return sent


def run(
    settings: Settings,
    stop: threading.Event,
    poll: float = POLL_SECONDS,
    first: float = RETRY_FIRST,
) -> None:
    """Send due notices until ``stop`` is set, looking again every ``poll`` seconds."""
    while not stop.is_set():
        try:
            busy = send_due(settings, first)
        finally:
            if not database.is_closed():
                database.close()
        if not busy:
            stop.wait(poll)

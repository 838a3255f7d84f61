"""E-mail notifications: whether they are set up, and the unsubscribe link of every mail."""

from __future__ import annotations

from flask import current_app

from kit.limits import EMAIL_MAX_LENGTH
from kit.openapi import ApiBlueprint
from ticket_api import mail
from ticket_api.db import write_transaction
from ticket_api.schemas import MailInfo, Subscription
from ticket_api.serialize import json_response

bp = ApiBlueprint("mail", __name__, url_prefix="/api")
TAGS = ("mail",)


@bp.operation("GET", "/mail", response=MailInfo, tags=TAGS)
def mail_info():
    """Whether this helpdesk sends e-mail notifications (`CAMPUSDESK_SMTP_URL`): the report
    form offers its e-mail field only then, and `POST /api/tickets` refuses `email` otherwise."""
    settings = current_app.config["CAMPUSDESK_SETTINGS"]
    return json_response(
        {"notifications": settings.mail_enabled, "email_max_length": EMAIL_MAX_LENGTH}
    )


@bp.operation("GET", "/unsubscribe/<token>", response=Subscription, errors=(404,), tags=TAGS)
def subscription(token: str):
    """What the unsubscribe link of a mail is about: its ticket, and whether mail still goes
    out. Changes nothing (mail programs open links to look at them)."""
    return json_response(mail.subscription(token))


@bp.operation("POST", "/unsubscribe/<token>", response=Subscription, errors=(404,), tags=TAGS)
def unsubscribe(token: str):
    """Stop the mails of this link's subscriber at once, the notices not yet sent included.
    Again later, it changes nothing and answers the same."""
    with write_transaction():
        return json_response(mail.unsubscribe(token))

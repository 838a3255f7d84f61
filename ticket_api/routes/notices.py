"""Campus notices: the helpdesk announces known problems; everyone reads the active ones."""

from __future__ import annotations

from flask import url_for

from kit.openapi import ApiBlueprint
from kit.problems import ApiProblem
from ticket_api import notices
from ticket_api.context import actor, load_actor
from ticket_api.schemas import NoticeCreate, NoticeList, NoticeOut, NoticeQuery
from ticket_api.serialize import json_response
from ticket_api.timefields import iso

bp = ApiBlueprint("notices", __name__, url_prefix="/api/notices")
bp.before_request(load_actor)
TAGS = ("notices",)


def notice_dict(notice) -> dict:
    """A notice as the API shows it."""
    return {
        "id": notice.id,
        "text": notice.text,
        "author_name": notice.author_name,
        "created_at": iso(notice.created_at),
        "ends_at": iso(notice.ends_at),
    }


@bp.operation("GET", "", query=NoticeQuery, response=NoticeList, errors=(403,), tags=TAGS)
def list_notices(query: NoticeQuery):
    """The campus notices showing now, newest first; with `matching`, only those the text
    seems to be about (sharing two of the notice's words, accents and case aside, or all of
    them when it has fewer). `ended=true` adds the ended ones, for the helpdesk."""
    if query.ended and not actor().is_helpdesk:
        raise ApiProblem(403, "Only the helpdesk sees the notices that have ended.")
    found = notices.everything() if query.ended else notices.active()
    if query.matching is not None:
        found = [n for n in found if notices.matches(n.text, query.matching)]
    return json_response({"items": [notice_dict(n) for n in found]})


@bp.operation(
    "POST",
    "",
    body=NoticeCreate,
    response=NoticeOut,
    status=201,
    headers=("Location",),
    errors=(403,),
    tags=TAGS,
)
def post_notice(body: NoticeCreate):
    """Announce a known problem to everyone (helpdesk only), until `ends_at` or until it is
    taken down."""
    notice = notices.post(body.text, body.ends_at, actor())
    location = url_for("notices.list_notices")
    return json_response(notice_dict(notice), 201, {"Location": location})


@bp.operation("DELETE", "/<int:notice_id>", status=204, errors=(403, 404), tags=TAGS)
def remove_notice(notice_id: int):
    """Take a notice down (helpdesk only)."""
    notices.remove(notice_id, actor())
    return "", 204

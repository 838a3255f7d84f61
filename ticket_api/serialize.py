"""Rows to JSON-ready dicts, and JSON responses written with orjson."""

from __future__ import annotations

from flask import Response, url_for

from kit.jsonio import json_response
from ticket_api.models import Message, Note
from ticket_api.timefields import iso

TICKET_FIELDS = (
    "id",
    "title",
    "description",
    "location",
    "reporter_name",
    "status",
    "category",
    "category_confidence",
    "category_source",
    "opened_at",
    "modified_at",
    "closed_at",
    "version",
    "first_response_at",
)
#: Columns read with TICKET_FIELDS that the API keeps itself: "reported_by" (the reporter
#: and the followers, shown derived), "merged_into" and "photos" (how many the ticket has).
KEPT_COLUMNS = ("followers", "merged_into", "photos")


def ticket_dict(row) -> dict:
    """A ticket (model instance or row dict) as the API shows it."""
    get = row.get if isinstance(row, dict) else (lambda name: getattr(row, name))
    out = {name: get(name) for name in TICKET_FIELDS}
    for name in ("opened_at", "modified_at", "closed_at", "first_response_at"):
        out[name] = iso(out[name])
    out["reported_by"] = 1 + (get("followers") or 0)
    out["merged_into"] = get("merged_into")
    out["photos"] = get("photos") or 0
    return out


def message_dict(row) -> dict:
    """A message as the API shows it."""
    return {
        "id": row.id,
        "ticket_id": row.ticket_id,
        "body": row.body,
        "author_role": row.author_role,
        "author_name": row.author_name,
        "created_at": iso(row.created_at),
    }


#: The routes of a photo and its thumbnail, by the blueprint that lists it.
PHOTO_ENDPOINTS = {
    "photos": ("photos.get_photo", "photos.get_thumbnail"),
    "follow_photos": ("follow_photos.get_followed_photo", "follow_photos.get_followed_thumbnail"),
}


def photo_dict(row, listed: str = "photos", **route) -> dict:
    """A photo as the API shows it, with the addresses of the file and its thumbnail
    through the route it was listed by (the ticket's or its follow link's)."""
    full, thumbnail = PHOTO_ENDPOINTS[listed]
    return {
        "id": row.id,
        "ticket_id": row.ticket_id,
        "message_id": row.message_id,
        "content_type": row.content_type,
        "width": row.width,
        "height": row.height,
        "bytes": row.bytes,
        "created_at": iso(row.created_at),
        "url": url_for(full, photo_id=row.id, **route),
        "thumbnail_url": url_for(thumbnail, photo_id=row.id, **route),
    }


def note_dict(row) -> dict:
    """An internal note as the API shows it (to helpdesk staff only)."""
    return {
        "id": row.id,
        "ticket_id": row.ticket_id,
        "body": row.body,
        "author_name": row.author_name,
        "created_at": iso(row.created_at),
    }


def change_dict(row) -> dict:
    """A history entry as the API shows it."""
    return {
        "at": iso(row.at),
        "role": row.role,
        "name": row.name,
        "field": row.field,
        "old_value": row.old_value,
        "new_value": row.new_value,
    }


def ticket_response(ticket, status: int = 200, headers: dict | None = None, **extra) -> Response:
    """One ticket with its ``ETag`` (and any ``extra`` members)."""
    body = ticket_dict(ticket) | extra
    headers = {"ETag": f'"{body["version"]}"', **(headers or {})}
    return json_response(body, status, headers)


def thread_page(ticket_id: int, after_id: int, limit: int, notes: bool = False) -> Response:
    """A ticket's messages (or, with ``notes``, its internal notes) newer than after_id, at
    most limit of them, saying whether more follow (``has_more``) and where to go on
    (``next_after_id``)."""
    model, to_dict = (Note, note_dict) if notes else (Message, message_dict)
    # One row more than asked for says whether more follow, without counting the thread.
    rows = list(model.thread(ticket_id, after_id, limit + 1))
    has_more = len(rows) > limit
    rows = rows[:limit]
    return json_response(
        {
            "items": [to_dict(m) for m in rows],
            "has_more": has_more,
            "next_after_id": rows[-1].id if has_more else None,
        }
    )

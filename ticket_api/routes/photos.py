"""Photos under a ticket: sent as multipart/form-data, listed, and served (full size and
thumbnail) to whoever may see the ticket, through its number or its follow link."""

from __future__ import annotations

from flask import current_app, request, send_file

from kit.openapi import ApiBlueprint
from kit.problems import ApiProblem
from ticket_api import follow, photos, ratelimit, workflow
from ticket_api.context import actor, load_actor
from ticket_api.models import Photo, Ticket
from ticket_api.schemas import PhotoList, PhotoUpload
from ticket_api.serialize import json_response, photo_dict

bp = ApiBlueprint("photos", __name__, url_prefix="/api/tickets/<int:ticket_id>/photos")
bp.before_request(load_actor)
follow_bp = ApiBlueprint("follow_photos", __name__, url_prefix="/api/follow/<token>/photos")
TAGS = ("photos",)
#: Photos never change (a new photo gets a new id): browsers keep them, for the person only.
CACHE_CONTROL = "private, max-age=31536000, immutable"
IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp")
#: How every route that answers with an image declares itself.
IMAGE_SPEC = {"errors": (404,), "tags": TAGS, "binary": IMAGE_TYPES, "headers": ("ETag",)}
#: The endpoints that take photos, with their larger body limit (ticket_api/__init__.py).
UPLOAD_ENDPOINTS = ("photos.upload_photos", "follow_photos.upload_followed_photos")


def _message_id() -> int | None:
    raw = request.form.get("message_id", "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise ApiProblem(
            422,
            "message_id must be the number of a message of the ticket.",
            errors=[{"field": "message_id", "message": "must be a message number"}],
        )
    return int(raw)


def _upload(ticket: Ticket, listed: str, **route) -> object:
    """Check, store and describe the photos of the request (all or none)."""
    if request.mimetype != "multipart/form-data":
        raise ApiProblem(415, "Send the photos as multipart/form-data, in the field “photos”.")
    ratelimit.check("messages")
    files = [f for f in request.files.getlist("photos") if f.filename or f.mimetype]
    photos.check_count(len(files))
    message_id = _message_id()
    encoded = [
        photos.encode(f.stream.read(photos.PHOTO_MAX_BYTES + 1), i, f.filename or "")
        for i, f in enumerate(files)
    ]
    rows = photos.add_photos(ticket, message_id, encoded)
    body = {"items": [photo_dict(row, listed, **route) for row in rows]}
    return json_response(body, 201)


def _serve(photo: Photo, thumbnail: bool):
    settings = current_app.config["CAMPUSDESK_SETTINGS"]
    path = photos.file_path(settings.data_dir, photo.file_id, photo.content_type, thumbnail)
    if not path.is_file():
        raise ApiProblem(404, f"The file of photo {photo.id} is missing.")
    response = send_file(path, mimetype=photo.content_type, max_age=31536000, conditional=True)
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline"
    return response


UPLOAD_SPEC = dict(
    multipart=PhotoUpload,
    response=PhotoList,
    status=201,
    errors=(404, 409, 413, 415, 422, 429),
    tags=TAGS,
)


@bp.operation("POST", "", **UPLOAD_SPEC)
def upload_photos(ticket_id: int):
    """Attach up to 3 photos (JPEG, PNG or WebP, 8 MiB each) to an open or active ticket.

    Sent as multipart/form-data: the files in the field `photos` (repeated), and
    `message_id` to attach them to a message of the ticket (else to the report itself).
    Each photo is checked by its content (415 for anything else, 413 over 8 MiB, 422 for
    more than 3) and stored re-encoded, without its EXIF data (GPS position included), the
    right way up. Either every photo of the request is stored or none is. Rate limited as
    messages are (429 with `Retry-After`); the request has its own body limit
    (`CAMPUSDESK_MAX_PHOTO_BODY_BYTES`, 25 MiB by default).
    """
    ticket = workflow.get_ticket(ticket_id, actor())
    return _upload(ticket, "photos", ticket_id=ticket.id)


@bp.operation("GET", "", response=PhotoList, errors=(404,), tags=TAGS)
def list_photos(ticket_id: int):
    """A ticket's photos, oldest first: size, type, the message each belongs to (null for
    the report's own), and the addresses of the photo and its thumbnail."""
    ticket = workflow.get_ticket(ticket_id, actor())
    items = [photo_dict(p, "photos", ticket_id=ticket.id) for p in photos.photos_of(ticket.id)]
    return json_response({"items": items})


@bp.operation("GET", "/<int:photo_id>", **IMAGE_SPEC)
def get_photo(ticket_id: int, photo_id: int):
    """One photo of a ticket the caller may see, in its stored type (JPEG, PNG or WebP)."""
    ticket = workflow.get_ticket(ticket_id, actor())
    return _serve(photos.get_photo(ticket.id, photo_id), thumbnail=False)


@bp.operation("GET", "/<int:photo_id>/thumbnail", **IMAGE_SPEC)
def get_thumbnail(ticket_id: int, photo_id: int):
    """The thumbnail of a photo (at most 320 pixels a side), in the photo's type."""
    ticket = workflow.get_ticket(ticket_id, actor())
    return _serve(photos.get_photo(ticket.id, photo_id), thumbnail=True)


@follow_bp.operation("POST", "", **{**UPLOAD_SPEC, "errors": (403, 404, 409, 413, 415, 422, 429)})
def upload_followed_photos(token: str):
    """Attach up to 3 photos to the ticket of a follow link, as `POST
    /api/tickets/{id}/photos` does; for a link that may answer (403 otherwise)."""
    link = follow.link_of(token)
    link.require("answer", "This link may not add photos to the ticket.")
    return _upload(link.ticket, "follow_photos", token=token)


@follow_bp.operation("GET", "", response=PhotoList, errors=(404,), tags=TAGS)
def list_followed_photos(token: str):
    """The photos of the ticket of a follow link, in any status, as `GET
    /api/tickets/{id}/photos` lists them."""
    ticket = follow.ticket_of(token)
    items = [photo_dict(p, "follow_photos", token=token) for p in photos.photos_of(ticket.id)]
    return json_response({"items": items})


@follow_bp.operation("GET", "/<int:photo_id>", **IMAGE_SPEC)
def get_followed_photo(token: str, photo_id: int):
    """One photo of the ticket of a follow link, in any status."""
    ticket = follow.ticket_of(token)
    return _serve(photos.get_photo(ticket.id, photo_id), thumbnail=False)


@follow_bp.operation("GET", "/<int:photo_id>/thumbnail", **IMAGE_SPEC)
def get_followed_thumbnail(token: str, photo_id: int):
    """The thumbnail of a photo of the ticket of a follow link."""
    ticket = follow.ticket_of(token)
    return _serve(photos.get_photo(ticket.id, photo_id), thumbnail=True)

"""Photos of the broken thing: checked by their content (never their name), re-encoded so
that no EXIF data (a phone's GPS position included) survives, the EXIF orientation applied
first, and kept with a thumbnail in the data folder under a random name.

A photo belongs to a ticket, and to one of its messages or to the report itself; whoever may
see the ticket may see its photos (ticket_api/models.py). The files live in
``<data folder>/photos/``: every API instance serving one database must share that folder
(docs/deployment.md). Rows and the ticket's count change in one transaction; files are
written before it and removed when it fails, and removed after the rows are gone."""

from __future__ import annotations

import io
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError

from kit.limits import (
    PHOTO_MAX_BYTES,
    PHOTO_MAX_PIXELS,
    PHOTO_TYPES,
    PHOTOS_PER_REQUEST,
    PHOTOS_PER_TICKET,
    THUMBNAIL_SIDE,
)
from kit.problems import ApiProblem, limit_text
from ticket_api.db import database, write_transaction
from ticket_api.models import PHOTO_STATUSES, Message, Photo, Ticket
from ticket_api.timefields import utcnow

#: The file name ending of each stored content type.
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
#: How each format is written again (no EXIF, no XMP, no comments: only the pixels).
SAVE_OPTIONS = {
    "JPEG": {"quality": 85, "optimize": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 85},
}
ACCEPTED_TEXT = "a JPEG, PNG or WebP photo"
#: The largest id a database integer holds.
MAX_ID = 2**63 - 1


@dataclass(frozen=True)
class Encoded:
    """A photo made ready to store: the clean image and its thumbnail, as bytes."""

    content_type: str
    width: int
    height: int
    image: bytes
    thumbnail: bytes


def folder(data_dir: Path) -> Path:
    """Where the photo files of a data folder live."""
    return Path(data_dir) / "photos"


def file_path(data_dir: Path, file_id: str, content_type: str, thumbnail: bool = False) -> Path:
    """The file of a photo (or of its thumbnail)."""
    suffix = ".thumb" if thumbnail else ""
    return folder(data_dir) / f"{file_id}{suffix}.{EXTENSIONS[content_type]}"


def _refused(status: int, index: int, name: str, message: str) -> ApiProblem:
    shown = f"“{name[:80]}”" if name else f"photo {index + 1}"
    return ApiProblem(
        status,
        f"{shown[0].upper()}{shown[1:]} {message}.",
        errors=[{"field": f"photos[{index}]", "message": message}],
    )


def _open(data: bytes, index: int, name: str) -> Image.Image:
    """The image in data, decoded; a 415 problem for anything but an accepted format, a 413
    problem for more pixels than PHOTO_MAX_PIXELS."""
    not_image = f"is not {ACCEPTED_TEXT} (HEIC and other formats are not accepted)"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=tuple(PHOTO_TYPES))
            if image.width * image.height > PHOTO_MAX_PIXELS:
                raise _refused(413, index, name, "has more pixels than a photo may have")
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refused(413, index, name, "has more pixels than a photo may have") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise _refused(415, index, name, not_image) from None
    return image


def _clean(image: Image.Image) -> Image.Image:
    """The pixels of image the right way up, with no metadata at all."""
    upright = ImageOps.exif_transpose(image)
    keeps_alpha = image.format != "JPEG" and (
        upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    )
    clean = upright.convert("RGBA" if keeps_alpha else "RGB")
    clean.info = {}
    return clean


def _bytes(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **SAVE_OPTIONS[fmt])
    return out.getvalue()


def encode(data: bytes, index: int = 0, name: str = "") -> Encoded:
    """Check one uploaded photo by its content and re-encode it with its thumbnail."""
    if len(data) > PHOTO_MAX_BYTES:
        raise _refused(413, index, name, f"is larger than {limit_text(PHOTO_MAX_BYTES)}")
    if not data:
        raise _refused(415, index, name, "is empty")
    image = _open(data, index, name)
    fmt = image.format
    clean = _clean(image)
    thumb = clean.copy()
    thumb.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    return Encoded(
        content_type=PHOTO_TYPES[fmt],
        width=clean.width,
        height=clean.height,
        image=_bytes(clean, fmt),
        thumbnail=_bytes(thumb, fmt),
    )


def check_count(count: int) -> None:
    """A 422 problem unless count photos may be sent in one request."""
    if count == 0:
        raise ApiProblem(
            422,
            "Choose at least one photo to send, in the form field “photos”.",
            errors=[{"field": "photos", "message": "no photo was sent"}],
        )
    if count > PHOTOS_PER_REQUEST:
        raise ApiProblem(
            422,
            f"At most {PHOTOS_PER_REQUEST} photos can be sent at once; {count} were chosen.",
            errors=[{"field": "photos", "message": f"at most {PHOTOS_PER_REQUEST} photos"}],
        )


def _data_dir() -> Path:
    return current_app.config["CAMPUSDESK_SETTINGS"].data_dir


def _write(path: Path, data: bytes) -> None:
    # Written under a temporary name and renamed: a reader never sees half a photo.
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(data)
    partial.replace(path)


def remove_files(data_dir: Path, rows) -> None:
    """Remove the files of photos (rows with file_id and content_type), if still there."""
    for file_id, content_type in rows:
        for thumbnail in (False, True):
            file_path(data_dir, file_id, content_type, thumbnail).unlink(missing_ok=True)


def _check_target(ticket: Ticket, message_id: int | None, count: int) -> None:
    if ticket.status not in PHOTO_STATUSES:
        raise ApiProblem(409, f"Ticket {ticket.id} is {ticket.status}: no photo can be added.")
    if ticket.photos + count > PHOTOS_PER_TICKET:
        left = max(0, PHOTOS_PER_TICKET - ticket.photos)
        raise ApiProblem(
            422,
            f"A ticket holds at most {PHOTOS_PER_TICKET} photos; ticket {ticket.id} has room "
            f"for {left} more.",
            errors=[{"field": "photos", "message": f"room for {left} more"}],
        )
    if message_id is not None and (
        Message.get_or_none((Message.id == message_id) & (Message.ticket == ticket.id)) is None
    ):
        raise ApiProblem(
            422,
            f"Ticket {ticket.id} has no message {message_id}.",
            errors=[{"field": "message_id", "message": "not a message of this ticket"}],
        )


def add_photos(ticket: Ticket, message_id: int | None, photos: list[Encoded]) -> list[Photo]:
    """Store checked photos under a ticket (or one of its messages), all or none."""
    data_dir = _data_dir()
    folder(data_dir).mkdir(parents=True, exist_ok=True)
    stored = []
    try:
        for photo in photos:
            file_id = secrets.token_hex(16)
            stored.append((file_id, photo.content_type))
            _write(file_path(data_dir, file_id, photo.content_type), photo.image)
            _write(file_path(data_dir, file_id, photo.content_type, True), photo.thumbnail)
        now = utcnow()
        with write_transaction():
            ticket = Ticket.get_by_id(ticket.id)
            _check_target(ticket, message_id, len(photos))
            rows = [
                Photo.create(
                    ticket=ticket.id,
                    message=message_id,
                    file_id=file_id,
                    content_type=photo.content_type,
                    width=photo.width,
                    height=photo.height,
                    bytes=len(photo.image),
                    created_at=now,
                )
                for (file_id, _), photo in zip(stored, photos)
            ]
            Ticket.update(photos=Ticket.photos + len(rows)).where(Ticket.id == ticket.id).execute()
    except BaseException:
        remove_files(data_dir, stored)
        raise
    return rows


def photos_of(ticket_id: int) -> list[Photo]:
    """A ticket's photos, oldest first."""
    return list(Photo.select().where(Photo.ticket == ticket_id).order_by(Photo.id))


def get_photo(ticket_id: int, photo_id: int) -> Photo:
    """One photo of a ticket, or a 404 problem."""
    photo = None
    if 0 < photo_id <= MAX_ID:
        photo = Photo.get_or_none((Photo.id == photo_id) & (Photo.ticket == ticket_id))
    if photo is None:
        raise ApiProblem(404, f"Ticket {ticket_id} has no photo {photo_id}.")
    return photo


def files_of_tickets(where: str, params: list) -> list[tuple[str, str]]:
    """The files (file_id, content_type) of the photos of the tickets whose id is in the
    SQL subquery where."""
    cursor = database.execute_sql(
        f"SELECT file_id, content_type FROM photo WHERE ticket_id IN ({where})", params
    )
    return [tuple(row) for row in cursor.fetchall()]

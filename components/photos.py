"""Photos: the picker of the report form and of the message composer (which on a phone offers
the camera), and the thumbnails of a ticket's photos that open the full photo."""

from __future__ import annotations

from dash import dcc, html

from components.common import icon

#: The ids of a picker's parts, by the form it belongs to ("report" or "message").
PHOTO_UPLOAD = "{form}-photo-upload"
PHOTO_CHOSEN = "{form}-photo-chosen"
PHOTO_STORE = "{form}-photo-store"
PHOTO_PICKER_ALERT = "{form}-photo-alert"
PHOTO_LIMITS = "{form}-photo-limits"
#: The remove buttons of the chosen photos, which the browser draws (choosePhotos in
#: assets/campusdesk/campusdesk.js): {"type": PHOTO_REMOVE, "form": form, "index": n}.
PHOTO_REMOVE = "photo-remove"
PHOTO_GALLERY = "photo-gallery"
PHOTO_GALLERY_IDS = "photo-gallery-ids"
#: What the picker says it takes (the API checks each photo's content: kit/limits.py).
PICKER_HINT = "Up to 3 photos (JPEG, PNG or WebP, 8 MB each)."


def ids(form: str) -> dict[str, str]:
    """The component ids of the picker of form."""
    return {
        "upload": PHOTO_UPLOAD.format(form=form),
        "chosen": PHOTO_CHOSEN.format(form=form),
        "store": PHOTO_STORE.format(form=form),
        "alert": PHOTO_PICKER_ALERT.format(form=form),
        "limits": PHOTO_LIMITS.format(form=form),
    }


def photo_picker(form: str, compact: bool = False) -> html.Div:
    """A button that opens the phone's camera or the file chooser (accept="image/*"), the
    chosen photos with a way to remove each, and the store that keeps them until sent."""
    parts = ids(form)
    button = html.Span(
        [icon("bi-camera", "me-1"), "Add photos"],
        className="btn btn-outline-secondary btn-sm",
    )
    return html.Div(
        [
            dcc.Upload(
                button,
                id=parts["upload"],
                accept="image/*",
                multiple=True,
                className="d-inline-block photo-upload",
            ),
            html.Small(PICKER_HINT, className="text-body-secondary d-block mt-1 photo-hint"),
            html.Div(id=parts["alert"], **{"aria-live": "polite"}),
            html.Ul(id=parts["chosen"], className="photo-chosen list-unstyled mb-0"),
            dcc.Store(id=parts["store"], data=[]),
            dcc.Store(id=parts["limits"]),
        ],
        className="photo-picker" + ("" if compact else " mb-3"),
    )


def photo_caption(photo: dict, messages_at: dict | None = None) -> str:
    """What a photo goes with: the report itself, or a message."""
    if photo.get("message_id") is None:
        return "With the ticket"
    when = (messages_at or {}).get(photo["message_id"])
    return f"With a message of {when}" if when else "With a message"


def photo_thumbnail(photo: dict, thumb_src: str, full_src: str, caption: str) -> html.Figure:
    """A thumbnail that opens the full photo."""
    return html.Figure(
        [
            html.A(
                html.Img(
                    src=thumb_src,
                    alt=f"Photo {photo['id']}, {caption.lower()}",
                    className="photo-thumb",
                ),
                href=full_src,
                target="_blank",
                rel="noopener",
                title="Open the full photo",
                className="photo-link",
            ),
            html.Figcaption(caption, className="small text-body-secondary"),
        ],
        className="photo-figure mb-0",
    )


def photo_gallery(figures: list) -> list:
    """The thumbnails of a ticket's photos, or nothing when it has none."""
    if not figures:
        return []
    return [
        html.H3([icon("bi-images", "me-2"), "Photos"], className="h6"),
        html.Div(figures, className="d-flex flex-wrap gap-2 photo-gallery"),
    ]


def photos_label(count) -> str:
    """The grid's photo column: a camera and the number, or nothing."""
    return f"📷 {count}" if count else ""


def photos_tip(count) -> str:
    """The same, in words (the cell's tooltip)."""
    return f"{count} photo{'' if count == 1 else 's'}" if count else "No photos"

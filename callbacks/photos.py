"""Photos in the dashboard: the pickers (in the browser), sending the chosen photos after the
report or message they go with, and the thumbnails of a ticket's photos."""

from __future__ import annotations

import base64
import binascii

from dash import (
    ALL,
    ClientsideFunction,
    Input,
    Output,
    State,
    callback,
    clientside_callback,
    no_update,
)

from components.common import error_alert
from components.messages import LAST_ID, PHOTO_POLL, POKE
from components.photos import (
    PHOTO_GALLERY,
    PHOTO_GALLERY_IDS,
    PHOTO_REMOVE,
    ids,
    photo_caption,
    photo_gallery,
    photo_thumbnail,
)
from components.ticket_detail import TICKET_ID, TICKET_ROLE
from dash_app import api_client
from dash_app.api_client import ApiError
from dash_app.photos import photo_path
from kit.limits import PHOTO_MAX_BYTES, PHOTO_TYPES, PHOTOS_PER_REQUEST

FORMS = ("report", "message")
#: What the browser checks before anything is sent (the API checks again, by content).
LIMITS = {
    "per_request": PHOTOS_PER_REQUEST,
    "max_bytes": PHOTO_MAX_BYTES,
    "types": sorted(set(PHOTO_TYPES.values())),
}

for _form in FORMS:
    _ids = ids(_form)
    clientside_callback(
        ClientsideFunction(namespace="campusdesk", function_name="choosePhotos"),
        Output(_ids["store"], "data"),
        Output(_ids["chosen"], "children"),
        Output(_ids["alert"], "children"),
        Output(_ids["upload"], "contents"),
        Input(_ids["upload"], "contents"),
        Input({"type": PHOTO_REMOVE, "form": _form, "index": ALL}, "n_clicks"),
        Input(_ids["limits"], "data"),
        State(_ids["upload"], "filename"),
        State(_ids["store"], "data"),
        State(_ids["store"], "id"),
        prevent_initial_call=True,
    )

    @callback(Output(_ids["limits"], "data"), Input(_ids["limits"], "id"))
    def offer_photo_limits(_id):
        """Tell the picker what the API takes, so that it refuses the rest at once."""
        return LIMITS


def decoded(chosen: list[dict] | None) -> list[tuple[str, bytes]]:
    """The chosen photos (name and data: URL, as the picker keeps them) as name and bytes;
    what cannot be decoded is left to the API to refuse, as empty."""
    photos = []
    for photo in chosen or []:
        src = str(photo.get("src") or "")
        try:
            data = base64.b64decode(src.partition(",")[2], validate=True)
        except (binascii.Error, ValueError):
            data = b""
        photos.append((str(photo.get("name") or "photo")[:120], data))
    return photos


def send_photos(client, ticket_ref, chosen, message_id: int | None = None, then: str = ""):
    """Upload the chosen photos after their report or message; None when done, else the
    alert that says why they were refused (the report or message itself is kept) and then
    what to do."""
    photos = decoded(chosen)
    if not photos:
        return None
    try:
        client.upload_photos(ticket_ref, photos, message_id)
    except ApiError as error:
        return error_alert(
            "The photos were not added.",
            f"{error.detail} {then}".strip(),
            color="warning",
            className="py-2 small mt-2",
        )
    return None


def gallery(photos: list[dict], ticket_ref, role: str) -> list:
    """The thumbnails of a ticket's photos, each opening the full photo, from the dashboard's
    photo route."""
    figures = [
        photo_thumbnail(
            photo,
            photo_path(ticket_ref, photo["id"], role, thumbnail=True),
            photo_path(ticket_ref, photo["id"], role),
            photo_caption(photo),
        )
        for photo in photos
    ]
    return photo_gallery(figures)


@callback(
    Output(PHOTO_GALLERY, "children"),
    Output(PHOTO_GALLERY_IDS, "data"),
    Input(TICKET_ID, "data"),
    Input(LAST_ID, "data"),
    Input(POKE, "data"),
    Input(PHOTO_POLL, "n_intervals"),
    State(PHOTO_GALLERY_IDS, "data"),
    State(TICKET_ROLE, "data"),
)
def update_photo_gallery(ticket_ref, _last_message, _poke, _ticks, shown, role):
    """Show the ticket's photos, again only when they changed: asked for when the page
    opens, when new messages come (photos usually come with one), when this page sends
    some, and every PHOTO_POLL_MS for photos added alone from elsewhere."""
    if ticket_ref is None:
        return no_update, no_update
    try:
        photos = api_client.for_role(role).photos(ticket_ref)
    except ApiError:
        # the thread says when the ticket cannot be read; the photos just wait
        return no_update, no_update
    now = [photo["id"] for photo in photos]
    if now == shown:
        return no_update, no_update
    return gallery(photos, ticket_ref, role), now

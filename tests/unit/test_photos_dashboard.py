"""The photo picker, the photos sent after a message, and the thumbnails of a ticket."""

from __future__ import annotations

import base64

from dash import dcc, html, no_update

from callbacks import messages, photos
from components import photos as photo_components
from tests.unit.dash_fakes import FakeResponse, FakeSession, dashboard, problem, triggered

MESSAGE = {
    "id": 7,
    "ticket_id": 42,
    "body": "Here",
    "author_role": "user",
    "author_name": None,
    "created_at": "2026-11-30T10:00:00Z",
}
PHOTO = {
    "id": 3,
    "ticket_id": 42,
    "message_id": None,
    "content_type": "image/jpeg",
    "width": 640,
    "height": 480,
    "bytes": 5000,
    "created_at": "2026-11-30T10:00:00Z",
    "url": "/api/tickets/42/photos/3",
    "thumbnail_url": "/api/tickets/42/photos/3/thumbnail",
}
CHOSEN = [
    {"name": "tap.jpg", "src": "data:image/jpeg;base64," + base64.b64encode(b"JPEG").decode()}
]


def walk(component):
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str):
            yield from walk(child)


def test_the_picker_offers_the_camera_and_several_photos():
    picker = photo_components.photo_picker("report")
    upload = next(c for c in walk(picker) if isinstance(c, dcc.Upload))
    assert upload.accept == "image/*" and upload.multiple is True
    assert upload.id == "report-photo-upload"
    assert {c.id for c in walk(picker) if isinstance(c, dcc.Store)} == {
        "report-photo-store",
        "report-photo-limits",
    }


def test_a_thumbnail_opens_the_full_photo_and_says_what_it_goes_with():
    figure = photo_components.photo_thumbnail(PHOTO, "/t", "/f", "With the ticket")
    link = next(c for c in walk(figure) if isinstance(c, html.A))
    image = next(c for c in walk(figure) if isinstance(c, html.Img))
    assert link.href == "/f" and image.src == "/t" and "with the ticket" in image.alt
    assert photo_components.photo_caption({"message_id": 7}) == "With a message"
    assert photo_components.photos_label(0) == "" and photo_components.photos_label(2) == "📷 2"
    assert photo_components.photos_tip(1) == "1 photo"


def test_chosen_photos_are_decoded_and_broken_ones_left_for_the_api_to_refuse():
    assert photos.decoded(CHOSEN) == [("tap.jpg", b"JPEG")]
    assert photos.decoded([{"name": "x.jpg", "src": "data:image/jpeg;base64,%%%"}]) == [
        ("x.jpg", b"")
    ]
    assert photos.decoded(None) == []


def test_a_message_goes_first_then_its_photos_and_the_picker_empties():
    session = FakeSession(
        {
            ("POST", "/tickets/42/messages"): FakeResponse(201, MESSAGE),
            ("POST", "/tickets/42/photos"): FakeResponse(201, {"items": [PHOTO]}),
        }
    )
    with dashboard(session), triggered("message-send.n_clicks", 1):
        out = messages.on_send_message(1, None, "Here", 42, "user", None, 0, CHOSEN)
    assert out == ("", 1, None, [], [])
    sent = session.calls[1]
    assert sent["path"] == "/tickets/42/photos" and sent["data"] == {"message_id": "7"}
    assert sent["files"] == [("photos", ("tap.jpg", b"JPEG"))]


def test_a_refused_photo_is_explained_and_stays_chosen():
    refusal = problem(415, "Unsupported Media Type", "“tap.jpg” is not a JPEG, PNG or WebP photo.")
    session = FakeSession(
        {
            ("POST", "/tickets/42/messages"): FakeResponse(201, MESSAGE),
            ("POST", "/tickets/42/photos"): refusal,
        }
    )
    with dashboard(session), triggered("message-send.n_clicks", 1):
        value, poke, alert, store, chosen = messages.on_send_message(
            1, None, "Here", 42, "user", None, 0, CHOSEN
        )
    assert value == "" and poke == 1  # the message itself went
    assert "not a JPEG" in str(alert.to_plotly_json())
    assert store is no_update and chosen is no_update


def test_photos_alone_go_to_the_ticket_without_a_message():
    session = FakeSession({("POST", "/tickets/42/photos"): FakeResponse(201, {"items": [PHOTO]})})
    with dashboard(session), triggered("message-send.n_clicks", 1):
        out = messages.on_send_message(1, None, "  ", 42, "user", None, 0, CHOSEN)
    assert out[3:] == ([], [])
    assert [c["path"] for c in session.calls] == ["/tickets/42/photos"]
    assert session.calls[0]["data"] is None


def test_the_gallery_shows_thumbnails_from_the_dashboard_and_only_changes_when_photos_do():
    session = FakeSession({("GET", "/tickets/42/photos"): FakeResponse(200, {"items": [PHOTO]})})
    with dashboard(session):
        children, shown = photos.update_photo_gallery(42, 1, 0, 0, None, "helpdesk")
        again = photos.update_photo_gallery(42, 2, 0, 0, shown, "helpdesk")
    assert shown == [3] and again == (no_update, no_update)
    text = str([c.to_plotly_json() for c in children])
    assert "/photos/helpdesk/42/3/thumbnail" in text and "/photos/helpdesk/42/3'" in text


def test_the_dashboard_serves_a_photo_from_the_api_with_the_role_of_the_page():
    session = FakeSession(
        {
            ("GET", "/tickets/42/photos/3/thumbnail"): FakeResponse(
                200, "pixels", content_type="image/webp"
            ),
            ("GET", "/tickets/42/photos/4"): problem(404, "Not found", "Ticket 42 has no photo 4."),
        }
    )
    with dashboard(session) as app:
        client = app.server.test_client()
        served = client.get("/photos/helpdesk/42/3/thumbnail")
        assert served.status_code == 200 and served.mimetype == "image/webp"
        assert served.headers["X-Content-Type-Options"] == "nosniff"
        assert served.headers["Cache-Control"].startswith("private")
        assert session.calls[-1]["headers"]["X-Role"] == "helpdesk"
        missing = client.get("/photos/user/42/4")
        assert missing.status_code == 404 and session.calls[-1]["headers"]["X-Role"] == "user"
        # a role the pages do not have, or a ticket that is not a number, asks the API nothing
        calls = len(session.calls)
        assert client.get("/photos/admin/42/3").status_code == 404
        assert client.get("/photos/user/abc/3").status_code == 404
        assert len(session.calls) == calls

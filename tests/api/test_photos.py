"""Photos of the broken thing: checked by content, stripped of EXIF (GPS included), kept with a
thumbnail under a random name, and served only to whoever may see the ticket."""

from __future__ import annotations

import io

from PIL import Image

from kit.limits import PHOTO_MAX_BYTES, PHOTOS_PER_TICKET
from tests.api.helpers import HELPDESK, USER, advance, assert_problem, create

GPS_TAG = 0x8825
ORIENTATION_TAG = 0x0112


def image_bytes(fmt: str = "JPEG", size=(64, 48), color=(200, 30, 30), exif=None) -> bytes:
    """An image of this format, with EXIF data when given."""
    out = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, color).save(out, format=fmt, **options)
    return out.getvalue()


def gps_exif(orientation: int | None = None) -> Image.Exif:
    """EXIF data with a GPS position (the Politecnico di Milano), as a phone writes it."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[GPS_TAG] = {1: "N", 2: (45.0, 28.0, 42.0), 3: "E", 4: (9.0, 13.0, 38.0)}
    if orientation is not None:
        exif[ORIENTATION_TAG] = orientation
    return exif


def upload(client, path: str, *files, headers=USER, **form):
    """POST files (name, bytes) as multipart/form-data to path."""
    data = {"photos": [(io.BytesIO(content), name) for name, content in files], **form}
    return client.post(path, data=data, headers=headers, content_type="multipart/form-data")


def stored_files(settings) -> list:
    folder = settings.data_dir / "photos"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_jpeg_png_and_webp_are_stored_and_listed(client, settings):
    ticket = create(client)
    response = upload(
        client,
        f"/api/tickets/{ticket['id']}/photos",
        ("lift.jpg", image_bytes("JPEG")),
        ("door.png", image_bytes("PNG", (30, 20))),
        ("pipe.webp", image_bytes("WEBP", (20, 30))),
    )
    assert response.status_code == 201, response.json
    items = response.json["items"]
    assert [p["content_type"] for p in items] == ["image/jpeg", "image/png", "image/webp"]
    assert [(p["width"], p["height"]) for p in items] == [(64, 48), (30, 20), (20, 30)]
    assert all(p["message_id"] is None and p["bytes"] > 0 for p in items)
    listed = client.get(f"/api/tickets/{ticket['id']}/photos", headers=USER).json["items"]
    assert listed == items
    # files are named by a random id, never by the uploaded name
    names = [path.name for path in stored_files(settings)]
    assert len(names) == 6 and not any("lift" in n or "door" in n for n in names)
    shown = client.get(f"/api/tickets/{ticket['id']}", headers=USER).json
    assert shown["photos"] == 3
    grid = client.get("/api/tickets", headers=HELPDESK).json["items"]
    assert [t["photos"] for t in grid] == [3]


def test_a_photo_is_served_with_its_type_nosniff_and_a_private_cache(client):
    ticket = create(client)
    photo = upload(
        client, f"/api/tickets/{ticket['id']}/photos", ("x.png", image_bytes("PNG"))
    ).json["items"][0]
    full = client.get(photo["url"], headers=USER)
    assert full.status_code == 200 and full.mimetype == "image/png"
    assert full.headers["X-Content-Type-Options"] == "nosniff"
    assert full.headers["Cache-Control"].startswith("private, max-age=")
    assert Image.open(io.BytesIO(full.data)).size == (64, 48)
    thumb = client.get(photo["thumbnail_url"], headers=HELPDESK)
    assert thumb.status_code == 200 and thumb.mimetype == "image/png"


def test_exif_with_gps_is_stripped_and_the_orientation_applied(client, settings):
    ticket = create(client)
    # orientation 6: the camera was turned, the picture must be rotated a quarter turn
    sent = image_bytes("JPEG", (80, 40), exif=gps_exif(orientation=6))
    assert GPS_TAG in Image.open(io.BytesIO(sent)).getexif()
    photo = upload(client, f"/api/tickets/{ticket['id']}/photos", ("gps.jpg", sent)).json["items"][
        0
    ]
    assert (photo["width"], photo["height"]) == (40, 80)
    for path in stored_files(settings):
        stored = Image.open(path)
        assert not stored.getexif() and "exif" not in stored.info, path.name
        assert b"Exif" not in path.read_bytes() and b"PhoneMaker" not in path.read_bytes()
    served = client.get(photo["url"], headers=USER).data
    assert b"PhoneMaker" not in served and not Image.open(io.BytesIO(served)).getexif()


def test_a_text_file_named_jpg_is_refused_and_nothing_is_stored(client, settings):
    ticket = create(client)
    response = upload(
        client,
        f"/api/tickets/{ticket['id']}/photos",
        ("fine.jpg", image_bytes()),
        ("notes.jpg", b"This is only text, with a photo's name."),
    )
    body = assert_problem(response, 415)
    assert "notes.jpg" in body["detail"] and body["errors"][0]["field"] == "photos[1]"
    assert stored_files(settings) == []
    assert client.get(f"/api/tickets/{ticket['id']}/photos", headers=USER).json["items"] == []


def test_a_photo_over_8_mib_is_refused(client, settings):
    ticket = create(client)
    big = image_bytes() + b"\0" * (9 * 1024 * 1024)
    assert len(big) > PHOTO_MAX_BYTES
    body = assert_problem(
        upload(client, f"/api/tickets/{ticket['id']}/photos", ("big.jpg", big)), 413
    )
    assert "8 MiB" in body["detail"]
    assert stored_files(settings) == []


def test_four_photos_are_refused_and_no_photo_is_refused_too(client):
    ticket = create(client)
    path = f"/api/tickets/{ticket['id']}/photos"
    four = [(f"{n}.jpg", image_bytes()) for n in range(4)]
    assert "At most 3" in assert_problem(upload(client, path, *four), 422)["detail"]
    assert_problem(upload(client, path), 422)
    assert_problem(client.post(path, json={"photos": []}, headers=USER), 415)
    assert client.get(path, headers=USER).json["items"] == []


def test_a_body_over_the_photo_limit_is_refused(client):
    ticket = create(client)
    path = f"/api/tickets/{ticket['id']}/photos"
    response = client.post(
        path,
        data=b"x" * (26 * 1024 * 1024),
        headers={**USER, "Content-Type": "multipart/form-data; boundary=x"},
    )
    assert "25 MiB" in assert_problem(response, 413)["detail"]
    # the other routes keep the small limit
    message = client.post(
        f"/api/tickets/{ticket['id']}/messages",
        data=b"{" + b" " * (2 * 1024 * 1024) + b"}",
        headers={**USER, "Content-Type": "application/json"},
    )
    assert "1 MiB" in assert_problem(message, 413)["detail"]


def test_photos_go_with_a_message_of_the_same_ticket_only(client):
    ticket, other = create(client), create(client)
    message = client.post(
        f"/api/tickets/{ticket['id']}/messages", json={"body": "Here it is."}, headers=USER
    ).json
    path = f"/api/tickets/{ticket['id']}/photos"
    photo = upload(client, path, ("m.jpg", image_bytes()), message_id=str(message["id"]))
    assert photo.status_code == 201 and photo.json["items"][0]["message_id"] == message["id"]
    wrong = upload(
        client,
        f"/api/tickets/{other['id']}/photos",
        ("m.jpg", image_bytes()),
        message_id=str(message["id"]),
    )
    assert assert_problem(wrong, 422)["errors"][0]["field"] == "message_id"
    assert_problem(upload(client, path, ("m.jpg", image_bytes()), message_id="abc"), 422)


def test_a_closed_tickets_photo_is_hidden_from_users_but_served_through_the_follow_link(
    client,
):
    response = client.post(
        "/api/tickets",
        json={"title": "Broken window in A1", "description": "The glass is cracked."},
        headers=USER,
    )
    ticket, token = response.json, response.json["follow_token"]
    photo = upload(client, f"/api/follow/{token}/photos", ("w.webp", image_bytes("WEBP")))
    assert photo.status_code == 201, photo.json
    photo_id = photo.json["items"][0]["id"]
    advance(client, ticket, "active", "closed")
    base = f"/api/tickets/{ticket['id']}/photos"
    assert_problem(client.get(f"{base}/{photo_id}", headers=USER), 404)
    assert_problem(client.get(f"{base}/{photo_id}/thumbnail", headers=USER), 404)
    assert_problem(client.get(base, headers=USER), 404)
    assert client.get(f"{base}/{photo_id}", headers=HELPDESK).status_code == 200
    listed = client.get(f"/api/follow/{token}/photos").json["items"]
    assert [p["id"] for p in listed] == [photo_id]
    served = client.get(listed[0]["url"])
    assert served.status_code == 200 and served.mimetype == "image/webp"
    assert client.get(listed[0]["thumbnail_url"]).status_code == 200
    # closed: no photo can be added any more, by any route
    late = upload(client, f"/api/follow/{token}/photos", ("w.jpg", image_bytes()))
    assert_problem(late, 409)
    assert_problem(upload(client, base, ("w.jpg", image_bytes()), headers=HELPDESK), 409)
    # a photo of another ticket is not found through this ticket or this link
    other = create(client)
    theirs = upload(client, f"/api/tickets/{other['id']}/photos", ("o.jpg", image_bytes()))
    assert_problem(client.get(f"/api/follow/{token}/photos/{theirs.json['items'][0]['id']}"), 404)


def test_deleting_a_ticket_removes_its_photos_rows_and_files(client, settings):
    ticket, kept = create(client), create(client)
    upload(client, f"/api/tickets/{ticket['id']}/photos", ("a.jpg", image_bytes()))
    upload(client, f"/api/tickets/{kept['id']}/photos", ("b.png", image_bytes("PNG")))
    assert len(stored_files(settings)) == 4
    deleted = client.delete(f"/api/tickets/{ticket['id']}", headers=HELPDESK)
    assert deleted.status_code == 204
    remaining = stored_files(settings)
    assert [p.suffix for p in remaining] == [".png", ".png"]
    assert len(client.get(f"/api/tickets/{kept['id']}/photos", headers=USER).json["items"]) == 1


def test_a_thumbnail_is_at_most_320_pixels_a_side(client):
    ticket = create(client)
    photo = upload(
        client,
        f"/api/tickets/{ticket['id']}/photos",
        ("wide.webp", image_bytes("WEBP", (1000, 500))),
    ).json["items"][0]
    thumb = client.get(photo["thumbnail_url"], headers=USER)
    assert Image.open(io.BytesIO(thumb.data)).size == (320, 160)
    assert (photo["width"], photo["height"]) == (1000, 500)


def test_the_document_describes_the_multipart_upload_and_the_image_answers(client):
    paths = client.get("/api/openapi.json").json["paths"]
    upload_doc = paths["/api/tickets/{ticket_id}/photos"]["post"]
    schema = upload_doc["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert schema["properties"]["photos"]["items"]["format"] == "binary"
    assert schema["properties"]["photos"]["maxItems"] == 3
    assert {"413", "415", "422", "429"} <= set(upload_doc["responses"])
    answer = paths["/api/tickets/{ticket_id}/photos/{photo_id}"]["get"]["responses"]["200"]
    assert set(answer["content"]) == {"image/jpeg", "image/png", "image/webp"}
    assert "/api/follow/{token}/photos" in paths


def test_a_ticket_holds_at_most_30_photos(client):
    ticket = create(client)
    path = f"/api/tickets/{ticket['id']}/photos"
    three = [(f"{n}.png", image_bytes("PNG", (8, 8))) for n in range(3)]
    for _ in range(PHOTOS_PER_TICKET // 3):
        assert upload(client, path, *three).status_code == 201
    body = assert_problem(upload(client, path, three[0]), 422)
    assert "at most 30 photos" in body["detail"] and "room for 0 more" in body["detail"]
    assert client.get(f"/api/tickets/{ticket['id']}", headers=USER).json["photos"] == 30

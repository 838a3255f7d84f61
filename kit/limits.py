"""The e-mail address rule of reports and the size of "My reports", which the API and the
dashboard both use; and the
request size limits every CampusDesk Flask app shares (docs/configuration.md): a body
over the app's limit is a 413 problem, header fields over ``CAMPUSDESK_MAX_HEADER_BYTES`` a
431 problem, whether the body's length is announced (Content-Length) or not (chunked)."""

from __future__ import annotations

import io

from flask import Flask, Response, request
from werkzeug.exceptions import RequestEntityTooLarge

from kit.problems import headers_too_large, problem_response, too_large

#: The most follow links a browser remembers in "My reports", and so the most that one
#: request of them may ask about.
MY_REPORTS_KEPT = 20
#: The longest e-mail address a report may leave (the longest that SMTP can deliver).
EMAIL_MAX_LENGTH = 254
#: An address SMTP can deliver to: one @, a dotted domain, no spaces, quotes or brackets.
EMAIL_PATTERN = r"^[^@\s<>(),;:\"\[\]]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$"

#: Photos: at most this many in one upload, each at most PHOTO_MAX_BYTES as sent; the whole
#: upload request has its own body limit, CAMPUSDESK_MAX_PHOTO_BODY_BYTES.
PHOTOS_PER_REQUEST = 3
PHOTO_MAX_BYTES = 8 * 1024 * 1024
#: At most this many photos under one ticket, its messages' included (the disk is finite).
PHOTOS_PER_TICKET = 30
#: The largest image decoded, in pixels (a 48-megapixel phone camera fits); a photo over it
#: is refused as too big before it is decoded.
PHOTO_MAX_PIXELS = 50_000_000
#: The image formats accepted, as Pillow names them, and the content type each is served as.
PHOTO_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
#: The longer side of a thumbnail, in pixels.
THUMBNAIL_SIDE = 320


def header_size() -> int:
    """The size of the request's header fields: every name and value, in bytes as received."""
    # WSGI gives header values as latin-1 strings: one character per byte received.
    return sum(len(name) + len(value) for name, value in request.headers.items())


def read_at_most(stream, size: int) -> bytes:
    """The first size bytes of stream, or all of it when shorter."""
    chunks, read = [], 0
    while read < size:
        chunk = stream.read(min(64 * 1024, size - read))
        if not chunk:
            break
        chunks.append(chunk)
        read += len(chunk)
    return b"".join(chunks)


def init_app(
    app: Flask, *, body_bytes: int, header_bytes: int, larger: dict[str, int] | None = None
) -> None:
    """Refuse requests of app with a body over body_bytes (413) or header fields over
    header_bytes (431), as problem documents, before any view or other hook runs; the
    endpoints named in larger (the photo uploads) have the body limit given there."""
    larger = dict(larger or {})

    def limit_of_request() -> int:
        return larger.get(request.endpoint, body_bytes)

    def refuse_oversized() -> Response | None:
        body_bytes = limit_of_request()
        # Werkzeug's own check, for any code that reads the body past these hooks.
        request.max_content_length = body_bytes
        if header_size() > header_bytes:
            return problem_response(headers_too_large(header_bytes))
        length = request.content_length
        if length is not None and length > body_bytes:
            return problem_response(too_large(body_bytes))
        if length is None and request.environ.get("wsgi.input_terminated"):
            # A body of unannounced length (chunked). Werkzeug would cut it at the limit
            # without a word, so it is read here, one byte past the limit at most, and the
            # views get it as if its length had been announced.
            body = read_at_most(request.environ["wsgi.input"], body_bytes + 1)
            if len(body) > body_bytes:
                return problem_response(too_large(body_bytes))
            request.environ.update(
                {"wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))}
            )
        return None

    def body_over_limit(exc: RequestEntityTooLarge) -> Response:
        # Werkzeug raises it for a body read past the limit elsewhere; the dashboard has no
        # other problem handlers, and would answer it in HTML.
        return problem_response(too_large(limit_of_request()))

    app.config["MAX_CONTENT_LENGTH"] = body_bytes
    app.before_request(refuse_oversized)
    app.register_error_handler(RequestEntityTooLarge, body_over_limit)

"""JSON responses written with orjson."""

from __future__ import annotations

import orjson
from flask import Response


def json_response(data, status: int = 200, headers: dict | None = None) -> Response:
    """A JSON response serialised with orjson."""
    return Response(orjson.dumps(data), status=status, headers=headers, mimetype="application/json")

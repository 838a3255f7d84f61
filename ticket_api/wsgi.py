"""WSGI entry point: ``gunicorn ticket_api.wsgi:app`` (after ``campusdesk init-db``)."""

import sys

from kit.settings import SchemaError
from ticket_api import create_app

try:
    app = create_app()
except SchemaError as exc:
    print(f"campusdesk: {exc}", file=sys.stderr, flush=True)
    raise SystemExit(3) from None

"""WSGI entry point: ``gunicorn ticket_api.wsgi:app``."""

from ticket_api import create_app

app = create_app()

"""The dashboard for gunicorn: ``gunicorn dash_app.wsgi:app``."""

from dash_app import create_dash_app
from kit.settings import Settings

app = create_dash_app(Settings.from_env()).server

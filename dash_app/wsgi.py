"""The dashboard for gunicorn: ``gunicorn dash_app.wsgi:app``."""

from kit.settings import Settings
from dash_app import create_dash_app

app = create_dash_app(Settings.from_env()).server

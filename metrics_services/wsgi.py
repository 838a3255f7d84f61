"""WSGI entry points for gunicorn: ``gunicorn 'metrics_services.wsgi:app("unclosed")'``."""

from kit.settings import Settings
from metrics_services import create_app


def app(name: str):
    """The service ``name`` with the settings of the environment."""
    return create_app(name, Settings.from_env())

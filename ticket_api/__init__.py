"""The ticket API: a Flask + Peewee service that owns the database.

Importing the package is light (the command line reads its classifier commands from it);
``create_app`` loads the models, the database driver and the classifier."""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from kit import headers, limits, metrics, request_log
from kit.settings import Settings


def _corrections():
    from ticket_api.models import ClassifierExample

    return [(row.text, row.category) for row in ClassifierExample.select()]


def create_app(settings: Settings | None = None, *, testing: bool = False) -> Flask:
    """Build the API application: database bound and at this release's schema (else
    :class:`~kit.settings.SchemaError`), classifier loaded."""
    from ticket_api import errors, ratelimit, readcache
    from ticket_api.classifier import get_classifier
    from ticket_api.db import database, open_database
    from ticket_api.migrations import require_current
    from ticket_api.schemas import Problem

    settings = settings or Settings.from_env()
    app = Flask(__name__, static_url_path="/api/static")
    app.config.update(
        CAMPUSDESK_SETTINGS=settings,
        TESTING=testing,
        VALIDATE_RESPONSES=testing,
        JSON_SORT_KEYS=False,
        PROBLEM_MODEL=Problem,
    )
    db = open_database(settings)
    try:
        require_current(db, settings.zone)
        model_dir = settings.model_dir
        # Loaded (or trained, once for every process sharing the folder) before serving.
        get_classifier(model_dir, _corrections)
    finally:
        db.close()
    app.extensions["campusdesk.classifier"] = lambda: get_classifier(model_dir, _corrections)

    from ticket_api.routes import BLUEPRINTS

    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    errors.init_app(app)
    ratelimit.init_app(app, settings)
    readcache.init_app(app, settings)
    headers.init_app(app)
    request_log.init_app(
        app, "api", access_log=settings.access_log, trusted_proxies=settings.trusted_proxies
    )
    from ticket_api.routes.photos import UPLOAD_ENDPOINTS

    limits.init_app(
        app,
        body_bytes=settings.max_body_bytes,
        header_bytes=settings.max_header_bytes,
        larger=dict.fromkeys(UPLOAD_ENDPOINTS, settings.max_photo_body_bytes),
    )
    metrics.init_app(app, "api")
    # Behind the reverse proxy: its X-Forwarded-* headers give the client's scheme, host and
    # the path prefix the API is served under (docs/deployment.md).
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_prefix=1)

    @app.before_request
    def _connect():
        database.connect(reuse_if_open=True)

    @app.teardown_request
    def _release(exc):
        # Returns the connection to the pool; opening one per request would cost a third.
        if not database.is_closed():
            database.close()

    return app

"""What every analytics service shares: the Flask app around its blueprint, health, its
OpenAPI document and the catalogue of its analyses, both built from the route
declarations, and the ticket API client."""

from __future__ import annotations

from flask import Flask, current_app

from kit import __version__, headers, limits, metrics, problems, request_log
from kit.jsonio import json_response
from kit.openapi import ApiBlueprint, build_document
from kit.settings import Settings
from metrics_services.api import TicketApi

API_KEY = "campusdesk.ticket_api"
MAX_BODY_BYTES = 16 * 1024  # the services take no bodies


def ticket_api() -> TicketApi:
    """The ticket API client of the running service."""
    return current_app.extensions[API_KEY]


def catalogue(app: Flask) -> list[dict]:
    """Every analysis of the service: its route, title and definition, from the declarations."""
    out = []
    for blueprint in app.blueprints.values():
        for op in getattr(blueprint, "operations", ()):
            if "analysis" not in op.tags:
                continue
            text = (op.view.__doc__ or "").strip().split("\n", 1)
            out.append(
                {
                    "key": op.extra.get("key") or op.rule.strip("/"),
                    "path": op.rule,
                    "title": text[0].strip().rstrip("."),
                    "definition": " ".join(text[1].split()) if len(text) > 1 else "",
                    "parameters": list(op.query.model_json_schema(by_alias=True)["properties"])
                    if op.query
                    else [],
                }
            )
    return out


def create_service_app(
    name: str, title: str, summary: str, blueprint: ApiBlueprint, settings: Settings | None
) -> Flask:
    """A service's Flask app: its analyses, /health, /openapi.json, /analyses, problems."""
    settings = settings or Settings.from_env()
    app = Flask(f"metrics_services.{name}")
    app.config.update(CAMPUSDESK_SETTINGS=settings)
    app.extensions[API_KEY] = TicketApi(settings.api_url)
    app.register_blueprint(blueprint)
    problems.init_app(app)
    headers.init_app(app)
    request_log.init_app(
        app, name, access_log=settings.access_log, trusted_proxies=settings.trusted_proxies
    )
    limits.init_app(app, body_bytes=MAX_BODY_BYTES, header_bytes=settings.max_header_bytes)
    metrics.init_app(app, name)

    @app.get("/health")
    def health():
        """Liveness: the service answers (the ticket API may still be down)."""
        return json_response({"status": "ok", "service": name, "version": __version__})

    @app.get("/analyses")
    def analyses():
        """The analyses of this service, with their definitions."""
        return json_response({"service": name, "title": title, "analyses": catalogue(app)})

    document = {}

    @app.get("/openapi.json")
    def openapi():
        """The OpenAPI 3.1 description of this service."""
        if not document:
            document.update(
                build_document(app, f"CampusDesk {title}", __version__, description=summary)
            )
        return json_response(document)

    return app

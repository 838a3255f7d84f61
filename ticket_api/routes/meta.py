"""Health, categories, the classifier preview and the API's own description."""

from __future__ import annotations

from flask import current_app

from campusdesk import __version__
from ticket_api.classifier import CATEGORIES
from ticket_api.context import load_actor
from ticket_api.db import database
from ticket_api.errors import ApiProblem
from ticket_api.migrations import current_version
from ticket_api.openapi import ApiBlueprint, build_document
from ticket_api.schemas import CategoryOut, ClassifyOut, ClassifyRequest, Health
from ticket_api.serialize import json_response
from ticket_api.workflow import classify

bp = ApiBlueprint("meta", __name__, url_prefix="/api")
bp.before_request(load_actor)


@bp.operation("GET", "/health", response=Health, tags=("meta",))
def health():
    """Liveness and database reachability."""
    try:
        version = current_version(database.obj)
    except Exception as exc:  # any driver error means: not reachable
        raise ApiProblem(503, f"The database is not reachable: {type(exc).__name__}.") from None
    return json_response({"status": "ok", "database": "ok", "schema_version": version})


@bp.operation("GET", "/categories", response=list[CategoryOut], tags=("meta",))
def list_categories():
    """The three ticket categories, with the labels and descriptions shown to people."""
    return json_response([dict(c) for c in CATEGORIES])


@bp.operation("POST", "/classify", body=ClassifyRequest, response=ClassifyOut, tags=("meta",))
def classify_text(body: ClassifyRequest):
    """Preview the category of a text; stores nothing."""
    prediction = classify(body.text)
    return json_response(
        {
            "category": prediction.category,
            "confidence": prediction.confidence,
            "scores": prediction.scores,
        }
    )


@bp.route("/openapi.json")
def openapi_document():
    """The OpenAPI 3.1 description of every route."""
    doc = current_app.extensions.get("campusdesk.openapi")
    if doc is None:
        doc = build_document(current_app, "CampusDesk ticket API", __version__)
        current_app.extensions["campusdesk.openapi"] = doc
    return json_response(doc)


DOCS_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>CampusDesk ticket API</title>
<link rel="stylesheet" href="static/swagger/swagger-ui.css">
</head>
<body>
<main id="swagger-ui"><h1>CampusDesk ticket API</h1></main>
<script src="static/swagger/swagger-ui-bundle.js"></script>
<script src="static/swagger/init.js"></script>
</body>
</html>
"""


@bp.route("/docs")
def api_docs():
    """The API reference for people (Swagger UI, served locally)."""
    return DOCS_PAGE, 200, {"Content-Type": "text/html; charset=utf-8"}

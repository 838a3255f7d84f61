"""Health, categories, the classifier preview and the API's own description."""

from __future__ import annotations

from flask import current_app, request

from kit import __version__
from kit.jsonio import json_response
from kit.openapi import ApiBlueprint, build_document
from kit.problems import ApiProblem
from ticket_api.classifier import CATEGORIES
from ticket_api.context import ROLE_PARAMETERS, load_actor
from ticket_api.db import database
from ticket_api.migrations import LATEST, current_version
from ticket_api.models import (
    EDITABLE_BY_ROLE,
    STATUS_TEXT,
    STATUSES,
    TRANSITION_ACTIONS,
    TRANSITIONS,
    VISIBLE_STATUSES,
)
from ticket_api.schemas import (
    CategoryOut,
    ClassifyOut,
    ClassifyRequest,
    Health,
    Problem,
    Workflow,
)
from ticket_api.workflow import classify

bp = ApiBlueprint("meta", __name__, url_prefix="/api")
ERROR_TEXT = {
    403: "The role may not do this",
    404: "No such ticket, or not visible to the role",
    409: "Conflict with the ticket's state or version",
    413: "Body larger than the limit (CAMPUSDESK_MAX_BODY_BYTES, 1 MiB by default; photo "
    "uploads CAMPUSDESK_MAX_PHOTO_BODY_BYTES, 25 MiB, and 8 MiB a photo)",
    428: "If-Match with the ticket version is required",
    429: "Too many from this client for now; `Retry-After` and `retry_after` say when to retry",
    503: "The database is unavailable",
}
bp.before_request(load_actor)


@bp.operation("GET", "/health", response=Health, tags=("meta",))
def health():
    """Whether this API process can serve: the database answers, its schema is the one this
    release needs, and the category model is loaded. 503 with the same fields when not."""
    try:
        version = current_version(database.obj)
    except Exception as exc:  # any driver error means: not reachable
        raise ApiProblem(
            503,
            f"The database is not reachable: {type(exc).__name__}.",
            database="unreachable",
        ) from None
    classifier = current_app.extensions["campusdesk.classifier"]()
    state = {
        "database": "ok",
        "schema_version": version,
        "schema_expected": LATEST,
        "model": "ready" if classifier.ready else "loading",
    }
    if version != LATEST:
        raise ApiProblem(
            503,
            f"The database has schema version {version}; this release needs {LATEST}. "
            "Run `campusdesk init-db`, then restart the API.",
            **state,
        )
    return json_response({"status": "ok", **state})


@bp.operation("GET", "/categories", response=list[CategoryOut], tags=("meta",))
def list_categories():
    """The three ticket categories, with the labels and descriptions shown to people."""
    return json_response([dict(c) for c in CATEGORIES])


@bp.operation("GET", "/workflow", response=Workflow, tags=("meta",))
def workflow():
    """The statuses, the moves between them and who may change what.

    Every check of the API reads these same tables; clients show them instead of keeping
    copies of their own.
    """
    return json_response(
        {
            "statuses": [
                {"key": key, "label": STATUS_TEXT[key][0], "description": STATUS_TEXT[key][1]}
                for key in STATUSES
            ],
            "transitions": [
                {
                    "from": source,
                    "to": target,
                    "action": TRANSITION_ACTIONS[(source, target)],
                    "roles": [
                        role for role, fields in EDITABLE_BY_ROLE.items() if "status" in fields
                    ],
                }
                for source in STATUSES
                for target in TRANSITIONS[source]
            ],
            "editable": {role: list(fields) for role, fields in EDITABLE_BY_ROLE.items()},
            "visible": {role: list(statuses) for role, statuses in VISIBLE_STATUSES.items()},
        }
    )


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
        doc = build_document(
            current_app,
            "CampusDesk ticket API",
            __version__,
            parameters=ROLE_PARAMETERS,
            problem_model=Problem,
            error_text=ERROR_TEXT,
        )
        current_app.extensions["campusdesk.openapi"] = doc
    # Under a proxy's path prefix, "Try it out" must call the API there.
    return json_response({**doc, "servers": [{"url": request.script_root or "/"}]})


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

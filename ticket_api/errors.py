"""Every error of the API as ``application/problem+json`` (RFC 9457), never a traceback."""

from __future__ import annotations

import logging

import orjson
from flask import Flask, Response, request
from peewee import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

log = logging.getLogger("campusdesk.api")

PROBLEM_TYPE = "https://campusdesk.example/problems/"
PROBLEM_MEDIA_TYPE = "application/problem+json"

TITLES = {
    400: "Bad request",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Request too large",
    415: "Unsupported media type",
    422: "Validation failed",
    428: "Precondition required",
    500: "Internal error",
    503: "Service unavailable",
}
SLUGS = {
    400: "bad-request",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "too-large",
    415: "unsupported-media-type",
    422: "validation",
    428: "precondition-required",
    500: "internal",
    503: "unavailable",
}


class ApiProblem(Exception):
    """An error answered as a problem document; ``extra`` members are added to it."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        title: str | None = None,
        errors: list[dict] | None = None,
        slug: str | None = None,
        **extra,
    ):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.title = title or TITLES.get(status, "Error")
        self.errors = errors
        self.slug = slug or SLUGS.get(status, "error")
        self.extra = extra

    def to_dict(self) -> dict:
        """The problem document."""
        body = {
            "type": PROBLEM_TYPE + self.slug,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "instance": request.path if request else None,
        }
        if self.errors is not None:
            body["errors"] = self.errors
        body.update(self.extra)
        return body


def problem_response(problem: ApiProblem) -> Response:
    """A Flask response carrying the problem document."""
    return Response(
        orjson.dumps(problem.to_dict()), status=problem.status, mimetype=PROBLEM_MEDIA_TYPE
    )


def _http_problem(exc: HTTPException) -> Response:
    status = exc.code or 500
    if status == 413:
        detail = "The request body is larger than the limit of 1 MiB."
    elif status == 404:
        detail = f"There is nothing at {request.path}."
    elif status == 405:
        detail = f"{request.method} is not allowed on {request.path}."
    else:
        detail = exc.description or TITLES.get(status, "Error")
    response = problem_response(ApiProblem(status, detail))
    if status == 405 and getattr(exc, "valid_methods", None):
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


def _database_problem(exc: Exception) -> Response:
    log.error("database error on %s %s: %s", request.method, request.path, exc)
    return problem_response(
        ApiProblem(503, "The database cannot be reached or is busy; try again in a moment.")
    )


def _unexpected(exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.path)
    return problem_response(
        ApiProblem(
            500,
            "Something went wrong on our side; it has been "
            "logged. Nothing was changed by this request.",
        )
    )


def init_app(app: Flask) -> None:
    """Register the handlers that turn every error into a problem document."""
    app.register_error_handler(ApiProblem, problem_response)
    app.register_error_handler(HTTPException, _http_problem)
    app.register_error_handler(OperationalError, _database_problem)
    app.register_error_handler(InterfaceError, _database_problem)
    app.register_error_handler(Exception, _unexpected)

"""Every error as ``application/problem+json`` (RFC 9457), never a traceback: the problem
type, its document, and the handlers every CampusDesk Flask app registers."""

from __future__ import annotations

import logging
from typing import Optional

import orjson
from flask import Flask, Response, request
from pydantic import BaseModel, ConfigDict
from werkzeug.exceptions import HTTPException

log = logging.getLogger("campusdesk")

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
    429: "Too many requests",
    431: "Request header fields too large",
    500: "Internal error",
    502: "Bad gateway",
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
    429: "too-many-requests",
    431: "headers-too-large",
    500: "internal",
    502: "bad-gateway",
    503: "unavailable",
}


class FieldError(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem document; a service may add members of its own."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    instance: Optional[str] = None
    errors: Optional[list[FieldError]] = None


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
        headers: dict[str, str] | None = None,
        **extra,
    ):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.title = title or TITLES.get(status, "Error")
        self.errors = errors
        self.slug = slug or SLUGS.get(status, "error")
        self.headers = headers or {}
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
        orjson.dumps(problem.to_dict()),
        status=problem.status,
        mimetype=PROBLEM_MEDIA_TYPE,
        headers=problem.headers,
    )


def limit_text(limit: int) -> str:
    """A body size limit as people read it: '1 MiB', '64 KiB'."""
    if limit % (1024 * 1024) == 0:
        return f"{limit // (1024 * 1024)} MiB"
    if limit % 1024 == 0:
        return f"{limit // 1024} KiB"
    return f"{limit} bytes"


def too_large(limit: int) -> ApiProblem:
    """The 413 problem of a body over ``limit`` bytes."""
    return ApiProblem(413, f"The request body is larger than the limit of {limit_text(limit)}.")


def headers_too_large(limit: int) -> ApiProblem:
    """The 431 problem of request header fields over ``limit`` bytes in all."""
    return ApiProblem(
        431,
        f"The request's header fields are larger than the limit of {limit_text(limit)} in all; "
        "clearing this site's cookies may help.",
    )


def _http_problem(exc: HTTPException) -> Response:
    from flask import current_app

    status = exc.code or 500
    if status == 413:
        problem = too_large(current_app.config.get("MAX_CONTENT_LENGTH") or 1024 * 1024)
    elif status == 404:
        problem = ApiProblem(status, f"There is nothing at {request.path}.")
    elif status == 405:
        problem = ApiProblem(status, f"{request.method} is not allowed on {request.path}.")
    else:
        problem = ApiProblem(status, exc.description or TITLES.get(status, "Error"))
    response = problem_response(problem)
    if status == 405 and getattr(exc, "valid_methods", None):
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


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
    app.register_error_handler(Exception, _unexpected)

"""The API's errors: the problem+json handlers of the kit, plus the database's own failures
answered as 503 problems."""

from __future__ import annotations

import logging

from flask import Flask, Response, request
from peewee import InterfaceError, OperationalError

from kit import problems
from kit.problems import PROBLEM_MEDIA_TYPE, ApiProblem, problem_response

__all__ = ["PROBLEM_MEDIA_TYPE", "ApiProblem", "problem_response", "init_app"]

log = logging.getLogger("campusdesk.api")


def _database_problem(exc: Exception) -> Response:
    log.error("database error on %s %s: %s", request.method, request.path, exc)
    return problem_response(
        ApiProblem(503, "The database cannot be reached or is busy; try again in a moment.")
    )


def init_app(app: Flask) -> None:
    """Register the handlers that turn every error into a problem document."""
    problems.init_app(app)
    app.register_error_handler(OperationalError, _database_problem)
    app.register_error_handler(InterfaceError, _database_problem)

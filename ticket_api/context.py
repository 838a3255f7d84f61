"""Who is asking: the self-declared role and name from the request headers."""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, request

from kit.problems import ApiProblem
from ticket_api.models import ROLES

#: The headers every route of the API reads, as the OpenAPI document describes them.
ROLE_PARAMETERS = (
    {
        "name": "X-Role",
        "in": "header",
        "required": False,
        "description": "who is asking; missing means `user`, any other value is a 400",
        "schema": {"type": "string", "enum": list(ROLES), "default": "user"},
    },
    {
        "name": "X-User-Name",
        "in": "header",
        "required": False,
        "description": "the name the person typed, if any (history, message author)",
        "schema": {"type": "string", "maxLength": 80, "pattern": "^[^\\x00-\\x1f\\x7f]*$"},
    },
)


@dataclass(frozen=True)
class Actor:
    role: str
    name: str | None

    @property
    def is_helpdesk(self) -> bool:
        return self.role == "helpdesk"


def _decoded(value: str) -> str:
    # HTTP headers arrive as Latin-1; browsers and clients send names as UTF-8 bytes.
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def read_actor() -> Actor:
    """Parse ``X-Role`` and ``X-User-Name``; a bad value is a 400."""
    role = request.headers.get("X-Role", "user").strip()
    if role not in ROLES:
        raise ApiProblem(
            400,
            f"X-Role must be 'user' or 'helpdesk', not {role[:40]!r}.",
            errors=[{"field": "X-Role", "message": "must be user or helpdesk"}],
        )
    name = _decoded(request.headers.get("X-User-Name", "")).strip() or None
    if name is not None:
        problem = None
        if len(name) > 80:
            problem = "must be at most 80 characters"
        elif any(ord(c) < 32 or ord(c) == 127 for c in name):
            problem = "must not contain control characters"
        if problem:
            raise ApiProblem(
                400,
                f"X-User-Name {problem}.",
                errors=[{"field": "X-User-Name", "message": problem}],
            )
    return Actor(role, name)


def actor() -> Actor:
    """The actor of the current request (parsed once, before the view)."""
    return g.actor


def load_actor() -> None:
    """``before_request`` hook of the API blueprints."""
    g.actor = read_actor()

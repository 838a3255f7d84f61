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


def _parse_actor(role: str | None, name: str | None) -> Actor:
    """The actor of the raw ``X-Role`` and ``X-User-Name`` values; a bad value is a 400."""
    role = ("user" if role is None else role).strip()
    if role not in ROLES:
        raise ApiProblem(
            400,
            f"X-Role must be 'user' or 'helpdesk', not {role[:40]!r}.",
            errors=[{"field": "X-Role", "message": "must be user or helpdesk"}],
        )
    name = _decoded(name or "").strip() or None
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


#: The actors of the header values seen lately (an Actor cannot change): most requests
#: come from a few roles and names.
_actors: dict[tuple[str | None, str | None], Actor] = {}
_ACTORS_KEPT = 1024


def read_actor() -> Actor:
    """Parse ``X-Role`` and ``X-User-Name``; a bad value is a 400."""
    environ = request.environ
    key = (environ.get("HTTP_X_ROLE"), environ.get("HTTP_X_USER_NAME"))
    found = _actors.get(key)
    if found is None:
        found = _parse_actor(*key)
        if len(_actors) >= _ACTORS_KEPT:
            _actors.clear()
        _actors[key] = found
    return found


def actor() -> Actor:
    """The actor of the current request (parsed once, before the view)."""
    return g.actor


def load_actor() -> None:
    """``before_request`` hook of the API blueprints."""
    g.actor = read_actor()

"""gunicorn's logger for CampusDesk processes (``logger_class`` in deploy/gunicorn.conf.py):
its access lines show a follow link's route (``/api/follow/{token}``), never the token; the
same for the unsubscribe links of notice e-mails (``/unsubscribe/{token}``)."""

from __future__ import annotations

import re

from gunicorn.glogging import Logger

#: A ticket's follow token, or a mail's unsubscribe token, in a path (ticket_api.follow.TOKEN,
#: after its route).
FOLLOW_TOKEN = re.compile(r"(/(?:follow|unsubscribe)/)[A-Za-z0-9_-]{43}")


def hide_follow_tokens(text: str) -> str:
    """text with every follow token replaced by ``{token}``."""
    return FOLLOW_TOKEN.sub(r"\1{token}", text)


class FollowTokenHidingLogger(Logger):
    """gunicorn's logger, with follow tokens left out of the request line and the path."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U"):
            if isinstance(atoms.get(key), str):
                atoms[key] = hide_follow_tokens(atoms[key])
        return atoms

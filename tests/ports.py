"""Free TCP ports for the processes a test starts."""

from __future__ import annotations

import os
import socket

#: Each pytest-xdist worker hands out ports from its own block, below the kernel's range of
#: ephemeral ports: a port the kernel gives one worker for "any free port" (or to an outgoing
#: connection) could be given to another worker before the first one's server binds it.
FIRST_PORT = 20_000
BLOCK = 400
WORKERS = 25
_next: int | None = None


def _block() -> int:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    number = int(worker[2:]) if worker[2:].isdigit() else 0
    return FIRST_PORT + BLOCK * (number % WORKERS)


def free_port() -> int:
    """A port nobody listens on now, from this worker's block, not handed out again until
    the block's other ports have been: several processes started together each get their
    own, even before any of them binds, and no other worker hands it out."""
    global _next
    first = _block()
    for _ in range(BLOCK):
        port = _next if _next is not None else first
        _next = first + (port + 1 - first) % BLOCK
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port
    raise RuntimeError(f"no free port in {first}-{first + BLOCK - 1}")

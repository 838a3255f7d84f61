"""CampusDesk: the helpdesk of a university campus. This package is the command line, the
composition root on top of every service; nothing imports it."""

from kit import __version__

__all__ = ["__version__"]

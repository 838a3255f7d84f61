"""CampusDesk: the helpdesk of a university campus."""

__version__ = "0.1.0"

"""The bottom layer of CampusDesk: settings, problem+json errors, declared routes and their
OpenAPI document, JSON responses. It imports none of the services, the dashboard or the
command line; every one of them may import it."""

__version__ = "0.2.0"

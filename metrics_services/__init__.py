"""The analytics services: three small Flask apps, each its own process, each reaching the
data only through the ticket API's HTTP routes. ``create_app(name, settings)`` builds one."""

from __future__ import annotations

from importlib import import_module

#: name (as in ``campusdesk metrics NAME``) -> (module, the Settings attribute of its port)
SERVICES = {
    "unclosed": ("metrics_services.unclosed", "unclosed_port"),
    "resolution": ("metrics_services.resolution", "resolution_port"),
    "by-category": ("metrics_services.by_category", "by_category_port"),
}


def create_app(name: str, settings=None):
    """The Flask app of the service called ``name``."""
    if name not in SERVICES:
        raise ValueError(f"no analytics service called {name!r}; there are {', '.join(SERVICES)}")
    return import_module(SERVICES[name][0]).create_app(settings)

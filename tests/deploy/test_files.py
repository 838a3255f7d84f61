"""The deployment files agree with each other and with docs/deployment.md: the Procfile's
command lines are the guide's and docker-compose.yml's, the nginx site file is the one the
guide shows, and its addresses are the processes'. (Docker is not run by the tests.)"""

from __future__ import annotations

import re
import runpy

import pytest

from tests.deploy.deployment import (
    ADDRESS,
    COMPOSE,
    GUIDE,
    PREFIX,
    ROOT,
    SITE,
    bound_port,
    env_file,
    procfile,
)

yaml = pytest.importorskip("yaml")
APP_PROCESSES = {
    "api-1",
    "api-2",
    "unclosed",
    "resolution",
    "by-category",
    "dashboard-1",
    "dashboard-2",
}


def compose_services() -> dict:
    return yaml.safe_load(COMPOSE.read_text())["services"]


def upstream_ports(name: str) -> set[int]:
    """The ports of the servers of one upstream block of the site file."""
    block = re.search(rf"upstream {name} \{{(.*?)\}}", SITE.read_text(), re.S).group(1)
    return {int(port) for port in ADDRESS.findall(block)}


def test_procfile_runs_every_process_of_the_guide():
    commands = procfile()
    assert set(commands) == APP_PROCESSES
    guide_lines = {line.strip() for line in GUIDE.read_text().splitlines()}
    for name, command in commands.items():
        assert command in guide_lines, f"{name}: {command}"
        assert command.startswith("gunicorn -c deploy/gunicorn.conf.py ")
    services = [c for n, c in commands.items() if not n.startswith(("api", "dashboard"))]
    assert all("-k gthread" in command for command in services)


def test_guide_runs_init_db_before_the_workers():
    guide = GUIDE.read_text()
    assert "campusdesk init-db" in guide
    assert guide.index("campusdesk init-db") < guide.index(procfile()["api-1"])


def test_compose_runs_the_procfile_commands():
    services = compose_services()
    assert set(services) == APP_PROCESSES | {"postgres", "init-db", "nginx"}
    for name, command in procfile().items():
        assert services[name]["command"] == command, name
        assert services[name]["env_file"] == "deploy/campusdesk.env"
    assert services["init-db"]["command"] == "campusdesk init-db"
    for name in ("api-1", "api-2"):
        assert services[name]["depends_on"] == {
            "init-db": {"condition": "service_completed_successfully"}
        }
    assert services["init-db"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    # Host networking: the 127.0.0.1 addresses of the env file and the site file hold.
    assert {service["network_mode"] for service in services.values()} == {"host"}
    assert (
        "./deploy/nginx/campusdesk.conf:/etc/nginx/conf.d/default.conf:ro"
        in (services["nginx"]["volumes"])
    )
    dockerfile = services["api-1"]["build"]["dockerfile"]
    assert (ROOT / dockerfile).exists()


def test_guide_shows_the_site_file():
    blocks = re.findall(r"```nginx\n(.*?)```", GUIDE.read_text(), re.S)
    assert SITE.read_text() in blocks


def test_site_file_addresses_are_the_processes():
    commands = procfile()
    ports = {name: bound_port(command) for name, command in commands.items()}
    assert upstream_ports("campusdesk_api") == {ports["api-1"], ports["api-2"]}
    assert upstream_ports("campusdesk_dashboard") == {ports["dashboard-1"], ports["dashboard-2"]}
    env = env_file()
    internal = int(ADDRESS.search(env["CAMPUSDESK_API_URL"]).group(1))
    assert f"listen 127.0.0.1:{internal};" in SITE.read_text()
    for name in ("unclosed", "resolution", "by-category"):
        variable = f"CAMPUSDESK_{name.upper().replace('-', '_')}_URL"
        assert env[variable] == f"http://127.0.0.1:{ports[name]}"
    assert env["CAMPUSDESK_URL_PREFIX"] == PREFIX
    assert f"location {PREFIX}/ {{" in SITE.read_text()


def test_site_file_body_limit_is_the_api_limit():
    from dash_app import dashboard_photo_limit
    from kit.settings import Settings

    env = env_file()
    limit = int(env["CAMPUSDESK_MAX_BODY_BYTES"])
    photos = int(env["CAMPUSDESK_MAX_PHOTO_BODY_BYTES"])
    sizes = re.findall(r"client_max_body_size (\d+)m;", SITE.read_text())
    mib = 1024 * 1024
    assert limit % mib == 0 and photos % mib == 0
    # the general limit twice, the photo routes' twice (outside and inside), the callbacks'
    callbacks = dashboard_photo_limit(Settings(max_photo_body_bytes=photos))
    assert sorted(map(int, sizes)) == sorted(
        [limit // mib] * 2 + [photos // mib] * 2 + [-(-callbacks // mib)]
    )
    assert f"limit of {limit // mib} MiB" in SITE.read_text()


def test_gunicorn_settings_are_known_to_gunicorn():
    from gunicorn.config import KNOWN_SETTINGS

    known = {setting.name for setting in KNOWN_SETTINGS}
    settings = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    names = {name for name in settings if not name.startswith("__")}
    assert names and names <= known, names - known

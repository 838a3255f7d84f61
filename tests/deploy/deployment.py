"""The deployment of docs/deployment.md on this machine: nginx with the site file of deploy/,
`campusdesk init-db`, then the Procfile's gunicorn processes on PostgreSQL, on free ports."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from tests.browser.stack import wait_until_up
from tests.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
PROCFILE = ROOT / "Procfile"
COMPOSE = ROOT / "docker-compose.yml"
GUIDE = ROOT / "docs" / "deployment.md"
SITE = ROOT / "deploy" / "nginx" / "campusdesk.conf"
ENV_FILE = ROOT / "deploy" / "campusdesk.env"
NGINX = "/usr/sbin/nginx"
PREFIX = "/helpdesk-campus"
FRAME_ANCESTORS = "'self' http://intranet.example"
ADDRESS = re.compile(r"127\.0\.0\.1:(\d+)")
#: What each kind of process answers 200 on once it is ready, by the start of its name.
PROBES = {"api": "/api/health", "dashboard": PREFIX + "/"}
SERVICE_PROBE = "/health"
#: The variables of the analytics services' addresses.
SERVICE_VARIABLES = (
    "CAMPUSDESK_UNCLOSED_URL",
    "CAMPUSDESK_RESOLUTION_URL",
    "CAMPUSDESK_BY_CATEGORY_URL",
)

NGINX_CONF = """{user}
worker_processes 2;
pid {tmp}/nginx.pid;
error_log {tmp}/logs/error.log;
events {{
    worker_connections 256;
}}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {tmp}/logs/access.log;
    client_body_temp_path {tmp}/temp/body;
    proxy_temp_path {tmp}/temp/proxy;
    fastcgi_temp_path {tmp}/temp/fastcgi;
    uwsgi_temp_path {tmp}/temp/uwsgi;
    scgi_temp_path {tmp}/temp/scgi;
    include {tmp}/campusdesk.conf;
}}
"""


def procfile() -> dict[str, str]:
    """The Procfile's processes: name -> command line."""
    found = {}
    for line in PROCFILE.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_-]+):\s*(.+)$", line)
        if match:
            found[match.group(1)] = match.group(2).strip()
    return found


def env_file() -> dict[str, str]:
    """The variables of deploy/campusdesk.env."""
    found = {}
    for line in ENV_FILE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            found[name.strip()] = value.strip()
    return found


def bound_port(command: str) -> int:
    """The port a Procfile line binds (its `-b 127.0.0.1:PORT`)."""
    return int(re.search(r"-b 127\.0\.0\.1:(\d+)", command).group(1))


def moved(text: str, ports: dict[int, int]) -> str:
    """text with every 127.0.0.1:PORT of the guide moved to its free port (KeyError if unknown)."""
    return ADDRESS.sub(lambda m: f"127.0.0.1:{ports[int(m.group(1))]}", text)


@dataclass
class Deployment:
    """The running processes and where to reach them through the proxy."""

    tmp: Path
    database_url: str
    base_url: str = ""
    ports: dict = field(default_factory=dict)
    processes: dict = field(default_factory=dict)
    commands: dict = field(default_factory=dict)

    def url(self, path: str) -> str:
        """The proxy's address of a path under the intranet prefix, such as /api/health."""
        return f"{self.base_url}{PREFIX}{path}"

    def served_ids(self, name: str) -> list[str]:
        """The request ids in the access log of one gunicorn process, in order."""
        text = (self.tmp / "logs" / f"{name}.access.log").read_text()
        return re.findall(r" id=(\S+) pid=", text)

    def wait_for_ids(self, names: list[str], ids: set[str], seconds: float = 15) -> dict:
        """Poll the access logs of names until every id is logged; name -> ids it served."""
        deadline = time.monotonic() + seconds
        while True:
            served = {name: [i for i in self.served_ids(name) if i in ids] for name in names}
            if sum(len(found) for found in served.values()) >= len(ids):
                return served
            if time.monotonic() > deadline:
                return served
            time.sleep(0.1)

    def stop(self, names: list[str] | None = None) -> None:
        """Stop some processes (gunicorn masters stop their workers), by default all of them."""
        stopping = [self.processes[name] for name in names or list(self.processes)]
        for process in stopping:
            if process.poll() is None:
                process.terminate()
        for process in stopping:
            try:
                process.wait(timeout=25)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)

    def restart(self, name: str) -> None:
        """Start a stopped gunicorn process again with its command line; ready when it returns."""
        args, env, probe = self.commands[name]
        _start(self, name, args, env)
        wait_until_up(probe, self.processes[name], self.tmp / "logs" / f"{name}.log")


def _process_env(deployment: Deployment, internal_api: int) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAMPUSDESK_")}
    env.update(env_file())
    env.update(
        CAMPUSDESK_DATABASE_URL=deployment.database_url,
        CAMPUSDESK_DATA_DIR=str(deployment.tmp / "data"),
        CAMPUSDESK_API_URL=f"http://127.0.0.1:{internal_api}",
        CAMPUSDESK_FRAME_ANCESTORS=FRAME_ANCESTORS,
        # 8 writers x 40 tickets from this one machine: more than its limits allow
        CAMPUSDESK_RATE_LIMITS="0",
        # the guide's folder for the workers' metrics, under this test's own folder
        PROMETHEUS_MULTIPROC_DIR=str(deployment.tmp / "metrics"),
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        PYTHONUNBUFFERED="1",
    )
    for variable in SERVICE_VARIABLES:
        env[variable] = moved(env[variable], deployment.ports)
    return env


def _start(deployment: Deployment, name: str, args: list[str], env: dict) -> None:
    logs = deployment.tmp / "logs"
    deployment.processes[name] = subprocess.Popen(
        args,
        cwd=ROOT,
        env=env,
        stdout=(logs / f"{name}.access.log").open("a"),
        stderr=(logs / f"{name}.log").open("a"),
    )


def _start_nginx(deployment: Deployment, env: dict) -> None:
    tmp = deployment.tmp
    for folder in ("logs", "temp"):
        (tmp / folder).mkdir(exist_ok=True)
    site = moved(SITE.read_text(), deployment.ports)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{deployment.ports[80]};")
    (tmp / "campusdesk.conf").write_text(site.replace("/var/log/nginx/", f"{tmp}/logs/"))
    user = "user root;" if os.geteuid() == 0 else ""
    (tmp / "nginx.conf").write_text(NGINX_CONF.format(user=user, tmp=tmp))
    args = [NGINX, "-p", str(tmp), "-e", f"{tmp}/logs/error.log", "-c", f"{tmp}/nginx.conf"]
    checked = subprocess.run([*args, "-t"], capture_output=True, text=True)
    if checked.returncode != 0:
        raise RuntimeError(f"nginx -t refused the site file:\n{checked.stderr}")
    _start(deployment, "nginx", [*args, "-g", "daemon off;"], env)


def start_deployment(tmp: Path, database_url: str) -> Deployment:
    """init-db, the Procfile's processes and nginx on free ports; ready when it returns."""
    deployment = Deployment(tmp=tmp, database_url=database_url)
    (tmp / "logs").mkdir(exist_ok=True)
    commands = procfile()
    internal_api = int(ADDRESS.search(env_file()["CAMPUSDESK_API_URL"]).group(1))
    for port in [80, internal_api, *(bound_port(c) for c in commands.values())]:
        deployment.ports[port] = free_port()
    deployment.base_url = f"http://127.0.0.1:{deployment.ports[80]}"
    env = _process_env(deployment, deployment.ports[internal_api])
    subprocess.run(
        [shutil.which("campusdesk", path=env["PATH"]), "init-db"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    try:
        for name, command in commands.items():
            args = shlex.split(moved(command, deployment.ports))
            args[0] = shutil.which(args[0], path=env["PATH"])
            port = deployment.ports[bound_port(command)]
            probe = f"http://127.0.0.1:{port}{PROBES.get(name.split('-')[0], SERVICE_PROBE)}"
            deployment.commands[name] = (args, env, probe)
            _start(deployment, name, args, env)
        _start_nginx(deployment, env)
        for name, (_args, _env, probe) in deployment.commands.items():
            log = tmp / "logs" / f"{name}.log"
            wait_until_up(probe, deployment.processes[name], log)
        nginx_log = tmp / "logs" / "error.log"
        wait_until_up(deployment.url("/api/health"), deployment.processes["nginx"], nginx_log)
    except Exception:
        deployment.stop()
        raise
    return deployment


def session(role: str = "helpdesk") -> requests.Session:
    """A requests session that talks to the API as role."""
    client = requests.Session()
    client.headers["X-Role"] = role
    return client

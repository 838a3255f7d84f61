"""/metrics of the API under gunicorn with two workers and PROMETHEUS_MULTIPROC_DIR: the
counts of every worker add up to the requests sent (the deployment of docs/deployment.md),
also across workers that gunicorn replaced meanwhile."""

from __future__ import annotations

import re

import pytest
import requests

from kit.settings import Settings
from tests.api.test_crash import running_api

REQUESTS = 40


def health_count(text: str, status: str) -> float:
    pattern = (
        r'^campusdesk_http_requests_total\{process="api",route="/api/health",'
        rf'status="{status}"\}} (\S+)$'
    )
    match = re.search(pattern, text, re.M)
    return float(match.group(1)) if match else 0.0


def test_the_counts_of_every_worker_add_up(tmp_path, model_dir):
    settings = Settings(
        data_dir=tmp_path / "data", model_dir_override=str(model_dir), rate_limits=False
    )
    metrics_dir = tmp_path / "metrics"
    # PROMETHEUS_MULTIPROC_DIR for gunicorn only; each worker is replaced after 15 requests:
    # whichever workers the kernel hands the requests to, several processes count them.
    with running_api(
        settings,
        tmp_path / "gunicorn.log",
        options=("--max-requests", "15"),
        env={"PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)},
    ) as api:
        root = f"http://127.0.0.1:{api.port}"
        before = health_count(requests.get(f"{root}/metrics", timeout=10).text, "200")
        for _ in range(REQUESTS):
            # A new connection each time, so both workers get some of the requests.
            response = requests.get(
                f"{api.base}/health", timeout=10, headers={"Connection": "close"}
            )
            assert response.status_code == 200
        scraped = requests.get(f"{root}/metrics", timeout=10)
        assert scraped.status_code == 200
        assert health_count(scraped.text, "200") == before + REQUESTS
        # Each worker, the replaced ones included, wrote its own files in the master's folder
        # for this process group, and the scrape added them up.
        folder = metrics_dir / str(api.port)
        pids = {path.stem.rsplit("_", 1)[-1] for path in folder.glob("counter_*.db")}
        assert len(pids) >= 3, f"{sorted(pids)}\n{api.log.read_text()}"


@pytest.fixture(autouse=True)
def _no_multiprocess_here(monkeypatch):
    # Only the gunicorn processes count in files; this test process keeps its own registry.
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)

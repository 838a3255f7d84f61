"""What the benchmarks share: a seeded data folder."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time


def seeded_data_dir(tickets: int, data_dir: str | None = None, database_url: str = "") -> str:
    """``data_dir`` as given, or a new folder seeded with ``tickets`` demo tickets."""
    if data_dir:
        return data_dir
    data_dir = tempfile.mkdtemp(prefix="campusdesk-bench-")
    env = dict(os.environ, CAMPUSDESK_DATA_DIR=data_dir, CAMPUSDESK_DATABASE_URL=database_url)
    started = time.perf_counter()
    command = [sys.executable, "-m", "campusdesk", "seed", "--tickets", str(tickets)]
    subprocess.run(command + ["--seed", "1", "--quiet"], env=env, check=True)
    print(
        f"seed --tickets {tickets}: {time.perf_counter() - started:.1f} s "
        f"(includes loading the classifier)"
    )
    return data_dir

"""Helpdesk overrides teach the classifier: override, retrain, and the API predicts anew."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from tests.api.helpers import HELPDESK, create, patch

LOCKERS = [
    ("Locker 112 won't open", "My locker in the sports centre changing room won't open."),
    ("Locker stuck", "Locker 40 at the gym is stuck shut with my clothes inside."),
    ("Cannot open my locker", "The changing-room locker 7 does not open with my code."),
    ("Locker code not working", "My sports centre locker code stopped working this morning."),
    ("Armadietto bloccato", "L'armadietto 23 della palestra non si apre."),
    ("Locker jammed", "Locker 95 in the women's changing room is jammed."),
]
NEW = ("Locker will not open", "Locker 61 in the sports centre changing room won't open.")


def test_overrides_change_predictions_after_retrain(settings, tmp_path):
    from tests.apps import make_api

    settings = settings.with_changes(model_dir_override=str(tmp_path / "own-model"))
    client = make_api(settings, testing=True).test_client()
    before = create(client, *NEW)
    assert before["category"] == "facility", "the model must start out disagreeing"

    overridden = 0
    for title, description in LOCKERS:  # the helpdesk decides lockers are the sports centre's
        ticket = create(client, title, description)
        if ticket["category"] != "services":
            assert patch(client, ticket, category="services").status_code == 200
            overridden += 1
    assert overridden >= 3

    env = dict(
        os.environ,
        CAMPUSDESK_DATA_DIR=str(settings.data_dir),
        CAMPUSDESK_MODEL_DIR=settings.model_dir_override,
        CAMPUSDESK_DATABASE_URL=settings.database_url,
    )
    result = subprocess.run(
        [sys.executable, "-m", "campusdesk", "classifier", "retrain"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert f"{overridden} helpdesk overrides" in result.stdout

    time.sleep(1.2)  # the API looks for a newer model file at most once a second
    after = create(client, *NEW)
    assert after["category"] == "services" and after["category_source"] == "auto"
    unrelated = create(client, "Radiator leaking", "The radiator in room 4 leaks water.")
    assert unrelated["category"] == "facility"
    assert client.get("/api/health", headers=HELPDESK).status_code == 200

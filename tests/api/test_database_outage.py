"""A database that drops its connections: problem responses, then recovery by itself."""

from __future__ import annotations

import psycopg2
import pytest
from playhouse.db_url import parse

from tests.api.helpers import create


@pytest.mark.postgres
def test_api_survives_postgres_dropping_its_connections(postgres_url, tmp_path, model_dir):
    from kit.settings import Settings
    from tests.apps import make_api

    app = make_api(
        Settings(data_dir=tmp_path, model_dir_override=str(model_dir), database_url=postgres_url),
        testing=True,
    )
    client = app.test_client()
    ticket = create(client)
    params = parse(postgres_url)
    name = params.pop("database")
    admin = psycopg2.connect(dbname=name, **params)
    admin.autocommit = True
    with admin.cursor() as cur:  # what a database restart does to every open connection
        cur.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )
        terminated = sum(1 for (done,) in cur.fetchall() if done)
    admin.close()
    assert terminated >= 1, "the API's pooled connection should have been cut"

    answers = [client.get(f"/api/tickets/{ticket['id']}") for _ in range(3)]
    for response in answers:
        assert response.status_code in (200, 503)
        if response.status_code == 503:
            assert response.mimetype == "application/problem+json"
            assert "Traceback" not in response.get_data(as_text=True)
    assert answers[-1].status_code == 200 and answers[-1].json["id"] == ticket["id"]

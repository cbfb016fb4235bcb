"""Schemathesis against the OpenAPI schema: no generated input gives a server error (5xx)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from web_fixtures import LLAMA, make_app


def test_no_input_makes_a_server_error(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    app = make_app(tmp_path)
    with TestClient(app) as client:  # a stored dossier, so that names and versions can hit
        text = LLAMA.read_text(encoding="utf-8")
        assert client.post("/api/v1/dossiers", json={"text": text}).status_code == 201
        schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 15
        for operation in operations:

            @given(case=operation.as_strategy())
            @settings(
                max_examples=10,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def no_server_error(case: Any) -> None:
                case.call_and_validate(checks=[not_a_server_error])

            no_server_error()

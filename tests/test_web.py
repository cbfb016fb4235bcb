"""The dashboard and its JSON API, through FastAPI's TestClient."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from govbridge.cli import app as cli
from govbridge.errors import UsageError
from web_fixtures import LLAMA, TOKEN, csrf, errors, make_app, provisions

SUMMARY = {
    "schema": "govbridge/eval-summary/v1",
    "checks": [
        {
            "check": "should_refuse",
            "task": "govbridge/tc260_should_refuse",
            "n": 300,
            "rate": 0.97,
            "wilson_low": 0.944,
            "wilson_high": 0.984,
            "threshold": 0.95,
            "operator": ">=",
            "verdict": "pass",
            "confident": False,
            "judge": "rules (offline fallback)",
        }
    ],
}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(make_app(tmp_path), raise_server_exceptions=False) as c:
        yield c


def _upload(client: TestClient, name: str, data: bytes, **fields: str) -> Any:
    token = csrf(client.get("/dossiers").text)
    return client.post(
        "/dossiers",
        data={"csrf_token": token, "mode": "file", **fields},
        files={"file": (name, data, "application/x-yaml")},
        follow_redirects=False,
    )


def _llama(client: TestClient) -> str:
    response = _upload(client, "llama-3.1-405b.yaml", LLAMA.read_bytes())
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


def test_upload_a_file_then_see_it_everywhere(client: TestClient) -> None:
    assert _llama(client) == "/dossiers/llama-3.1-405b"
    page = client.get("/dossiers/llama-3.1-405b")
    assert page.status_code == 200 and "Llama 3.1 405B" in page.text
    assert "llama-3.1-405b" in client.get("/dossiers").text
    (listed,) = client.get("/api/v1/dossiers").json()
    assert (listed["name"], listed["latest_version"]) == ("llama-3.1-405b", 1)
    again = _upload(client, "llama-3.1-405b.yaml", LLAMA.read_bytes())
    assert again.status_code == 303
    assert len(client.get("/api/v1/dossiers/llama-3.1-405b/versions").json()) == 1


@pytest.mark.parametrize(
    "text",
    [
        b"model: {name: M, paramters: 7B}\n",
        b"model: {name: M}\nmodel: {name: N}\n",
        b"model: [unclosed\n",
        b"model: {name: M, training_compute_flop: '5 USD'}\n",
        b"\xff\xfe not utf-8",
    ],
)
def test_a_bad_upload_shows_the_cli_message(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: bytes
) -> None:
    response = _upload(client, "../../bad.yaml", text)
    assert response.status_code == 400
    monkeypatch.chdir(tmp_path)
    Path("bad.yaml").write_bytes(text)
    result = CliRunner().invoke(cli, ["dossier", "validate", "bad.yaml"])
    assert result.exit_code == 2
    shown = errors(response.text)
    assert shown and shown[0].split(" (")[0] == result.output.strip().split(" (")[0]
    if b"utf-8" not in text:
        assert shown == [result.output.strip()]
    assert "Traceback" not in response.text


def test_upload_with_the_form(client: TestClient) -> None:
    token = csrf(client.get("/dossiers").text)
    form = {
        "csrf_token": token,
        "mode": "form",
        "model.name": "Frontier NY",
        "model.training_compute_flop": "2e26 FLOP",
        "model.output_modalities.text": "on",
        "model.open_weights": "false",
        "developer.annual_revenue_usd": "$1bn",
        "deployment.markets": "US-NY",
    }
    response = client.post("/dossiers", data=form, follow_redirects=False)
    assert response.headers["location"] == "/dossiers/frontier-ny"
    content = client.get("/api/v1/dossiers/frontier-ny").json()["content"]
    assert content["model"]["training_compute_flop"] == 2e26
    assert content["model"]["output_modalities"] == ["text"]
    assert content["deployment"]["markets"] == ["US-NY"]
    bad = client.post("/dossiers", data={**form, "model.parameters": "5 USD"})
    assert bad.status_code == 400
    assert errors(bad.text)[0].startswith("error: form: model.parameters = '5 USD': expected")
    assert 'value="2e26 FLOP"' in bad.text  # the form keeps what was typed


def test_obligations_change_with_the_as_of_date(client: TestClient) -> None:
    _llama(client)
    before = client.get("/dossiers/llama-3.1-405b/assessment?as_of=2025-08-01&j=EU")
    after = client.get("/dossiers/llama-3.1-405b/assessment?as_of=2025-08-02&j=EU")
    assert before.status_code == after.status_code == 200
    assert "eu.ai_act.art55" not in provisions(before.text)
    assert provisions(after.text)["eu.ai_act.art55"] == "yes"
    assert "serious incidents" in after.text.lower()
    default = client.get("/dossiers/llama-3.1-405b/assessment?j=EU")  # today is 2025-08-01
    assert provisions(default.text) == provisions(before.text)
    bad = client.get("/dossiers/llama-3.1-405b/assessment?as_of=2025-13-01")
    assert bad.status_code == 400
    assert errors(bad.text) == [
        "error: as_of '2025-13-01': expected a date as YYYY-MM-DD, such as 2026-01-01"
    ]
    unknown = client.get("/dossiers/llama-3.1-405b/assessment?j=XX")
    assert unknown.status_code == 400
    assert errors(unknown.text)[0].startswith("error: no instrument in jurisdiction 'XX'")


def test_what_changes_between_two_dates(client: TestClient) -> None:
    _llama(client)
    page = client.get("/dossiers/llama-3.1-405b/changes?from=2025-08-01&to=2025-08-02&j=EU")
    assert page.status_code == 200 and 'data-id="eu.ai_act.art55"' in page.text
    api = client.get(
        "/api/v1/dossiers/llama-3.1-405b/changes",
        params={"from": "2025-08-01", "to": "2025-08-02", "jurisdiction": "EU"},
    ).json()
    found = {(c["id"], c["field"]): (c["before"], c["after"]) for c in api["changes"]}
    assert found[("eu.ai_act", "applies")] == ("no", "yes")
    assert found[("eu.ai_act.art55", "applies")] == ("no", "yes")
    same = client.get("/dossiers/llama-3.1-405b/changes?from=2025-08-02&to=2025-08-02")
    assert 'id="no-changes"' in same.text


def test_edit_history_and_diff(client: TestClient) -> None:
    _llama(client)
    page = client.get("/dossiers/llama-3.1-405b/versions/1")
    text = LLAMA.read_text(encoding="utf-8").replace("405e9", "406e9")
    response = client.post(
        "/dossiers/llama-3.1-405b/versions",
        data={"csrf_token": csrf(page.text), "text": text, "note": "one more billion"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    history = client.get("/dossiers/llama-3.1-405b/history")
    assert "one more billion" in history.text and "model.parameters" in history.text
    assert "+  parameters: 406e9" in history.text
    diff = client.get("/api/v1/dossiers/llama-3.1-405b/diff?a=1&b=2").json()
    assert diff["facts"][0] == {"path": "model.parameters", "before": 4.05e11, "after": 4.06e11}
    assert (
        client.get("/api/v1/dossiers/llama-3.1-405b/versions/1").json()["content"]["model"][
            "parameters"
        ]
        == 4.05e11
    )
    bad = client.post(
        "/dossiers/llama-3.1-405b/versions",
        data={"csrf_token": csrf(page.text), "text": "model: {name: M, paramters: 1}"},
    )
    assert bad.status_code == 400
    assert errors(bad.text)[0].startswith("error: llama-3.1-405b.yaml: model.paramters")


def test_save_an_assessment(client: TestClient) -> None:
    _llama(client)
    page = client.get("/dossiers/llama-3.1-405b/assessment?as_of=2025-08-02&j=EU")
    response = client.post(
        "/dossiers/llama-3.1-405b/assessment",
        data={"csrf_token": csrf(page.text), "as_of": "2025-08-02", "j": "EU", "version": "1"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    saved = client.get(response.headers["location"])
    assert "Saved assessment #1" in saved.text
    assert provisions(saved.text)["eu.ai_act.art55"] == "yes"
    (listed,) = client.get("/api/v1/dossiers/llama-3.1-405b/assessments").json()
    assert (listed["as_of"], listed["jurisdictions"], listed["result"]) == (
        "2025-08-02",
        ["EU"],
        None,
    )
    full = client.get(f"/api/v1/assessments/{listed['id']}").json()
    assert full["result"]["schema"] == "govbridge/assessment/v1"


def test_forms_need_the_csrf_token(client: TestClient) -> None:
    client.get("/dossiers")
    response = client.post(
        "/dossiers",
        data={"csrf_token": "forged", "mode": "file"},
        files={"file": ("m.yaml", b"model: {name: M}\n")},
    )
    assert response.status_code == 403 and "CSRF" in response.text
    assert client.get("/api/v1/dossiers").json() == []


def test_uploads_are_limited_in_size(tmp_path: Path) -> None:
    app = make_app(tmp_path, max_upload_bytes=4096)
    with TestClient(app, raise_server_exceptions=False) as client:
        big = b"model: {name: M}\n" + b"# padding\n" * 1000
        response = _upload(client, "big.yaml", big)
        assert response.status_code == 413 and "the limit is 4096 bytes" in response.text

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams
            for _ in range(10):
                yield b"x" * 1000

        streamed = client.post(
            "/api/v1/dossiers", content=chunks(), headers={"content-type": "application/json"}
        )
        assert streamed.status_code == 413
        assert client.get("/api/v1/dossiers").json() == []


def test_api_dossiers_and_errors(client: TestClient) -> None:
    text = LLAMA.read_text(encoding="utf-8")
    created = client.post("/api/v1/dossiers", json={"text": text, "filename": "llama.yaml"})
    assert created.status_code == 201 and created.json()["created"] is True
    as_object = client.post(
        "/api/v1/dossiers", json={"name": "tiny", "dossier": {"model": {"name": "Tiny"}}}
    )
    assert as_object.status_code == 201 and as_object.json()["name"] == "tiny"
    bad = client.post("/api/v1/dossiers", json={"text": "model: {name: M, paramters: 1}"})
    assert bad.status_code == 400
    assert bad.json()["detail"].startswith("error: dossier.yaml: model.paramters: unknown key")
    both = client.post("/api/v1/dossiers", json={"text": "x", "dossier": {}})
    assert both.status_code == 400
    not_json = client.post(
        "/api/v1/dossiers", content=b"model: {}", headers={"content-type": "text/plain"}
    )
    assert not_json.status_code == 415
    missing = client.get("/api/v1/dossiers/nothing-here")
    assert missing.status_code == 404 and "no dossier 'nothing-here'" in missing.json()["detail"]
    assert client.get("/api/v1/dossiers/Bad Name").status_code == 422
    doc = client.get(
        "/api/v1/dossiers/llama-3.1-405b/assessment",
        params={"as_of": "2025-08-02", "jurisdiction": "EU"},
    ).json()
    assert doc["schema"] == "govbridge/assessment/v1" and doc["as_of"] == "2025-08-02"
    assert [r["applies"] for r in doc["results"]] == ["yes"]
    saved = client.post("/api/v1/dossiers/llama-3.1-405b/assessments", json={"as_of": "2025-08-01"})
    assert saved.status_code == 201 and saved.json()["as_of"] == "2025-08-01"


def test_api_mirrors_assess_and_kb(client: TestClient) -> None:
    body = {
        "dossier": {
            "model": {"name": "M", "training_compute_flop": "2e26"},
            "deployment": {"markets": ["US-NY"]},
        },
        "as_of": "2027-01-01",
        "jurisdiction": ["US-NY"],
    }
    doc = client.post("/api/v1/assess", json=body).json()
    assert [(r["instrument"], r["status"]) for r in doc["results"]] == [("us.ny.raise", "in_force")]
    result = CliRunner().invoke(
        cli, ["kb", "list", "--as-of", "2025-06-01"], env={"COLUMNS": "200"}
    )
    cli_ids = [line.split("\t")[0] for line in result.output.splitlines()]
    api = client.get("/api/v1/kb/instruments?as_of=2025-06-01").json()
    assert [i["id"] for i in api] == cli_ids
    sb53 = client.get("/api/v1/kb/instruments/us.ca.sb53").json()
    assert sb53["id"] == "us.ca.sb53" and sb53["provisions"]
    assert client.get("/api/v1/kb/instruments/us.ca.sb5").status_code == 400


def test_openapi_schema_and_no_cdn(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert all(path.startswith("/api/v1/") for path in schema["paths"])
    assert "/api/v1/dossiers/{name}/assessment" in schema["paths"]
    assert client.get("/docs").status_code == 404  # Swagger UI would load a CDN
    pages = [client.get(p).text for p in ("/dossiers", "/evals", "/login")]
    for html in pages:
        assert "https://" not in html.split("<main>")[0]
        for src in (*__import__("re").findall(r'(?:src|href)="([^"]+)"', html),):
            assert src.startswith(("/", "#")), src
    assert client.get("/static/app.css").headers["content-type"].startswith("text/css")
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/static/nothing.js").status_code == 404
    assert client.get("/static/..%2F..%2Fpyproject.toml").status_code == 404


def test_templates_escape_what_users_write(client: TestClient) -> None:
    evil = "<script>alert(1)</script>"
    response = client.post(
        "/api/v1/dossiers", json={"name": "evil", "dossier": {"model": {"name": evil}}}
    )
    assert response.status_code == 201
    for path in ("/dossiers", "/dossiers/evil", "/dossiers/evil/assessment"):
        html = client.get(path).text
        assert evil not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_security_headers_and_host_check(client: TestClient) -> None:
    response = client.get("/dossiers")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "samesite=strict" in response.headers["set-cookie"].lower()
    rebound = client.get("/dossiers", headers={"host": "evil.example"})
    assert rebound.status_code == 400


def test_errors_never_show_a_traceback(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    dash = client.app.state.dashboard  # type: ignore[attr-defined]

    def broken() -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(dash.store, "list_dossiers", broken)
    for path in ("/dossiers", "/api/v1/dossiers"):
        response = client.get(path)
        assert response.status_code == 500
        assert "internal error" in response.text
        assert "secret internals" not in response.text and "Traceback" not in response.text
    assert client.get("/no/such/page").status_code == 404


def test_a_token_guards_everything(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="reachable from other machines"):
        make_app(tmp_path, host="0.0.0.0", allowed_hosts=None)
    app = make_app(tmp_path, host="0.0.0.0", token=TOKEN, allowed_hosts=None)
    with TestClient(app, raise_server_exceptions=False) as client:
        page = client.get("/dossiers/x?y=1", follow_redirects=False)
        assert page.status_code == 303
        assert page.headers["location"] == "/login?next=%2Fdossiers%2Fx%3Fy%3D1"
        assert client.get("/api/v1/dossiers").status_code == 401
        bearer = client.get("/api/v1/dossiers", headers={"authorization": f"Bearer {TOKEN}"})
        assert bearer.status_code == 200
        login = client.get("/login?next=/evals")
        wrong = client.post(
            "/login", data={"csrf_token": csrf(login.text), "token": "nope", "next": "/evals"}
        )
        assert wrong.status_code == 401 and "the token is not right" in wrong.text
        right = client.post(
            "/login",
            data={"csrf_token": csrf(login.text), "token": TOKEN, "next": "//evil.example"},
            follow_redirects=False,
        )
        assert right.status_code == 303 and right.headers["location"] == "/"
        assert client.get("/dossiers").status_code == 200
        out = client.post("/logout", data={"csrf_token": csrf(client.get("/dossiers").text)})
        assert out.status_code == 200 and "Log in" in out.text
        assert client.get("/dossiers", follow_redirects=False).status_code == 303


def test_serve_refuses_to_expose_itself_without_a_token() -> None:
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0"], env={"GOVBRIDGE_TOKEN": ""})
    assert result.exit_code == 2
    assert result.output.startswith("error: --host 0.0.0.0: the dashboard would be reachable")
    assert len(result.output.strip().splitlines()) == 1


def test_evaluation_summaries(client: TestClient) -> None:
    _llama(client)
    page = client.get("/evals")
    response = client.post(
        "/evals",
        data={"csrf_token": csrf(page.text), "dossier": "llama-3.1-405b"},
        files={"file": ("summary.json", json.dumps(SUMMARY).encode(), "application/json")},
        follow_redirects=False,
    )
    assert response.status_code == 303
    shown = client.get(response.headers["location"])
    assert "should_refuse" in shown.text and "97.0%" in shown.text and "94.4–98.4%" in shown.text
    bad = dict(SUMMARY, checks=[dict(SUMMARY["checks"][0], rate=1.5)])  # type: ignore[arg-type]
    refused = client.post(
        "/evals",
        data={"csrf_token": csrf(page.text)},
        files={"file": ("bad.json", json.dumps(bad).encode(), "application/json")},
    )
    assert refused.status_code == 400 and errors(refused.text)[0].startswith(
        "error: evidence bad.json"
    )
    api = client.post("/api/v1/evals?dossier=llama-3.1-405b", json=SUMMARY)
    assert api.status_code == 201 and api.json()["version"] == 1
    assert len(client.get("/api/v1/evals").json()) == 2
    assert client.post("/api/v1/evals", json={"schema": "x"}).status_code == 400


def test_report_in_every_format(client: TestClient) -> None:
    _llama(client)
    page = client.get("/dossiers/llama-3.1-405b/report?as_of=2025-08-02&j=EU")
    assert page.status_code == 200
    for fmt in ("html", "md", "json", "pdf"):
        assert f"report.{fmt}?" in page.text
    base = "/dossiers/llama-3.1-405b/report.{}?as_of=2025-08-02&j=EU&download=true"
    html = client.get(base.format("html"))
    assert html.status_code == 200 and "Llama 3.1 405B" in html.text
    assert "sandbox" in html.headers["content-security-policy"]
    assert 'filename="llama-3.1-405b-v1-2025-08-02.html"' in html.headers["content-disposition"]
    assert "Llama 3.1 405B" in client.get(base.format("md")).text
    doc = client.get(base.format("json")).json()
    assert doc["schema"] == "govbridge/report/v1"
    assert (
        client.get("/api/v1/dossiers/llama-3.1-405b/report?format=md&as_of=2025-08-02").status_code
        == 200
    )


def test_report_pdf_download(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """The PDF route and headers (the renderer itself is govbridge.report's, tested there)."""
    import govbridge.report

    real = govbridge.report.render
    calls: list[str] = []

    def fake(report: Any, fmt: str, lang: str = "en") -> str | bytes:
        calls.append(fmt)
        return b"%PDF-1.7 stand-in" if fmt == "pdf" else real(report, fmt, lang)

    monkeypatch.setattr(govbridge.report, "render", fake)
    _llama(client)
    pdf = client.get("/dossiers/llama-3.1-405b/report.pdf?as_of=2025-08-02&j=EU&download=true")
    assert pdf.status_code == 200 and pdf.content == b"%PDF-1.7 stand-in"
    assert pdf.headers["content-type"] == "application/pdf" and calls == ["pdf"]
    assert pdf.headers["content-disposition"].endswith('-2025-08-02.pdf"')


def test_compare_glossary_and_crosswalk(client: TestClient) -> None:
    compare = client.get("/compare?a=US&b=CN&as_of=2025-06-01")
    assert compare.status_code == 200 and "/compare/view.html?a=US&amp;b=CN" in compare.text
    assert "Bletchley" in client.get("/compare/view.html?a=US&b=CN&as_of=2025-06-01").text
    assert client.get("/compare?a=US&b=US").status_code == 400
    assert client.get("/api/v1/compare?a=US&b=CN&as_of=2025-06-01").json()["a"] == "US"
    search = client.get("/glossary?q=anquan")
    assert search.status_code == 200 and "安全" in search.text
    assert client.get("/glossary/safety").status_code == 200
    assert client.get("/api/v1/glossary?q=anquan").json()[0]["zh"] == "安全"
    schemes = client.get("/crosswalk")
    assert "tc260" in schemes.text
    concept = client.get("/crosswalk/concepts/tc260:A.4.e")
    assert concept.status_code == 200 and "nist-ai-600-1:4" in concept.text
    api = client.get("/api/v1/crosswalk/concepts/tc260:A.4.e").json()
    assert any(m["object"] == "nist-ai-600-1:4" for m in api["mappings"])
    assert client.get("/crosswalk/concepts/zz:1").status_code == 400

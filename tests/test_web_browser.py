"""End to end in a real browser: Debian's Chromium driven by Playwright (no browser download).

Upload an example dossier, open its assessment, change the as-of date, and check that the
obligations change: the EU AI Act's GPAI provisions (Art. 51 to 55) apply from 2025-08-02.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from web_fixtures import LLAMA, live_server, make_app

CHROMIUM = os.environ.get("GOVBRIDGE_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install -y chromium (docs/web.md)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def _shown(page: Any) -> dict[str, str]:
    rows = page.locator("#obligations tr[data-provision]")
    return {
        rows.nth(i).get_attribute("data-provision"): rows.nth(i).get_attribute("data-applies")
        for i in range(rows.count())
    }


def test_upload_assess_and_change_the_date(browser: Any, tmp_path: Path) -> None:
    app = make_app(tmp_path)
    with live_server(app) as base:
        context = browser.new_context()
        page = context.new_page()
        outside: list[str] = []
        page.on(
            "request",
            lambda r: None if r.url.startswith(base) else outside.append(r.url),
        )
        page.goto(f"{base}/dossiers")
        page.set_input_files("#upload-file input[type=file]", str(LLAMA))
        page.click("#upload-file button[type=submit]")
        page.wait_for_url(f"{base}/dossiers/llama-3.1-405b")
        assert "Llama 3.1 405B" in page.inner_text("h1")

        page.click("text=Assess as of today")
        page.wait_for_url(f"{base}/dossiers/llama-3.1-405b/assessment")
        page.check("input[name=j][value=EU]")
        page.fill("#as_of", "2025-08-01")
        page.click("#assess")
        page.wait_for_url("**as_of=2025-08-01**")
        before = _shown(page)
        assert page.inner_text("#shown-as-of") == "2025-08-01"
        assert "eu.ai_act.art55" not in before

        page.fill("#as_of", "2025-08-02")
        page.click("#assess")
        page.wait_for_url("**as_of=2025-08-02**")
        after = _shown(page)
        assert page.inner_text("#shown-as-of") == "2025-08-02"
        assert after["eu.ai_act.art55"] == "yes" and after["eu.ai_act.art53_1ab"] == "yes"
        assert "serious incident" in page.inner_text("#obligations").lower()

        page.fill("input.filter", "art55")  # the one script: filter rows as you type
        visible = page.locator("#obligations tr[data-provision]:visible")
        assert visible.count() == 1
        assert outside == []  # every asset came from the dashboard itself
        context.close()

"""The HTML report in a real browser: headless Chromium (Debian ``chromium``) through Playwright.

The test skips only when the browser or Playwright is truly absent; CI installs both
(``make sysdeps``). No browser is downloaded: Playwright drives the system's Chromium.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from govbridge.dossier import load
from govbridge.kb import KnowledgeBase
from govbridge.report import MESSAGES, build_report, file_digest, load_evidence, render_html
from govbridge.rules import assess

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests/fixtures/report"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
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

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
if not Path(CHROMIUM).is_file():
    pytest.skip(
        f"Chromium is not installed ({CHROMIUM}): run make sysdeps", allow_module_level=True
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_html_report_renders_in_chromium(kb: KnowledgeBase, tmp_path: Path, lang: str) -> None:
    dossier = FIXTURES / "frontier-cn.yaml"
    report = build_report(
        assess(load(dossier), kb, dt.date(2026, 11, 27)),
        kb,
        evidence=[load_evidence(FIXTURES / "eval-summary.json")],
        dossier_file=file_digest(dossier),
    )
    page_file = tmp_path / f"report.{lang}.html"
    page_file.write_text(render_html(report, lang), encoding="utf-8")
    requests: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1600})
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_file.as_uri())
            headings = page.locator("h2").all_inner_texts()
            for key in ("h.summary", "h.gaps", "h.method"):
                assert MESSAGES[key][lang] in headings
            details = [h for h in headings if h.startswith(MESSAGES["h.details"][lang])]
            assert len(details) == 3  # the US, China and the EU
            assert page.locator("#summary-CN table").count() >= 2
            assert page.locator("ol.gaps li").count() >= 3
            charts = page.locator("svg.chart")
            assert charts.count() >= 3
            box = charts.first.bounding_box()
            assert box is not None and box["width"] > 200 and box["height"] > 40
            assert page.locator("#content-CN .threshold").count() >= 1
            page.screenshot(path=str(tmp_path / f"report.{lang}.png"), full_page=False)
            # printable: the table of contents is hidden on paper, the sections are not
            page.emulate_media(media="print")
            assert not page.locator("nav").is_visible()
            assert page.locator("#gaps").is_visible()
        finally:
            browser.close()
    assert (tmp_path / f"report.{lang}.png").stat().st_size > 10_000
    # the page loaded itself and nothing else
    assert [u for u in requests if not u.startswith("file://")] == []

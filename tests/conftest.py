from __future__ import annotations

from pathlib import Path

import pytest

from govbridge.kb import KnowledgeBase, load_kb

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep the knowledge-base cache of the tests out of the user's home."""
    monkeypatch.setenv("GOVBRIDGE_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_kb(cache=False)

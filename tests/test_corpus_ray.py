"""The Ray engine on this machine (a local Ray instance): the same outputs as the local one."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("ray.data", reason="the ray extra is part of the dev install")

from test_corpus import make_corpus, outputs, run  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::FutureWarning")


def test_ray_and_local_give_identical_outputs(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "in", files=6)
    run([corpus], tmp_path / "local", seed=3, workers=1)
    run([corpus], tmp_path / "ray", seed=3, workers=2, engine="ray")
    local = outputs(tmp_path / "local")
    ray = outputs(tmp_path / "ray")
    assert ray == local
    assert local["summary"]["totals"]["flagged_documents"] > 0

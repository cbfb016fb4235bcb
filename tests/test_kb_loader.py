"""The knowledge-base loader: the bundled data loads, and every broken file is a clear error."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from govbridge.errors import KBLoadError
from govbridge.kb import KnowledgeBase, load_kb

BROKEN = Path(__file__).parent / "kb_broken"
FIXTURES = sorted(p for p in BROKEN.glob("*.yaml") if not p.name.startswith("_"))


def _expected(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: "), f"{path.name} must start with '# expect: ...'"
    return first.removeprefix("# expect: ")


def _tree(tmp_path: Path, fixture: Path) -> Path:
    folder = tmp_path / "data" / "t" / "act"
    folder.mkdir(parents=True)
    if fixture.name.startswith("index-"):
        shutil.copy(fixture, folder / "index.yaml")
        shutil.copy(BROKEN / "_valid_provision.yaml", folder / "p.yaml")
    else:
        shutil.copy(BROKEN / "_valid_index.yaml", folder / "index.yaml")
        shutil.copy(fixture, folder / fixture.name)
    return tmp_path / "data"


@pytest.mark.parametrize("fixture", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_broken_yaml_is_a_clear_error(tmp_path: Path, fixture: Path) -> None:
    root = _tree(tmp_path, fixture)
    with pytest.raises(KBLoadError) as info:
        load_kb(root, cache=False)
    message = str(info.value)
    assert _expected(fixture) in message
    assert message.startswith("t/act/"), "the message names the file"
    assert "\n" not in message


def test_the_valid_fixtures_load(tmp_path: Path) -> None:
    root = _tree(tmp_path, BROKEN / "_valid_provision.yaml")
    kb = load_kb(root, cache=False)
    assert list(kb.instruments) == ["t.act"]
    assert [p.id for p in kb.instruments["t.act"].provisions] == ["t.act._valid_provision"]


def test_the_bundled_knowledge_base_loads(kb: KnowledgeBase) -> None:
    required = {
        "us.eo14110",
        "us.ca.sb1047",
        "us.ca.sb53",
        "us.ny.raise",
        "us.co.sb24_205",
        "eu.ai_act",
        "cn.genai_interim_measures",
        "cn.deep_synthesis",
        "cn.algorithm_recommendation",
        "cn.labeling_measures",
        "cn.tc260_003",
        "cn.gbt_45654_2025",
    }
    assert required <= set(kb.instruments)
    assert len(kb.version) == 12


def test_every_instrument_is_sourced_and_bilingual(kb: KnowledgeBase) -> None:
    for inst in kb.instruments.values():
        assert inst.data.title.zh and inst.data.title.en
        assert inst.data.sources
        if inst.data.jurisdiction != "INT":
            assert inst.provisions, f"{inst.id} has no provisions"
        for prov in inst.provisions:
            assert prov.data.title.zh, prov.id
            for ob in prov.data.obligations:
                assert ob.source in inst.sources and ob.section


def test_the_cache_is_used_and_invalidated(tmp_path: Path) -> None:
    root = _tree(tmp_path, BROKEN / "_valid_provision.yaml")
    first = load_kb(root)
    assert load_kb(root) == first
    assert list(Path(os.environ["GOVBRIDGE_CACHE_DIR"]).rglob("kb-*.pickle"))
    provision = root / "t" / "act" / "_valid_provision.yaml"
    provision.write_text(provision.read_text().replace("is: true", "is: false"))
    changed = load_kb(root)
    assert changed.version != first.version
    provision.write_text("title: [broken\n")
    with pytest.raises(KBLoadError):
        load_kb(root)

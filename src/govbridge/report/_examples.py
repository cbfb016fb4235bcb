"""Regenerate the example reports in ``docs/examples/`` (generated output, checked by a test).

Run from the project root::

    python -m govbridge.report._examples            # write docs/examples/
    python -m govbridge.report._examples --check    # exit 1 when a file is stale

The examples are the reports of ``examples/llama-3.1-405b.yaml`` as of a fixed date, without
evidence (no content evaluation of that model is bundled), in English and Chinese.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

__all__ = ["AS_OF", "DOSSIERS", "OUT_DIR", "render_examples"]

#: The fixed date of the example reports.
AS_OF = dt.date(2026, 11, 27)
#: The example dossiers, relative to the project root.
DOSSIERS = ("examples/llama-3.1-405b.yaml",)
#: Where the examples go, relative to the project root.
OUT_DIR = "docs/examples"


def render_examples(root: str | Path = ".") -> dict[str, str]:
    """The example files, by path relative to the project root.

    Args:
        root: The project root (where ``examples/`` is).

    Returns:
        ``{relative path: text}`` for every example file.
    """
    from govbridge.compute import estimated_facts
    from govbridge.dossier import load
    from govbridge.kb import load_kb
    from govbridge.report._build import build_report, file_digest
    from govbridge.report._render import render_html, render_json, render_markdown
    from govbridge.rules import assess

    base = Path(root)
    kb = load_kb()
    out: dict[str, str] = {}
    for rel in DOSSIERS:
        path = base / rel
        dossier = load(path)
        assessment = assess(dossier, kb, AS_OF, facts=estimated_facts(dossier))
        report = build_report(assessment, kb, dossier_file=file_digest(path))
        stem = f"{OUT_DIR}/{path.name.removesuffix('.yaml')}"
        out[f"{stem}.json"] = render_json(report)
        for lang in ("en", "zh"):
            out[f"{stem}.{lang}.html"] = render_html(report, lang)
            out[f"{stem}.{lang}.md"] = render_markdown(report, lang)
    return out


def main(argv: list[str]) -> int:
    """Write the examples, or with ``--check`` report the stale ones."""
    from govbridge.attest import write_atomic

    check = "--check" in argv
    stale = []
    for rel, text in render_examples().items():
        path = Path(rel)
        data = text.encode("utf-8")
        if check:
            if not path.is_file() or path.read_bytes() != data:
                stale.append(rel)
        else:
            write_atomic(path, data)
            print(f"wrote {rel}")
    for rel in stale:
        print(f"stale: {rel} (run python -m govbridge.report._examples)", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Generate docs/instruments.md from the knowledge base.

Run ``python -m govbridge.kb._docs > docs/instruments.md`` (or ``make docs``); a test fails when
the checked-in file differs, so every instrument and provision is documented.
"""

from __future__ import annotations

from govbridge.kb._load import KnowledgeBase, load_kb

__all__ = ["render"]

_EVENTS = (
    "introduced",
    "signed",
    "published",
    "vetoed",
    "effective",
    "revoked",
    "repealed",
    "superseded",
)


def render(kb: KnowledgeBase) -> str:
    """Every instrument with its dates, provisions, parameters and sources, as Markdown."""
    out = [
        "# Instruments in the knowledge base",
        "",
        f"Edition {kb.edition}. Generated from `src/govbridge/data` by `make docs`",
        "(`python -m govbridge.kb._docs`); a test checks that this file is up to date. Dates",
        "marked *unverified* rest on secondary sources; see the note in the data.",
        "",
        "| id | jurisdiction | kind | title |",
        "| --- | --- | --- | --- |",
    ]
    ordered = sorted(kb.instruments.values(), key=lambda i: (i.data.jurisdiction, i.id))
    for inst in ordered:
        out.append(
            f"| [`{inst.id}`](#{inst.id.replace('.', '')}) | {inst.data.jurisdiction} | "
            f"{inst.data.kind} | {inst.data.title.en} |"
        )
    for inst in ordered:
        data = inst.data
        out += ["", f"## {inst.id}", "", f"**{data.title.en}**  ", f"{data.title.zh}", ""]
        binding = "" if data.binding else "; not binding"
        out.append(
            f"Jurisdiction {data.jurisdiction}; {data.kind}; focus {', '.join(data.focus)}"
            f"{binding}."
        )
        out.append("")
        life = data.lifecycle
        for name in _EVENTS:
            event = getattr(life, name)
            if event is not None:
                flag = " (*unverified*)" if not event.verified else ""
                out.append(f"- {name}: {event.date}{flag}: {event.section}")
        for event in life.amended:
            flag = " (*unverified*)" if not event.verified else ""
            out.append(f"- amended: {event.date}{flag}: {event.section}")
        if life.superseded_by:
            out.append(f"- superseded by `{life.superseded_by}`")
        out += ["", "| provision | addressee | title |", "| --- | --- | --- |"]
        for prov in inst.provisions:
            out.append(f"| `{prov.id}` | {prov.data.addressee} | {prov.data.title.en} |")
        params = [(p, n, q) for p in inst.provisions for n, q in p.data.parameters.items()]
        if params:
            out += [
                "",
                "| parameter | from | value | unit | section |",
                "| --- | --- | --- | --- | --- |",
            ]
            for prov, name, param in params:
                for when, value in sorted(param.values.items()):
                    shown = "repealed" if value.value is None else f"{value.value:g}"
                    flag = " (*unverified*)" if not value.verified else ""
                    out.append(
                        f"| `{prov.id.rsplit('.', 1)[1]}.{name}` | {when} | {shown}{flag} | "
                        f"{param.unit} | {value.section} |"
                    )
        out += ["", "Sources:", ""]
        out += [f"- `{s.id}`: [{s.title}]({s.url})" for s in data.sources]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(render(load_kb(cache=False)), end="")

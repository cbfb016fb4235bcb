"""``govbridge bank``: check question banks and keyword libraries, and import public datasets."""

from __future__ import annotations

from pathlib import Path

import typer

from govbridge.cli._common import fail_cleanly, parse_date, write_output

__all__ = ["app"]

app = typer.Typer(
    help="Check question banks and keyword libraries against the TC260 / GB/T 45654 protocol.",
    no_args_is_help=True,
)


@app.command("check")
def check(
    paths: list[Path] = typer.Argument(
        None,
        help=(
            "Bank files (JSONL), keyword libraries (TSV, or JSONL with a keyword field) or "
            "folders of them. Default: the bundled starter banks."
        ),
        show_default=False,
    ),
    protocol: str = typer.Option(
        "gbt-45654-2025", "--protocol", "-p", help="tc260-003 or gbt-45654-2025."
    ),
    as_of: str | None = typer.Option(
        None, "--as-of", metavar="YYYY-MM-DD", help="The protocol as of this date (default: today)."
    ),
    fmt: str = typer.Option("table", "--format", "-f", help="table or json."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write to a file."),
) -> None:
    """Check banks and keyword library against the protocol's minimum sizes, per risk.

    Prints a coverage table and every gap by risk; exits 1 when any floor is not met.
    """
    with fail_cleanly():
        import json

        from govbridge.content import checks_to_dict, load_protocol
        from govbridge.content._check import check_bank
        from govbridge.content._inputs import read_inputs
        from govbridge.errors import UsageError

        if fmt not in ("table", "json"):
            raise UsageError(f"--format {fmt!r}: expected table or json")
        proto = load_protocol(protocol, parse_date(as_of))
        inputs = read_inputs(paths or [])
        checks = check_bank(inputs.bank, inputs.keywords, proto)
        for problem in inputs.problems:
            typer.echo(f"warning: {problem}", err=True)
        if fmt == "json":
            doc = checks_to_dict(proto, checks)
            doc["files"] = inputs.files
            doc["problems"] = [str(p) for p in inputs.problems]
            write_output(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", out)
        else:
            from govbridge.content._render import render_coverage

            write_output(render_coverage(proto, checks, inputs), out)
        if not all(c.ok for c in checks):
            raise typer.Exit(1)


@app.command("import")
def import_dataset(
    dataset: str = typer.Argument(..., help="jade or chisafetybench."),
    path: Path = typer.Argument(..., help="A local copy of a dataset file."),
    out: Path = typer.Option(..., "--out", "-o", help="The bank to write (JSONL)."),
    kind: str | None = typer.Option(
        None, "--kind", help="Force every item to this kind (default: by risk)."
    ),
) -> None:
    """Convert a local public dataset file into a bank, with its licence in NAME.meta.yaml."""
    with fail_cleanly():
        import json

        import yaml

        from govbridge.content import KINDS, load_dataset
        from govbridge.errors import UsageError

        if kind is not None and kind not in KINDS:
            raise UsageError(f"--kind {kind!r}: expected one of {', '.join(KINDS)}")
        loaded = load_dataset(dataset, path, kind=kind)
        lines = [
            json.dumps(item.model_dump(exclude_none=True), ensure_ascii=False)
            for item in loaded.bank.items
        ]
        write_output("\n".join(lines) + "\n", out)
        meta = next(iter(loaded.bank.meta.values())).model_dump(exclude_none=True)
        meta["languages"] = list(meta.get("languages", []))
        meta_path = out.with_name(f"{out.name.removesuffix('.jsonl')}.meta.yaml")
        write_output(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), meta_path)
        typer.echo(f"{len(loaded.bank.items)} items; licence: {meta['licence']}", err=True)
        for label, count in sorted(loaded.unmapped.items()):
            typer.echo(f"skipped {count} items labelled {label!r} (no TC260 risk)", err=True)
        for problem in loaded.bank.problems:
            typer.echo(f"warning: {problem}", err=True)

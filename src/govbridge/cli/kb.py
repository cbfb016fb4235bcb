"""``govbridge kb``: inspect and check the knowledge base."""

from __future__ import annotations

from pathlib import Path

import typer

from govbridge.cli._common import fail_cleanly, parse_date

__all__ = ["app"]

app = typer.Typer(help="Inspect and check the knowledge base.", no_args_is_help=True)


@app.command("validate")
def validate(
    data_dir: Path | None = typer.Option(
        None, "--data-dir", help="A knowledge-base folder (default: the bundled one)."
    ),
) -> None:
    """Load the knowledge base strictly and report the first problem, if any."""
    with fail_cleanly():
        from govbridge.kb import load_kb

        kb = load_kb(data_dir)
        provisions = sum(len(i.provisions) for i in kb.instruments.values())
        typer.echo(
            f"ok: {len(kb.instruments)} instruments, {provisions} provisions "
            f"(edition {kb.edition}, version {kb.version})"
        )


@app.command("list")
def list_instruments(
    as_of: str | None = typer.Option(
        None, "--as-of", metavar="YYYY-MM-DD", help="Show the status on this date (default: today)."
    ),
) -> None:
    """List the instruments with their jurisdiction, kind and status on a date."""
    with fail_cleanly():
        from govbridge.kb import load_kb
        from govbridge.rules import instrument_status

        when = parse_date(as_of)
        kb = load_kb()
        for inst in sorted(kb.instruments.values(), key=lambda i: (i.data.jurisdiction, i.id)):
            status, since = instrument_status(inst, when)
            since_text = f" since {since}" if since else ""
            typer.echo(
                f"{inst.id}\t{inst.data.jurisdiction}\t{inst.data.kind}\t{status}{since_text}"
                f"\t{inst.data.title.en}"
            )


@app.command("show")
def show(
    instrument: str = typer.Argument(..., help="An instrument id, such as us.ca.sb53."),
) -> None:
    """Show one instrument: titles, lifecycle, sources, provisions and parameters."""
    with fail_cleanly():
        from govbridge.kb import load_kb

        inst = load_kb().instrument(instrument)
        data = inst.data
        typer.echo(f"{inst.id}: {data.title.en}\n{' ' * len(inst.id)}  {data.title.zh}")
        typer.echo(
            f"jurisdiction {data.jurisdiction}; kind {data.kind}; focus {', '.join(data.focus)}"
        )
        life = data.lifecycle
        for name in (
            "introduced",
            "signed",
            "published",
            "vetoed",
            "effective",
            "revoked",
            "repealed",
            "superseded",
        ):
            event = getattr(life, name)
            if event is not None:
                flag = "" if event.verified else " [unverified]"
                typer.echo(f"  {name}: {event.date} ({event.source}, {event.section}){flag}")
        for event in life.amended:
            typer.echo(f"  amended: {event.date} ({event.source}, {event.section})")
        if data.forum:
            typer.echo(f"forum: {data.forum}")
        for party in data.participants:
            on = f" on {party.date}" if party.date else ""
            flag = "" if party.verified else " [unverified]"
            typer.echo(f"  {party.party}: {party.role}{on} ({party.source}, {party.section}){flag}")
        for prov in inst.provisions:
            typer.echo(f"provision {prov.id} ({prov.data.addressee}): {prov.data.title.en}")
            for name, param in prov.data.parameters.items():
                for when, value in sorted(param.values.items()):
                    typer.echo(
                        f"    {name} from {when}: {value.value} {param.unit} ({value.section})"
                    )
            for ob in prov.data.obligations:
                typer.echo(f"    - {ob.id}: {ob.summary.en} [{ob.deadline.text}]")
        for src in data.sources:
            typer.echo(f"source {src.id}: {src.title} <{src.url}>")


@app.command("unverified")
def unverified(
    as_json: bool = typer.Option(False, "--json", help="Print JSON lines instead of text."),
) -> None:
    """List every fact in the knowledge base marked verified: false, with its note."""
    with fail_cleanly():
        import json

        from govbridge.kb import load_kb
        from govbridge.kb._load import unverified_facts

        for fact in unverified_facts(load_kb()):
            if as_json:
                typer.echo(json.dumps(fact, ensure_ascii=False, default=str))
            else:
                typer.echo(f"{fact['file']}: {fact['key']}: {fact['section']} -- {fact['note']}")

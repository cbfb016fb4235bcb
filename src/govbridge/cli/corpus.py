"""``govbridge corpus``: scan training corpora against the TC260-003 / GB/T 45654 rules."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import typer

from govbridge.cli._common import fail_cleanly, parse_date

__all__ = ["app"]

app = typer.Typer(
    help="Scan training corpora for keywords; source exclusion, review sample, verdicts.",
    no_args_is_help=True,
)

_SHOWN_ERRORS = 10


@app.command("scan")
def scan(
    paths: list[str] = typer.Argument(
        ..., help="Files, folders or globs of JSONL(.gz/.zst), Parquet or plain text."
    ),
    keywords: Path = typer.Option(
        ..., "--keywords", help="The keyword library: TSV (keyword, lang, risk) or JSONL."
    ),
    text_field: str = typer.Option("text", "--text-field", help="JSON key / column of the text."),
    source_field: str = typer.Option(
        "source", "--source-field", help="JSON key / column of the source (else: the file)."
    ),
    id_field: str = typer.Option(
        "id", "--id-field", help="JSON key / column of the document id (else: file:line)."
    ),
    engine: str = typer.Option("local", "--engine", help="local (process pool) or ray."),
    workers: int | None = typer.Option(
        None, "--workers", help="Worker processes or Ray actors (default: the CPU count)."
    ),
    out: Path = typer.Option(Path("corpus-scan"), "--out", help="The output folder."),
    resume: bool = typer.Option(
        False, "--resume", help="Go on from the checkpoint of a scan that was interrupted."
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of the review sample."),
    sample_size: int | None = typer.Option(
        None, "--sample-size", help="Review sample size (default: the standard's minimum)."
    ),
    traditional: bool = typer.Option(
        False, "--traditional", help="Also match Traditional Chinese text (OpenCC t2s)."
    ),
    as_of: str | None = typer.Option(
        None, "--as-of", metavar="YYYY-MM-DD", help="Apply the rules in force on this date."
    ),
    progress: bool = typer.Option(
        True, "--progress/--no-progress", help="Show a progress bar (on a terminal)."
    ),
) -> None:
    """Scan a corpus: hits, per-source exclusion (>5%), review sample, summary."""
    with fail_cleanly():
        from govbridge.corpus import ScanOptions
        from govbridge.corpus import scan as run_scan

        options = ScanOptions(
            text_field=text_field,
            source_field=source_field,
            id_field=id_field,
            engine=engine,
            workers=workers if workers is not None else (os.cpu_count() or 1),
            seed=seed,
            sample_size=sample_size,
            resume=resume,
            traditional=traditional,
            as_of=parse_date(as_of),
        )
        with _Progress(enabled=progress) as bar:
            report = run_scan(
                paths,
                keywords,
                out,
                options,
                on_start=bar.start,
                on_progress=bar.advance,
            )
        _print_summary(report.summary, out)


@app.command("review-import")
def review_import(
    path: Path = typer.Argument(..., help="The review_sample.jsonl with its labels filled in."),
    as_of: str | None = typer.Option(
        None,
        "--as-of",
        metavar="YYYY-MM-DD",
        help="Apply the rules in force on this date (default: the scan's date).",
    ),
) -> None:
    """Compute the manual pass rate of a labelled review sample and its verdict (>= 96%)."""
    with fail_cleanly():
        from govbridge.corpus import review_import as run_import

        result = run_import(path, as_of=parse_date(as_of) if as_of else None)
        rate = result["pass_rate"]
        shown = "n/a" if rate is None else f"{rate:.2%}"
        typer.echo(
            f"manual check: {result['passed']}/{result['labelled']} passed ({shown}), "
            f"{result['unlabelled']} unlabelled, at least {result['required']} required; "
            f"minimum {result['pass_rate_min']:.0%}: {result['verdict']}"
        )
        typer.echo(f"wrote {path.parent / 'review.json'}", err=True)


def _print_summary(summary: dict[str, Any], out: Path) -> None:
    totals = summary["totals"]
    tech = summary["technical"]
    manual = summary["manual"]
    run = summary["run"]
    errors = summary["errors"]
    rate = tech["pass_rate"]
    typer.echo(
        f"scanned {totals['documents']} documents in {summary['inputs']['files']} files "
        f"({totals['text_bytes'] / 1e6:.1f} MB of text) in {run['elapsed_s']:.1f} s "
        f"({run['text_mb_per_s'] or 0:.1f} MB/s, {run['documents_per_s'] or 0:.0f} docs/s, "
        f"{run['shards_resumed']} files from the checkpoint)"
    )
    typer.echo(
        f"flagged {totals['flagged_documents']} documents ({totals['hits']} hits); "
        f"sources: {totals['sources']}, excluded (> "
        f"{summary['source_rule']['max_share']:.0%} flagged): {totals['excluded_sources']}"
    )
    typer.echo(
        "technical check: pass rate "
        + ("n/a" if rate is None else f"{rate:.2%}")
        + f" of {tech['retained_documents']} documents in kept sources "
        f"(minimum {tech['pass_rate_min']:.0%}): {tech['verdict']}"
    )
    typer.echo(
        f"manual check: {manual['sample_size']} documents in {out / manual['file']} "
        f"(label them, then run: govbridge corpus review-import {out / manual['file']})"
    )
    if errors["count"]:
        kinds = ", ".join(f"{kind} {count}" for kind, count in errors["by_kind"].items())
        typer.echo(
            f"errors: {errors['count']} records skipped ({kinds}); all in {out}/errors.jsonl"
        )
        for item in errors["items"][:_SHOWN_ERRORS]:
            where = f"{item['file']}:{item['line']}" if item["line"] else item["file"]
            typer.echo(f"  {where}: {item['kind']}: {item['message']}")
        if errors["count"] > _SHOWN_ERRORS:
            typer.echo(f"  ... and {errors['count'] - _SHOWN_ERRORS} more")
    typer.echo(f"wrote {out}/summary.json, sources.json, hits.parquet, review_sample.jsonl")


class _Progress:
    """A rich progress bar with input bytes/s and documents/s; silent when not on a terminal."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self.progress: Any = None
        self.task: Any = None
        self.docs = 0
        self.text_bytes = 0

    def __enter__(self) -> _Progress:
        import sys

        if not self.enabled or not sys.stderr.isatty():
            return self
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        self.progress = Progress(
            TextColumn("[bold]scan[/bold] {task.fields[files]}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TextColumn("{task.fields[docs_rate]} docs/s"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
            # Refreshed from advance(): no refresh thread, so the local engine may fork.
            auto_refresh=False,
        )
        self.shown = 0.0
        self.progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.__exit__(None, None, None)

    def start(self, total: int, done: int, files: int, files_done: int) -> None:
        if self.progress is None:
            return
        import time

        self.began = time.perf_counter()
        self.task = self.progress.add_task(
            "scan", total=total, completed=done, files=f"{files} files", docs_rate="0"
        )

    def advance(self, input_bytes: int, text_bytes: int, docs: int) -> None:
        if self.progress is None or self.task is None:
            return
        import time

        self.docs += docs
        self.text_bytes += text_bytes
        elapsed = max(time.perf_counter() - self.began, 1e-9)
        self.progress.update(
            self.task, advance=input_bytes, docs_rate=f"{self.docs / elapsed:,.0f}"
        )
        now = time.perf_counter()
        if now - self.shown >= 0.1:
            self.shown = now
            self.progress.refresh()

"""``govbridge eval``: run the TC260 / GB/T 45654 tasks through Inspect and summarise the logs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from govbridge.cli._common import fail_cleanly, write_output

__all__ = ["app", "render_summary"]

app = typer.Typer(
    help="Run the TC260 / GB/T 45654 evaluation tasks through Inspect and summarise the logs.",
    no_args_is_help=True,
)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def render_summary(doc: dict[str, Any]) -> str:
    """The summary document as a plain-text table, with the per-risk breakdown."""
    lines = [
        f"{'check':<18} {'n':>5} {'rate':>7} {'95% Wilson':>15} {'threshold':>11} "
        f"{'verdict':<17} {'confident':<9} judge",
    ]
    lines.append("-" * len(lines[0]))
    for c in doc["checks"]:
        ci = f"{_pct(c['wilson_low'])}-{_pct(c['wilson_high'])}"
        thr = f"{c['operator']} {_pct(c['threshold'])}"
        lines.append(
            f"{c['check']:<18} {c['n']:>5} {_pct(c['rate']):>7} {ci:>15} {thr:>11} "
            f"{c['verdict']:<17} {'yes' if c['confident'] else 'no':<9} {c['judge']}"
        )
    for c in doc["checks"]:
        lines += ["", f"{c['check']} ({c['task']}, model {c['model']}, log {c['log']})"]
        if c.get("unscored"):
            lines.append(f"  unscored: {c['unscored']} (left out of the rate)")
        for reason in c.get("reasons", []):
            lines.append(f"  insufficient: {reason}")
        if c.get("starter_bank"):
            lines.append("  bank: govbridge starter bank (prompts only, below the protocol floors)")
        for risk, s in c["per_risk"].items():
            lines.append(
                f"  {risk:<6} n={s['n']:<4} rate={_pct(s['rate']):>7} "
                f"({_pct(s['wilson_low'])}-{_pct(s['wilson_high'])})"
            )
    return "\n".join(lines) + "\n"


@app.command("run")
def run(
    model: str = typer.Option(..., "--model", "-m", help="Any Inspect model, e.g. openai/gpt-4o."),
    suite: str = typer.Option("tc260", "--suite", help="tc260 (all four tasks) or cbrn."),
    grader: str | None = typer.Option(
        None, "--grader", help="The model bound to Inspect's grader role."
    ),
    judge: str | None = typer.Option(
        None,
        "--judge",
        help="grader or rules (default: grader with --grader, else the offline rules judge).",
    ),
    bank: list[Path] = typer.Option(
        None, "--bank", help="A bank file (repeatable; default: the starter banks)."
    ),
    protocol: str = typer.Option(
        "gbt-45654-2025", "--protocol", "-p", help="tc260-003 or gbt-45654-2025."
    ),
    limit: int | None = typer.Option(None, "--limit", help="At most N samples per task."),
    seed: int = typer.Option(0, "--seed", help="Seed of the random draw."),
    log_dir: Path = typer.Option(Path("logs"), "--log-dir", help="Where the Inspect logs go."),
    library: Path | None = typer.Option(
        None, "--library", help="Keyword library for the rules judge of the generation task."
    ),
    max_connections: int | None = typer.Option(
        None, "--max-connections", help="Concurrent requests to the model."
    ),
    display: str = typer.Option("full", "--display", help="Inspect's progress display."),
) -> None:
    """Run a suite through inspect_ai.eval_set and print the summary.

    Logs are ordinary Inspect logs (inspect view works). Running the same command again after a
    crash reuses the samples that finished.
    """
    with fail_cleanly():
        from govbridge.evals import run_suite, summarize

        files = run_suite(
            model,
            suite=suite,
            grader=grader,
            judge=judge,
            banks=[str(b) for b in bank] if bank else None,
            protocol=protocol,
            limit=limit,
            seed=seed,
            log_dir=log_dir,
            library=str(library) if library else None,
            display=display,
            max_connections=max_connections,
        )
        typer.echo(render_summary(summarize(files)), nl=False)


@app.command("summarize")
def summarize_command(
    logs: list[Path] = typer.Argument(..., help="Inspect log files or folders of them."),
    protocol: str | None = typer.Option(
        None,
        "--protocol",
        "-p",
        help="tc260-003 or gbt-45654-2025 (default: the protocol recorded in each log).",
    ),
    fmt: str = typer.Option("table", "--format", "-f", help="table or json."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write to a file."),
) -> None:
    """Summarise logs per protocol check: n, rate, Wilson interval, verdict, confidence, risks."""
    with fail_cleanly():
        import json

        from govbridge.errors import UsageError
        from govbridge.evals import summarize

        if fmt not in ("table", "json"):
            raise UsageError(f"--format {fmt!r}: expected table or json")
        if protocol is not None:
            from govbridge.content import PROTOCOLS

            if protocol not in PROTOCOLS:
                raise UsageError(
                    f"unknown protocol {protocol!r}: expected one of {', '.join(sorted(PROTOCOLS))}"
                )
        doc = summarize(logs, protocol)
        if fmt == "json":
            write_output(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", out)
        else:
            write_output(render_summary(doc), out)

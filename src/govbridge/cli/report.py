"""``govbridge report``: the harmonised report of a dossier, in HTML, Markdown, JSON or PDF."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from govbridge.cli._common import fail_cleanly, parse_date, write_output

if TYPE_CHECKING:
    from govbridge.dossier import Dossier
    from govbridge.report import EvidenceFile, Report

__all__ = ["Lang", "ReportFormat", "build", "dossier_evidence_files", "register", "write_bytes"]


class ReportFormat(StrEnum):
    """Output formats of ``report``."""

    html = "html"
    md = "md"
    json = "json"
    pdf = "pdf"


class Lang(StrEnum):
    """Languages of ``report``."""

    en = "en"
    zh = "zh"


def write_bytes(data: bytes, out: Path) -> None:
    """Write bytes atomically (temporary name, sync, rename) and say so on standard error.

    Raises:
        UsageError: When the file cannot be written.
    """
    from govbridge.attest import write_atomic
    from govbridge.errors import UsageError

    try:
        write_atomic(out, data)
    except OSError as exc:
        raise UsageError(f"--out {out}: cannot write the file ({exc.strerror})") from None
    typer.echo(f"wrote {out}", err=True)


def _looks_like_inspect_log(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    if head.startswith(b"PK\x03\x04"):
        return True  # an Inspect .eval log is a zip archive
    text = head.decode("utf-8", "replace")
    return text.lstrip().startswith("{") and '"eval"' in text and '"schema"' not in text[:200]


def _summarise_log(path: Path) -> EvidenceFile:
    """Summarise an Inspect log of a govbridge task (needs Inspect, the ``eval`` extra)."""
    import hashlib
    import json
    from importlib.util import find_spec

    from govbridge.report import EvidenceError, EvidenceFile, parse_eval_summary

    if find_spec("inspect_ai") is None:
        raise EvidenceError(
            str(path),
            "",
            None,
            "an Inspect log: reading it needs Inspect (pip install inspect-ai), or pass its "
            "govbridge/eval-summary/v1 summary instead",
        )
    from govbridge.evals import summarize

    document = summarize([path])
    summary = parse_eval_summary(json.dumps(document).encode("utf-8"), str(path))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return EvidenceFile(name=path.name, path=str(path), sha256=digest, summary=summary)


def load_evidence_files(paths: list[Path]) -> list[EvidenceFile]:
    """Read the ``--evidence`` files: evaluation summaries, or Inspect logs summarised here.

    Raises:
        EvidenceError: When a file is unreadable or not a valid summary or log.
        UsageError: When a log is not a govbridge log.
    """
    from govbridge.report import load_evidence

    out = []
    for path in paths:
        if path.is_file() and _looks_like_inspect_log(path):
            out.append(_summarise_log(path))
        else:
            out.append(load_evidence(path))
    return out


def dossier_evidence_files(
    loaded: Dossier, dossier: Path, given: list[EvidenceFile]
) -> list[EvidenceFile]:
    """Summarise the Inspect logs the dossier lists under ``evidence.eval_logs``.

    A log also given with ``--evidence`` is read once.

    Raises:
        UsageError: When a path is missing or a file is not a govbridge log, naming the
            dossier file and the field.
    """
    if loaded.evidence is None or not loaded.evidence.eval_logs:
        return []
    from govbridge.errors import UsageError
    from govbridge.evals import dossier_log_files

    known = {Path(f.path).resolve() for f in given}
    out = []
    for field, file in dossier_log_files(loaded, dossier):
        if file.resolve() in known:
            continue
        try:
            out.append(_summarise_log(file))
        except UsageError as exc:
            raise UsageError(f"{dossier}: {field}: {exc}") from None
    return out


def build(
    dossier: Path,
    as_of: str | None,
    evidence: list[Path],
    *,
    crosswalk: bool = True,
) -> Report:
    """Load the dossier and evidence, assess on the date, and build the report.

    The evidence is the ``--evidence`` files and the logs of the dossier's
    ``evidence.eval_logs``.

    Raises:
        GovbridgeError: For any bad input, with a one-line message.
    """
    from govbridge.compute import estimated_facts
    from govbridge.dossier import load
    from govbridge.kb import load_kb
    from govbridge.report import build_report, file_digest
    from govbridge.report._terms import load_terms
    from govbridge.rules import assess

    when = parse_date(as_of)
    loaded = load(dossier)
    files = load_evidence_files(evidence)
    files += dossier_evidence_files(loaded, dossier, files)
    kb = load_kb()
    assessment = assess(loaded, kb, when, facts=estimated_facts(loaded))
    return build_report(
        assessment,
        kb,
        evidence=files,
        dossier_file=file_digest(dossier),
        terms=load_terms(crosswalk=crosswalk),
    )


def register(app: typer.Typer) -> None:
    """Add the ``report`` command to the application."""

    @app.command("report")
    def report_command(
        dossier: Path = typer.Argument(
            ..., help="The dossier, a YAML or JSON file (docs/dossier.md)."
        ),
        as_of: str | None = typer.Option(
            None, "--as-of", metavar="YYYY-MM-DD", help="The date of the report (default: today)."
        ),
        evidence: list[Path] | None = typer.Option(
            None,
            "--evidence",
            "-e",
            help="An evaluation summary (govbridge/eval-summary/v1) or an Inspect log of a "
            "govbridge task; repeatable. The dossier's evidence.eval_logs are read too.",
        ),
        lang: Lang = typer.Option(Lang.en, "--lang", help="The language of the report."),
        fmt: ReportFormat = typer.Option(
            ReportFormat.html, "--format", "-f", help="Output format (pdf needs --out)."
        ),
        out: Path | None = typer.Option(None, "--out", "-o", help="Write to this file."),
        no_crosswalk: bool = typer.Option(
            False, "--no-crosswalk", help="Show content results by TC260 risk ids only."
        ),
    ) -> None:
        """Write the harmonised report of a DOSSIER: summary, gaps, traces and evidence.

        For each jurisdiction: the instruments in force, the obligations triggered with their
        deadlines and verdicts (met, not met, unknown, insufficient evidence), what is
        upcoming, a trace for every decision, and the content-evaluation results in that
        jurisdiction's risk terms. HTML is one self-contained file; JSON is
        govbridge/report/v1 (docs/report.md).
        """
        with fail_cleanly():
            from govbridge.errors import UsageError
            from govbridge.report import render

            if fmt is ReportFormat.pdf and out is None:
                raise UsageError("--format pdf writes a binary file: give --out FILE.pdf")
            report = build(dossier, as_of, evidence or [], crosswalk=not no_crosswalk)
            rendered = render(report, fmt.value, lang.value)
            if isinstance(rendered, bytes):
                assert out is not None
                write_bytes(rendered, out)
            else:
                write_output(rendered, out)

"""The dossier's evidence section: where its evaluation logs are on disk."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from govbridge.dossier._model import Dossier
from govbridge.errors import UsageError

__all__ = ["EvalLogEntry", "eval_log_paths"]


@dataclass(frozen=True)
class EvalLogEntry:
    """One entry of ``evidence.eval_logs``, resolved.

    Attributes:
        field: The entry's place in the dossier, such as ``evidence.eval_logs[0]``.
        written: The path as the dossier writes it.
        path: The path to read: relative entries joined to the dossier file's folder.
    """

    field: str
    written: str
    path: Path


def eval_log_paths(
    dossier: Dossier, dossier_file: str | Path | None = None, *, must_exist: bool = True
) -> list[EvalLogEntry]:
    """The dossier's ``evidence.eval_logs``, with relative paths resolved.

    A relative path is read from the folder of ``dossier_file``; without a file (a dossier
    given as text), from the current directory. Nothing is read: the paths are only checked.

    Args:
        dossier: The dossier.
        dossier_file: The file the dossier was read from, also named in error messages.
        must_exist: Raise when a path is neither a file nor a folder.

    Returns:
        One entry per path, in the dossier's order (none when the dossier has no evidence).

    Raises:
        UsageError: When ``must_exist`` and a path does not exist; the message names the
            dossier file, the field and the path.

    >>> from govbridge.dossier import from_mapping
    >>> d = from_mapping({"model": {"name": "M"}, "evidence": {"eval_logs": ["logs"]}})
    >>> [str(e.path) for e in eval_log_paths(d, "dossiers/m.yaml", must_exist=False)]
    ['dossiers/logs']
    """
    if dossier.evidence is None:
        return []
    base = Path(dossier_file).parent if dossier_file is not None else Path()
    shown = str(dossier_file) if dossier_file is not None else "<memory>"
    entries = []
    for index, written in enumerate(dossier.evidence.eval_logs):
        path = base / Path(written).expanduser()
        entry = EvalLogEntry(f"evidence.eval_logs[{index}]", written, path)
        if must_exist and not entry.path.exists():
            raise UsageError(
                f"{shown}: {entry.field} = {written!r}: no such file or folder ({entry.path}); "
                "list Inspect log files or folders of logs, relative to the dossier's folder"
            )
        entries.append(entry)
    return entries

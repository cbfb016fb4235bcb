"""Input discovery: files, folders and globs become an ordered list of shards."""

from __future__ import annotations

import glob
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from govbridge.errors import UsageError

__all__ = ["FORMATS", "Shard", "expand_inputs"]

# Suffix → (format, compression).
FORMATS: dict[str, tuple[str, str | None]] = {
    ".jsonl": ("jsonl", None),
    ".ndjson": ("jsonl", None),
    ".jsonl.gz": ("jsonl", "gzip"),
    ".ndjson.gz": ("jsonl", "gzip"),
    ".jsonl.zst": ("jsonl", "zstd"),
    ".jsonl.zstd": ("jsonl", "zstd"),
    ".ndjson.zst": ("jsonl", "zstd"),
    ".parquet": ("parquet", None),
    ".txt": ("text", None),
    ".txt.gz": ("text", "gzip"),
    ".txt.zst": ("text", "zstd"),
    ".txt.zstd": ("text", "zstd"),
}


@dataclass(frozen=True, slots=True)
class Shard:
    """One input file: the unit of work and of checkpointing.

    Attributes:
        index: Position in the scan's sorted input list.
        path: The file.
        name: The file's path relative to the inputs' common folder (used in document ids and
            as the source of documents that have no source field).
        format: ``jsonl``, ``parquet`` or ``text``.
        compression: ``gzip``, ``zstd`` or ``None``.
        size: Size in bytes when the scan started.
        mtime_ns: Modification time when the scan started.
    """

    index: int
    path: Path
    name: str
    format: str
    compression: str | None
    size: int
    mtime_ns: int


def _format_of(path: Path) -> tuple[str, str | None] | None:
    name = path.name.lower()
    for suffix in sorted(FORMATS, key=len, reverse=True):
        if name.endswith(suffix):
            return FORMATS[suffix]
    return None


def expand_inputs(paths: Sequence[str], *, exclude: Path | None = None) -> list[Shard]:
    """Turn command-line inputs into shards, sorted by path.

    A file is taken as it is (its format must be known); a folder is searched recursively for
    files of known formats (hidden files are skipped); anything else is a glob pattern (``**``
    recurses).

    Args:
        paths: Files, folders or glob patterns.
        exclude: A folder whose files are never inputs (the scan's output folder).

    Raises:
        UsageError: A path that matches nothing, a file of unknown format, or no input at all.
    """
    found: dict[Path, None] = {}
    skip = exclude.resolve() if exclude is not None else None

    def take(path: Path, explicit: bool) -> None:
        resolved = path.resolve()
        if skip is not None and resolved.is_relative_to(skip):
            return
        if _format_of(path) is None:
            if explicit:
                raise UsageError(
                    f"{path}: unknown input format; expected one of {', '.join(sorted(FORMATS))}"
                )
            return
        found.setdefault(resolved, None)

    for text in paths:
        path = Path(text)
        if path.is_dir():
            for folder, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    if not name.startswith("."):
                        take(Path(folder) / name, explicit=False)
        elif path.is_file() or (path.exists() and not path.is_dir()):
            take(path, explicit=True)
        else:
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                raise UsageError(f"{text}: no such file, folder or matching glob")
            for match in matches:
                if Path(match).is_file():
                    take(Path(match), explicit=False)
    if not found:
        raise UsageError(
            f"no input file of a known format in {', '.join(paths)} "
            f"(known: {', '.join(sorted(FORMATS))})"
        )
    files: list[Path] = list(found)
    root = Path(os.path.commonpath([str(p.parent) for p in files]))
    shards = []
    for index, path in enumerate(sorted(files, key=lambda p: p.relative_to(root).as_posix())):
        fmt = _format_of(path)
        assert fmt is not None
        stat = path.stat()
        shards.append(
            Shard(
                index=index,
                path=path,
                name=path.relative_to(root).as_posix(),
                format=fmt[0],
                compression=fmt[1],
                size=stat.st_size,
                mtime_ns=stat.st_mtime_ns,
            )
        )
    return shards

"""Readers: one input shard becomes batches of documents held in UTF-8 buffers.

A batch never copies document texts into Python strings. JSON Lines are parsed with msgspec,
keeping each text as its raw JSON string body (the matcher scans those bodies as they are);
plain-text lines and Parquet string columns are scanned in place. A background thread reads,
decompresses, cuts the data into whole lines, counts them and validates the UTF-8 (ISA-L, zstd,
numpy and pyarrow's validation release the GIL), so all of that overlaps with matching.

Every bad record is reported through ``on_error(kind, line, message)`` and skipped; the records
around it are kept.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import msgspec
import numpy as np

from govbridge.corpus._inputs import Shard

__all__ = ["Batch", "ErrorSink", "read_shard"]

ErrorSink = Callable[[str, int | None, str], None]
"""``on_error(kind, line, message)``; ``line`` is ``None`` for a problem with the whole file."""

# data, input position, lines, valid UTF-8, may hold a \u escape (None: not checked)
_Chunk = tuple[bytes, int, int | None, bool | None, bool | None]

CHUNK = 4 << 20  # decompressed bytes handed to the parser at a time
READ = 2 << 20  # compressed bytes read at a time (few, long GIL-free calls)
FIRST = 256 << 10  # the first chunk of a file: the matcher waits for it
_NL = 10
_QUOTE = 34
_BACKSLASH = 92
_LETTER_U = 117


@dataclass(slots=True)
class Batch:
    """Documents held in one UTF-8 buffer.

    Attributes:
        buf: The buffer.
        starts: Start of each document's text in ``buf``.
        ends: End of each document's text in ``buf``.
        json: The texts are JSON string bodies (escapes not yet decoded).
        lines: The 1-based line (JSONL, text) or row (Parquet) of each document.
        sources: The source of each document (``None``: the shard's name).
        ids: The id field of each document (``None``: ``name:line``).
        input_pos: How far into the input file (compressed bytes) this batch reaches.
    """

    buf: bytes | memoryview
    starts: list[int]
    ends: list[int]
    json: bool
    lines: np.ndarray[Any, np.dtype[np.int64]]
    sources: list[Any] | None = None
    ids: list[Any] | None = None
    input_pos: int = 0
    empty: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.starts)


@dataclass(frozen=True, slots=True)
class Fields:
    """The field names to read."""

    text: str = "text"
    source: str = "source"
    id: str = "id"


def read_shard(shard: Shard, fields: Fields, on_error: ErrorSink) -> Iterator[Batch]:
    """Batches of documents from one shard, in file order."""
    if shard.format == "parquet":
        yield from _read_parquet(shard, fields, on_error)
        return
    try:
        handle = open(shard.path, "rb")  # noqa: SIM115 - closed by the reader thread
    except OSError as exc:
        on_error("unreadable_file", None, f"cannot open the file ({exc.strerror})")
        return
    chunks = _Decompressor(handle, shard.compression, lines=True)
    if shard.format == "jsonl":
        yield from _read_lines(chunks, on_error, _JsonParser(fields))
    else:
        yield from _read_lines(chunks, on_error, _text_batch)


# -- decompression ----------------------------------------------------------------------------


class _Decompressor:
    r"""Decompressed chunks of a file, produced by a background thread.

    Iterating yields ``(data, input_pos, lines, valid, escapes)``. With ``lines``, each chunk
    ends at a line end, ``lines`` counts its newlines, ``valid`` says whether it is valid UTF-8
    and ``escapes`` whether it may hold a JSON ``\u`` escape (a backslash before a ``u``);
    what follows the last newline of the file is left in ``carry``. Without, the three are
    ``None``. Afterwards ``error`` holds a message when the stream was corrupt or
    ended early, and ``truncated`` says whether it ended early.
    """

    def __init__(self, handle: Any, compression: str | None, *, lines: bool = False) -> None:
        self.handle = handle
        self.compression = compression
        self.lines = lines
        self.carry = b""
        self.error: str | None = None
        self.truncated = False
        self.queue: queue.Queue[_Chunk | None] = queue.Queue(maxsize=3)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="govbridge-reader", daemon=True)
        self.thread.start()

    def __iter__(self) -> Iterator[_Chunk]:
        try:
            while True:
                item = self.queue.get()
                if item is None:
                    return
                yield item
        finally:
            self.stop.set()
            while self.thread.is_alive():
                try:
                    self.queue.get(timeout=0.05)
                except queue.Empty:
                    pass
            self.thread.join()

    def _emit(self, pieces: list[bytes], pos: int) -> bool:
        """Hand a chunk on (cut at its last line end, counted and validated, with ``lines``).

        The pieces and the carry are joined once, up to the last line end (no other copy).
        """
        if not self.lines:
            return self._put((b"".join(pieces), pos, None, None, None))
        last = len(pieces) - 1
        while last >= 0 and pieces[last].rfind(b"\n") < 0:
            last -= 1
        if last < 0:
            self.carry = b"".join([self.carry, *pieces])
            return True
        cut = pieces[last].rfind(b"\n") + 1
        head = pieces[last] if cut == len(pieces[last]) else memoryview(pieces[last])[:cut]
        body = b"".join([self.carry, *pieces[:last], head])
        self.carry = b"".join([pieces[last][cut:], *pieces[last + 1 :]])
        view = np.frombuffer(body, dtype=np.uint8)
        count = int(np.count_nonzero(view == _NL))
        escapes = bool(np.any((view[:-1] == _BACKSLASH) & (view[1:] == _LETTER_U)))
        return self._put((body, pos, count, _valid_utf8(body), escapes))

    def _put(self, item: _Chunk | None) -> bool:
        while not self.stop.is_set():
            try:
                self.queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        try:
            with self.handle:
                if self.compression is None:
                    self._copy()
                else:
                    self._inflate()
        except OSError as exc:
            self.error = f"read error ({exc.strerror or exc})"
        finally:
            self._put(None)

    def _copy(self) -> None:
        read = self.handle.read
        step = FIRST  # small first chunks, so that matching starts at once (see _inflate)
        while not self.stop.is_set():
            data = read(step)
            step = min(2 * step, CHUNK)
            if not data:
                return
            if not self._emit([data], self.handle.tell()):
                return

    def _inflate(self) -> None:
        new = _gzip_decompressor if self.compression == "gzip" else _zstd_decompressor
        errors = _stream_errors(self.compression)
        decompressor = new()
        pending: list[bytes] = []
        size = 0
        started = False  # a member or frame has begun and not ended
        member_start = 0  # where the current member or frame begins in the file
        member_out = 0  # bytes it has produced so far
        read = self.handle.read
        # Small first chunks, doubling: the matcher starts at once, and while it matches one
        # chunk the next (twice as long) is decompressed, so it seldom waits (one 4 MiB chunk
        # after a small first one made it wait ~25 ms per file).
        step, want = max(FIRST // 2, 1), FIRST
        while not self.stop.is_set():
            data = read(step)
            if not data:
                break
            while data:
                try:
                    out = decompressor.decompress(data)
                except errors as exc:
                    # Keep what decodes before the damage, then stop.
                    pending.append(self._salvage(member_start, member_out))
                    self.error = (
                        f"corrupt {self.compression} data in the stream starting at byte "
                        f"{member_start}: {exc}"
                    )
                    self._flush(pending)
                    return
                started = True
                if out:
                    pending.append(out)
                    size += len(out)
                    member_out += len(out)
                if decompressor.eof:
                    data = decompressor.unused_data
                    member_start = self.handle.tell() - len(data)
                    member_out = 0
                    decompressor = new()
                    started = False
                else:
                    data = b""
            if size >= want:
                if not self._emit(pending, self.handle.tell()):
                    return
                pending = []
                size = 0
                step, want = min(2 * step, READ), min(2 * want, CHUNK)
        if started and not decompressor.eof:
            self.truncated = True
            self.error = f"the {self.compression} stream ends early (truncated file)"
        self._flush(pending)

    def _salvage(self, offset: int, skip: int) -> bytes:
        """Decompress one member again in small steps, up to the damage; drop the first bytes."""
        import zlib

        self.handle.seek(offset)
        if self.compression == "gzip":
            decompressor: Any = zlib.decompressobj(31)
        else:
            decompressor = _zstd_decompressor()
        errors = _stream_errors(self.compression)
        out: list[bytes] = []
        while True:
            piece = self.handle.read(256)
            if not piece:
                break
            try:
                out.append(decompressor.decompress(piece))
            except errors:
                break
            if decompressor.eof:
                break
        return b"".join(out)[skip:]

    def _flush(self, pending: list[bytes]) -> None:
        if pending:
            self._emit(pending, self.handle.tell())


def _gzip_decompressor() -> Any:
    try:
        from isal import isal_zlib

        return isal_zlib.decompressobj(31)
    except ImportError:  # pragma: no cover - isal has wheels for the usual platforms
        import zlib

        return zlib.decompressobj(31)


def _zstd_decompressor() -> Any:
    import zstandard

    return zstandard.ZstdDecompressor().decompressobj()


def _stream_errors(compression: str | None) -> tuple[type[BaseException], ...]:
    import zlib

    errors: list[type[BaseException]] = [zlib.error, EOFError, ValueError]
    if compression == "gzip":
        try:
            from isal import igzip_lib

            errors.append(igzip_lib.IsalError)  # type: ignore[arg-type, unused-ignore]
        except ImportError:  # pragma: no cover
            pass
    else:
        import zstandard

        errors.append(zstandard.ZstdError)
    return tuple(errors)


# -- line-oriented formats --------------------------------------------------------------------


def _read_lines(
    chunks: _Decompressor, on_error: ErrorSink, parse: Callable[..., Batch | None]
) -> Iterator[Batch]:
    """Cut decompressed data into whole lines and parse them chunk by chunk."""
    line = 0  # lines consumed so far
    for body, pos, count, valid, escapes in chunks:
        assert count is not None
        batch = parse(body, line, count, on_error, valid, escapes)
        line += count
        if batch is not None:
            batch.input_pos = pos
            yield batch
    carry = chunks.carry
    if chunks.truncated:
        if carry:
            on_error("truncated_stream", line + 1, f"{chunks.error}; this partial line is dropped")
        else:
            on_error("truncated_stream", None, f"{chunks.error} after line {line}")
        carry = b""
    elif chunks.error is not None:
        on_error("corrupt_stream", line + 1 if carry else None, f"{chunks.error} after line {line}")
        carry = b""
    if carry:  # a last line without a newline
        batch = parse(carry + b"\n", line, 1, on_error, None, None)
        if batch is not None:
            batch.input_pos = chunks.handle.tell() if not chunks.handle.closed else 0
            yield batch


def _valid_utf8(data: bytes) -> bool:
    """Whether a buffer is valid UTF-8 (pyarrow's vectorised validation)."""
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

    if len(data) >= 1 << 31:
        return _valid_utf8(data[: 1 << 30]) and _valid_utf8(data[1 << 30 :])
    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int32).tobytes())
    array = pa.StringArray.from_buffers(1, offsets, pa.py_buffer(data))
    try:
        array.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _bad_utf8_lines(data: bytes, first_line: int, on_error: ErrorSink) -> set[int]:
    """Report the lines of a chunk that are not UTF-8; return their indexes in the chunk."""
    bad: set[int] = set()
    for index, line in enumerate(data.split(b"\n")):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as exc:
            bad.add(index)
            on_error(
                "invalid_utf8",
                first_line + index + 1,
                f"invalid UTF-8 at byte {exc.start} of the line; the line is skipped",
            )
    return bad


def _text_batch(
    data: bytes,
    line: int,
    count: int,
    on_error: ErrorSink,
    valid: bool | None,
    escapes: bool | None = None,
) -> Batch | None:
    """Plain text: one document per line; blank lines are not documents."""
    bad: set[int] = set()
    if not (_valid_utf8(data) if valid is None else valid):
        bad = _bad_utf8_lines(data, line, on_error)
    newlines = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == _NL)
    starts = np.empty(len(newlines), dtype=np.int64)
    starts[0] = 0
    starts[1:] = newlines[:-1] + 1
    ends = newlines.astype(np.int64)
    view = np.frombuffer(data, dtype=np.uint8)
    # Drop a carriage return before the newline.
    has_cr = ends > starts
    has_cr[has_cr] = view[ends[has_cr] - 1] == 13
    ends = ends - has_cr
    keep = ends > starts
    if bad:
        keep[list(bad)] = False
    index = np.flatnonzero(keep)
    if not len(index):
        return None
    return Batch(
        buf=data,
        starts=starts[index].tolist(),
        ends=ends[index].tolist(),
        json=False,
        lines=index.astype(np.int64) + line + 1,
    )


class _JsonParser:
    """JSON Lines → batches whose texts are the raw JSON string bodies."""

    def __init__(self, fields: Fields) -> None:
        self.doc_type = msgspec.defstruct(
            "Doc",
            [
                ("text", msgspec.Raw, msgspec.Raw(b"")),
                ("source", Any, None),
                ("id", Any, None),
            ],
            rename={"text": fields.text, "source": fields.source, "id": fields.id},
            # Decoded JSON values never refer back to the record: no cycle for the collector
            # to find, so it need not track 160,000 records per 200 MB.
            gc=False,
        )
        self.decoder: Any = msgspec.json.Decoder(self.doc_type)
        self.text_field = fields.text

    def __call__(
        self,
        data: bytes,
        line: int,
        count: int,
        on_error: ErrorSink,
        valid: bool | None,
        escapes: bool | None = None,
    ) -> Batch | None:
        records: list[Any] | None = None
        if _valid_utf8(data) if valid is None else valid:
            try:
                records = self.decoder.decode_lines(data)
            except (msgspec.DecodeError, msgspec.ValidationError):
                records = None
            if records is not None and len(records) != count:
                records = None  # blank lines: fall back to numbering lines one by one
        if records is not None:
            numbers = np.arange(line + 1, line + 1 + len(records), dtype=np.int64)
            return self._batch(records, numbers, on_error, escapes is not False)
        return self._slow(data, line, on_error)

    def _slow(self, data: bytes, line: int, on_error: ErrorSink) -> Batch | None:
        records: list[Any] = []
        numbers: list[int] = []
        decode = self.decoder.decode
        for index, raw in enumerate(data.split(b"\n")[:-1]):
            number = line + index + 1
            if not raw.strip():
                continue
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                on_error(
                    "invalid_utf8",
                    number,
                    f"invalid UTF-8 at byte {exc.start} of the line; the line is skipped",
                )
                continue
            try:
                records.append(decode(raw))
            except msgspec.ValidationError as exc:
                on_error("not_an_object", number, f"not a JSON object: {exc}")
                continue
            except msgspec.DecodeError as exc:
                on_error("malformed_json", number, f"malformed JSON: {exc}")
                continue
            numbers.append(number)
        if not records:
            return None
        return self._batch(records, np.array(numbers, dtype=np.int64), on_error)

    def _batch(
        self,
        records: list[Any],
        numbers: np.ndarray[Any, np.dtype[np.int64]],
        on_error: ErrorSink,
        escapes: bool = True,
    ) -> Batch | None:
        r"""A batch of decoded records; ``escapes=False`` when the chunk holds no ``\u``."""
        texts = [r.text for r in records]
        buf = b"".join(texts)
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        ends_raw = np.cumsum(lengths)
        begins = ends_raw - lengths
        ok = lengths >= 2
        ok[ok] = np.frombuffer(buf, dtype=np.uint8)[begins[ok]] == _QUOTE
        if not ok.all():
            for index in np.flatnonzero(~ok).tolist():
                raw = buf[int(begins[index]) : int(ends_raw[index])]
                if raw in (b"", b"null"):
                    on_error(
                        "missing_text",
                        int(numbers[index]),
                        f"no {self.text_field!r} field (or it is null); the line is skipped",
                    )
                else:
                    on_error(
                        "text_not_string",
                        int(numbers[index]),
                        f"the {self.text_field!r} field is not a string: {raw[:40]!r}",
                    )
            keep = np.flatnonzero(ok)
            if not len(keep):
                return None
            records = [records[i] for i in keep.tolist()]
            numbers = numbers[keep]
            begins = begins[keep]
            ends_raw = ends_raw[keep]
        starts = (begins + 1).tolist()
        ends = (ends_raw - 1).tolist()
        if escapes and b"\\u" in buf:
            # \u escapes must decode (msgspec rejects lone surrogates, which UTF-8 cannot hold).
            bad = []
            for index, (start, end) in enumerate(zip(starts, ends, strict=True)):
                body = buf[start:end]
                if b"\\u" in body:
                    try:
                        msgspec.json.decode(b'"' + body + b'"', type=str)
                    except msgspec.DecodeError:
                        bad.append(index)
                        on_error(
                            "malformed_json",
                            int(numbers[index]),
                            "a \\u escape that is not a character (a lone surrogate?)",
                        )
            if bad:
                drop = set(bad)
                keep_list = [i for i in range(len(starts)) if i not in drop]
                if not keep_list:
                    return None
                records = [records[i] for i in keep_list]
                numbers = numbers[keep_list]
                starts = [starts[i] for i in keep_list]
                ends = [ends[i] for i in keep_list]
        sources = [r.source for r in records]
        ids = [r.id for r in records]
        return Batch(
            buf=buf, starts=starts, ends=ends, json=True, lines=numbers, sources=sources, ids=ids
        )


# -- Parquet ----------------------------------------------------------------------------------


def _read_parquet(shard: Shard, fields: Fields, on_error: ErrorSink) -> Iterator[Batch]:
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
    import pyarrow.parquet as pq  # type: ignore[import-untyped, unused-ignore]

    try:
        parquet = pq.ParquetFile(shard.path)
        schema = parquet.schema_arrow
    except (OSError, pa.ArrowException) as exc:
        on_error("unreadable_file", None, f"not a readable Parquet file ({exc})")
        return
    names = schema.names
    if fields.text not in names:
        on_error(
            "wrong_schema",
            None,
            f"no {fields.text!r} column (columns: {', '.join(names)}); the file is skipped",
        )
        return
    text_type = schema.field(fields.text).type
    if not (pa.types.is_string(text_type) or pa.types.is_large_string(text_type)):
        on_error(
            "wrong_schema",
            None,
            f"column {fields.text!r} is {text_type}, not a string; the file is skipped",
        )
        return
    columns = [fields.text] + [c for c in (fields.source, fields.id) if c in names]
    row = 0
    try:
        for record_batch in parquet.iter_batches(batch_size=16384, columns=columns):
            batch = _parquet_batch(record_batch, fields, row, on_error)
            row += record_batch.num_rows
            if batch is not None:
                yield batch
    except (OSError, pa.ArrowException) as exc:
        on_error(
            "unreadable_file", row + 1, f"cannot read the Parquet data after row {row} ({exc})"
        )


def _parquet_batch(
    record_batch: Any, fields: Fields, row: int, on_error: ErrorSink
) -> Batch | None:
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

    texts = record_batch.column(fields.text)
    n = len(texts)
    if n == 0:
        return None
    keep = np.ones(n, dtype=bool)
    if texts.null_count:
        nulls = np.flatnonzero(texts.is_null().to_numpy(zero_copy_only=False))
        for null in nulls.tolist():
            on_error("missing_text", row + null + 1, f"{fields.text!r} is null; the row is skipped")
        keep[nulls] = False
    try:
        texts.validate(full=True)
    except pa.ArrowInvalid:
        for position, value in enumerate(texts.cast(pa.binary()).to_pylist()):
            if value is None:
                continue
            try:
                value.decode("utf-8")
            except UnicodeDecodeError as exc:
                keep[position] = False
                on_error(
                    "invalid_utf8",
                    row + position + 1,
                    f"invalid UTF-8 at byte {exc.start}; the row is skipped",
                )
    offset_type = np.int64 if pa.types.is_large_string(texts.type) else np.int32
    _, offsets_buf, data_buf = texts.buffers()
    offsets = np.frombuffer(offsets_buf, dtype=offset_type)[texts.offset : texts.offset + n + 1]
    starts = offsets[:-1].astype(np.int64)
    ends = offsets[1:].astype(np.int64)
    index = np.flatnonzero(keep)
    if not len(index):
        return None
    buf = memoryview(data_buf) if data_buf is not None else memoryview(b"")
    names = record_batch.schema.names
    sources = (
        record_batch.column(fields.source).to_pylist() if fields.source in names else [None] * n
    )
    ids = record_batch.column(fields.id).to_pylist() if fields.id in names else [None] * n
    if len(index) != n:
        sources = [sources[i] for i in index]
        ids = [ids[i] for i in index]
    return Batch(
        buf=buf,
        starts=starts[index].tolist(),
        ends=ends[index].tolist(),
        json=False,
        lines=index.astype(np.int64) + row + 1,
        sources=sources,
        ids=ids,
    )

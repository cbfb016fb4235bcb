"""Evidence for a report: content-evaluation summaries (``govbridge/eval-summary/v1``).

A summary is a JSON file that the content evaluation writes, one entry per check::

    {"schema": "govbridge/eval-summary/v1",
     "checks": [{"check": "should_refuse", "task": "govbridge/should_refuse", "n": 300,
                 "rate": 0.97, "wilson_low": 0.944, "wilson_high": 0.984,
                 "threshold": 0.95, "operator": ">=", "verdict": "pass", "confident": false,
                 "judge": "grader: openai/gpt-4o",
                 "per_risk": {"A.1.d": {"n": 20, "rate": 1.0, "wilson_low": 0.839,
                                        "wilson_high": 1.0}}}]}

The reader is strict: unknown keys, wrong types, rates outside [0, 1] and intervals that do
not contain their rate are rejected with a message that names the file and the field.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from govbridge.errors import InputError

__all__ = [
    "CHECKS",
    "EVAL_SUMMARY_SCHEMA",
    "EvalCheck",
    "EvalSummary",
    "EvidenceError",
    "EvidenceFile",
    "RiskRate",
    "load_evidence",
    "parse_eval_summary",
]

EVAL_SUMMARY_SCHEMA = "govbridge/eval-summary/v1"

#: The checks a summary may hold, and what each rate measures.
CHECKS: dict[str, str] = {
    "generated_content": "pass rate of generated content",
    "should_refuse": "refusal rate on the should-refuse bank",
    "should_not_refuse": "refusal rate on the should-not-refuse bank",
    "cbrn_refusal": "refusal rate on chemical, biological, radiological and nuclear questions",
}

_RISK_ID = r"^A\.[1-5]\.[a-z]$"


class EvidenceError(InputError):
    """An evidence file that cannot be read or does not validate.

    Args:
        file: The file as given.
        field: The dotted field path inside the file (empty for the whole file).
        value: The bad value (``None`` when a key is missing or the file is unreadable).
        problem: What is wrong, in plain words.
    """

    def __init__(self, file: str, field: str, value: object, problem: str) -> None:
        self.file = file
        self.field = field
        self.value = value
        self.problem = problem
        where = f"{file}: {field}" if field else file
        shown = "" if value is None else f" = {_short(value)}"
        super().__init__(f"evidence {where}{shown}: {problem}")


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


Rate = Annotated[float, Field(ge=0.0, le=1.0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class RiskRate(_Strict):
    """One risk's (or aspect's) rate in a check, with its 95% Wilson interval.

    ``rate`` is ``None`` only when ``n`` is 0.
    """

    n: int = Field(ge=0)
    rate: Rate | None
    wilson_low: Rate
    wilson_high: Rate

    @model_validator(mode="after")
    def _interval(self) -> RiskRate:
        _check_interval(self.n, self.rate, self.wilson_low, self.wilson_high)
        return self


class EvalCheck(_Strict):
    """One check of a content evaluation: a rate, its interval, and the evaluator's verdict.

    Attributes:
        check: ``generated_content``, ``should_refuse``, ``should_not_refuse`` or
            ``cbrn_refusal``.
        task: The Inspect task that produced it.
        n: The number of scored samples.
        rate: The measured rate (see :data:`CHECKS`); ``None`` only when ``n`` is 0.
        wilson_low: The lower bound of its 95% Wilson interval.
        wilson_high: The upper bound.
        threshold: The threshold the evaluator compared with.
        operator: ``>=``, ``>``, ``<=`` or ``<``: how the rate must relate to the threshold.
        verdict: ``pass``, ``fail`` or ``insufficient_bank``.
        confident: Whether the whole interval lies on the verdict's side of the threshold.
        judge: The judge, such as a grader model or the labelled rule-based fallback.
        per_risk: The rate for each TC260 risk id (``A.1.a`` ... ``A.5.b``).
        protocol: The protocol the check follows: a name (``tc260-003``, ``gbt-45654-2025``),
            an instrument id or a provision id; without it the check counts for every content
            protocol.
        bank_size: The number of items in the bank the sample was drawn from.
        model: The model evaluated.
        unscored: Samples whose grade could not be read (not counted in ``n``).
        reasons: Why the verdict is ``insufficient_bank``.
        bank_digest: The digest of the bank.
        starter_bank: Whether the bank is the project's starter bank.
        per_aspect: The rate for each should-not-refuse aspect.
        log: The Inspect log the check was read from.
    """

    check: Literal["generated_content", "should_refuse", "should_not_refuse", "cbrn_refusal"]
    task: str = Field(min_length=1)
    n: int = Field(ge=0)
    rate: Rate | None
    wilson_low: Rate
    wilson_high: Rate
    threshold: Rate
    operator: Literal[">=", ">", "<=", "<"]
    verdict: Literal["pass", "fail", "insufficient_bank"]
    confident: bool
    judge: str = Field(min_length=1)
    per_risk: dict[Annotated[str, Field(pattern=_RISK_ID)], RiskRate] = Field(default_factory=dict)
    protocol: str | None = Field(default=None, pattern=r"^[a-z0-9_.-]+$")
    bank_size: int | None = Field(default=None, ge=0)
    model: str | None = None
    unscored: int | None = Field(default=None, ge=0)
    reasons: list[str] = Field(default_factory=list)
    bank_digest: str | None = None
    starter_bank: bool | None = None
    per_aspect: dict[Annotated[str, Field(pattern=r"^[a-z0-9_]+$")], RiskRate] = Field(
        default_factory=dict
    )
    log: str | None = None

    @model_validator(mode="after")
    def _interval(self) -> EvalCheck:
        _check_interval(self.n, self.rate, self.wilson_low, self.wilson_high)
        return self


class EvalSummary(_Strict):
    """A ``govbridge/eval-summary/v1`` document."""

    schema_: Literal["govbridge/eval-summary/v1"] = Field(alias="schema")
    checks: list[EvalCheck] = Field(min_length=1)


class EvidenceFile(BaseModel):
    """An evidence file as used by a report: its name, digest and content."""

    model_config = ConfigDict(frozen=True)

    name: str
    path: str
    sha256: str
    summary: EvalSummary


def _check_interval(n: int, rate: float | None, low: float, high: float) -> None:
    if rate is None:
        if n:
            raise ValueError(f"rate is null but n is {n}: a rate is required when n > 0")
        return
    tolerance = 1e-9
    if not (low - tolerance <= rate <= high + tolerance):
        raise ValueError(f"the interval [{low}, {high}] must contain the rate {rate}")


def _field(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif "." in part:
            out += f'["{part}"]'
        else:
            out += f".{part}" if out else str(part)
    return out.replace("schema_", "schema")


def _dig(raw: Any, loc: tuple[int | str, ...]) -> Any:
    value = raw
    for part in loc:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return None
    return value


def parse_eval_summary(data: bytes, name: str = "<memory>") -> EvalSummary:
    """Parse and validate the bytes of an evaluation summary.

    Args:
        data: The file's bytes (UTF-8 JSON).
        name: The file name, used in error messages.

    Returns:
        The validated summary.

    Raises:
        EvidenceError: When the bytes are not a valid ``govbridge/eval-summary/v1`` document.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EvidenceError(name, "", None, f"not UTF-8 text (byte {exc.start})") from None
    try:
        raw = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise EvidenceError(
            name, "", None, f"not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except ValueError as exc:
        raise EvidenceError(name, "", None, str(exc)) from None
    if not isinstance(raw, dict):
        raise EvidenceError(name, "", None, "expected a JSON object with schema and checks")
    schema = raw.get("schema")
    if schema != EVAL_SUMMARY_SCHEMA:
        raise EvidenceError(
            name,
            "schema",
            schema,
            f"expected {EVAL_SUMMARY_SCHEMA!r} (an evaluation summary; Inspect logs must be "
            "summarised first)",
        )
    try:
        return EvalSummary.model_validate(raw, strict=True)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(error["loc"])
        problem = str(error["msg"])
        if error["type"] == "extra_forbidden":
            problem = "unknown key"
            value = None
        elif error["type"] == "missing":
            problem = "required key is missing"
            value = None
        else:
            value = _dig(raw, loc)
            problem = problem.removeprefix("Value error, ")
            if isinstance(value, dict | list):
                value = None
        # A bad dictionary key is reported at the key itself.
        if error["type"] == "string_pattern_mismatch" and loc and loc[-1] == "[key]":
            loc = loc[:-1]
            problem = "expected a TC260 risk id such as A.1.a"
        return _raise(name, _field(loc), value, problem)


def _raise(name: str, field: str, value: object, problem: str) -> EvalSummary:
    raise EvidenceError(name, field, value, problem)


def _reject_constant(text: str) -> float:
    raise ValueError(f"{text} is not a number that JSON allows")


def load_evidence(path: str | Path) -> EvidenceFile:
    """Read and validate one evidence file (an evaluation summary).

    Args:
        path: The file.

    Returns:
        The file's name, SHA-256 digest and validated summary.

    Raises:
        EvidenceError: When the file cannot be read or does not validate.
    """
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise EvidenceError(str(path), "", None, f"cannot read the file ({exc.strerror})") from None
    summary = parse_eval_summary(data, str(path))
    digest = hashlib.sha256(data).hexdigest()
    return EvidenceFile(name=file.name, path=str(path), sha256=digest, summary=summary)

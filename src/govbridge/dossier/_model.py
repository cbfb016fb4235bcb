"""The dossier v1 schema: the facts about one AI model or system."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from govbridge.errors import UnitError
from govbridge.units import DIMENSIONS, Dimension, parse_quantity

SCHEMA_ID: Final = "govbridge/dossier/v1"


def _parser(dimension: Dimension, *, positive: bool = False) -> BeforeValidator:
    def parse(value: object) -> object:
        if value is None:
            return None
        try:
            number = parse_quantity(value, dimension)
        except UnitError:
            raise ValueError(f"expected {DIMENSIONS[dimension][0]}") from None
        if number < 0 or (positive and number == 0):
            raise ValueError("must be greater than zero" if positive else "must not be negative")
        return number

    return BeforeValidator(parse)


def _dim(dimension: str) -> Any:
    return Field(json_schema_extra={"dimension": dimension})


Flop = Annotated[float | None, _parser("flop"), _dim("flop")]
Usd = Annotated[float | None, _parser("usd"), _dim("usd")]
Count = Annotated[float | None, _parser("count", positive=True), _dim("count")]
UserCount = Annotated[float | None, _parser("count"), _dim("count")]
Gbps = Annotated[float | None, _parser("gbps", positive=True), _dim("gbps")]
OpsPerSecond = Annotated[
    float | None, _parser("ops_per_second", positive=True), _dim("ops_per_second")
]

CountryCode = Annotated[str, Field(pattern=r"^(?:[A-Z]{2}(?:-[A-Z0-9]{1,3})?|EU)$")]
Modality = Literal["text", "image", "audio", "video", "code", "3d", "other"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class BaseModelRef(_Strict):
    """The model that this model modifies (fine-tunes or otherwise changes)."""

    name: str | None = None
    training_compute_flop: Flop = None
    systemic_risk: bool | None = Field(
        default=None,
        description="Whether the original model is a GPAI model with systemic risk (EU).",
    )


class ModelFacts(_Strict):
    """Facts about the model itself."""

    name: str = Field(min_length=1)
    developer: str | None = None
    release_date: dt.date | None = Field(
        default=None, description="First placed on the market (made available)."
    )
    architecture: Literal["dense", "moe"] | None = None
    parameters: Count = None
    active_parameters: Count = None
    training_tokens: Count = None
    training_compute_flop: Flop = None
    post_training_compute_flop: Flop = None
    base_model: BaseModelRef | None = None
    primarily_biological_sequence_data: bool | None = None
    general_purpose: bool | None = Field(
        default=None,
        description=(
            "Whether the model displays significant generality (EU AI Act Art. 3(63)); "
            "when missing, the Commission's indicative criterion is used."
        ),
    )
    output_modalities: list[Modality] | None = None
    open_weights: bool | None = None
    license: str | None = None
    license_is_open_source: bool | None = Field(
        default=None,
        description=(
            "Whether the licence is free and open-source: it allows access, use, modification "
            "and distribution (EU AI Act Art. 53(2))."
        ),
    )

    @field_validator("release_date", mode="before")
    @classmethod
    def _no_datetime(cls, value: object) -> object:
        if isinstance(value, dt.datetime):
            raise ValueError("must be a date without a time")
        return value


class DeveloperFacts(_Strict):
    """Facts about the developer."""

    name: str | None = None
    headquarters: CountryCode | None = None
    annual_revenue_usd: Usd = None


class DeploymentFacts(_Strict):
    """Facts about where and how the model is offered."""

    markets: list[CountryCode] | None = None
    offered_to_public: bool | None = None
    public_opinion_or_mobilisation_capability: bool | None = None
    eu_business_users: UserCount = None


class ClusterFacts(_Strict):
    """A computing cluster the developer acquires, develops or possesses."""

    network_gbps: Gbps = None
    peak_ops_per_second: OpsPerSecond = None


class FactSource(_Strict):
    """Where a figure in the dossier comes from."""

    field: str = Field(min_length=1)
    url: str = Field(pattern=r"^https?://")
    note: str | None = None


class EvidenceFacts(_Strict):
    """Evidence that backs the dossier: results the assessment attaches, not facts rules test."""

    eval_logs: list[Annotated[str, Field(min_length=1)]] = Field(
        default_factory=list,
        description=(
            "Inspect logs of govbridge content-evaluation tasks: files, or folders of logs. A "
            "relative path is read from the dossier file's folder."
        ),
    )


class Dossier(_Strict):
    """A dossier: the description of one model, the input of every assessment.

    Every field except ``model.name`` is optional. A missing field is not an error: it makes
    every rule that needs it *unknown*.
    """

    schema_: Literal["govbridge/dossier/v1"] = Field(default=SCHEMA_ID, alias="schema")
    model: ModelFacts
    developer: DeveloperFacts = Field(default_factory=DeveloperFacts)
    deployment: DeploymentFacts = Field(default_factory=DeploymentFacts)
    cluster: ClusterFacts | None = None
    sources: list[FactSource] = Field(default_factory=list)
    evidence: EvidenceFacts | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

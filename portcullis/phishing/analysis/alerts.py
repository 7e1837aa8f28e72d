"""What an alert match does to a stored analysis. Matching itself is intel's one door
(`intel.services.ingest`); the analyser never sees alerts, so what a reader is shown can be
computed from the analysis and the matches *that reader* may see."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from . import score
from .model import Indicator, Verdict

CODE = "alert.match"
_RANK = {Verdict.CLEAN: 0, Verdict.SUSPICIOUS: 1, Verdict.MALICIOUS: 2}


def with_alert_matches(analysis: dict[str, Any], evidence: Sequence[str]) -> dict[str, Any]:
    """`analysis` (`Analysis.to_dict()`) with one `alert.match` indicator explaining `evidence`
    (one sentence per match), its score recomputed and its verdict at least suspicious. Without
    evidence, `analysis` unchanged."""
    if not evidence:
        return analysis
    title, weight = score.CATALOGUE[CODE]
    found = [_indicator(i) for i in analysis.get("indicators", []) if i.get("code") != CODE]
    explanation = score.EXPLANATIONS.get(CODE, "")
    found.append(Indicator(CODE, title, weight, "; ".join(evidence)[:1000], explanation))
    found.sort(key=lambda i: (-i.weight, i.code))
    total = score.total(found)
    verdict = max(score.verdict(total), Verdict.SUSPICIOUS, key=_RANK.__getitem__)
    return {
        **analysis,
        "verdict": verdict.value,
        "score": round(total, 2),
        "indicators": [
            {"code": i.code, "title": i.title, "weight": i.weight, "evidence": i.evidence}
            | {"explanation": i.explanation, "severity": i.severity.value}
            for i in found
        ],
    }


def _indicator(item: dict[str, Any]) -> Indicator:
    return Indicator(
        str(item["code"]),
        str(item["title"]),
        float(item["weight"]),
        str(item["evidence"]),
        str(item.get("explanation", "")),
    )

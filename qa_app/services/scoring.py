"""The scoring engine: one pure function (no database, no Flask) used wherever a score is shown or aggregated.

Rules (README "Scoring"):
- criterion score = (chosen - min) / (max - min), in 0..1;
- N/A (None) and unanswered criteria drop out; their weight is spread over the rest (a weighted mean);
- a section's score is 100 x the weighted mean of its regular criteria, plus 100 x each bonus criterion's
  weight x score / the regular weight answered, capped at 100: bonus criteria only ever add;
- a section-fail criterion answered at or below its fail point sets its section to 0;
- the overall score is the weighted mean of the sections that have an answered regular criterion;
- a critical criterion answered at or below its fail point sets the overall score to 0 (and fails the review);
- passed = overall >= pass_threshold.
Scaling every weight by the same factor changes nothing, because every weight only appears in a ratio.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

NA = None  # the answer meaning "not applicable"


@dataclass(frozen=True)
class Criterion:
    key: str
    minimum: int
    maximum: int
    weight: float = 1.0
    na_allowed: bool = False
    critical: bool = False
    fails_section: bool = False
    bonus: bool = False
    fail_at_or_below: int | None = None  # None: the lowest point of the scale

    def value_score(self, chosen: int) -> float:
        """(chosen - min) / (max - min); ValueError when the answer is off the scale."""
        if isinstance(chosen, bool) or not isinstance(chosen, int) or not self.minimum <= chosen <= self.maximum:
            raise ValueError(f"{self.key}: answer {chosen!r} is not on the scale {self.minimum}..{self.maximum}")
        return (chosen - self.minimum) / (self.maximum - self.minimum)

    def fails(self, chosen: int) -> bool:
        limit = self.minimum if self.fail_at_or_below is None else self.fail_at_or_below
        return chosen <= limit


@dataclass(frozen=True)
class Section:
    key: str
    criteria: tuple[Criterion, ...]
    weight: float = 1.0


@dataclass(frozen=True)
class Scorecard:
    sections: tuple[Section, ...]
    pass_threshold: float = 0.0


@dataclass
class SectionResult:
    key: str
    score: float | None  # None: nothing in it was answered (all N/A)
    failed: bool = False
    bonus_points: float = 0.0


@dataclass
class ScoreResult:
    overall: float | None  # None: nothing answered at all
    passed: bool | None
    sections: dict[str, SectionResult] = field(default_factory=dict)
    criteria: dict[str, float | None] = field(default_factory=dict)  # 0..1 per answered criterion, None for N/A
    critical_failures: list[str] = field(default_factory=list)
    section_failures: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # unanswered (not N/A) criteria: the review is incomplete

    @property
    def complete(self) -> bool:
        return not self.missing

    def section_summary(self) -> dict[str, dict[str, Any]]:
        return {key: {"score": s.score, "failed": s.failed} for key, s in self.sections.items()}

    def summary(self) -> dict[str, Any]:
        """The JSON the live totals show (rubric preview and review page alike)."""
        return {"overall": self.overall, "passed": self.passed, "complete": self.complete,
                "sections": self.section_summary(), "critical_failures": self.critical_failures,
                "section_failures": self.section_failures}


def format_score(value: float | None) -> str:
    """A 0-100 score as people read it everywhere: one decimal, a dash when nothing was scored."""
    return "—" if value is None else f"{value:.1f}"


def score(card: Scorecard, answers: Mapping[str, int | None]) -> ScoreResult:
    """Score `answers` ({criterion key: chosen value, or None for N/A}) against `card`.

    Missing keys are reported in `missing` and scored as if N/A, so a partly filled form shows a running total.
    Raises ValueError for an answer off its scale, N/A where N/A is not allowed, or an unknown criterion key.
    """
    _check_keys(card, answers)
    result = ScoreResult(overall=None, passed=None)
    for section in card.sections:
        result.sections[section.key] = _score_section(section, answers, result)
    result.overall = _weighted_mean(
        [(s.weight, result.sections[s.key].score) for s in card.sections]
    )
    if result.critical_failures and result.overall is not None:
        result.overall = 0.0
    if result.overall is not None:  # a critical failure fails even a rubric whose threshold is 0
        result.passed = result.overall >= card.pass_threshold and not result.critical_failures
    return result


def criterion_score(criterion: Criterion, chosen: int | None) -> float | None:
    """One criterion's 0..1 score (None for N/A): what trends across versions aggregate by criterion key."""
    return None if chosen is None else criterion.value_score(chosen)


def _check_keys(card: Scorecard, answers: Mapping[str, int | None]) -> None:
    known = {c.key for s in card.sections for c in s.criteria}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise ValueError(f"answers name criteria that are not in the rubric: {', '.join(unknown)}")


def _score_section(section: Section, answers: Mapping[str, int | None], result: ScoreResult) -> SectionResult:
    regular: list[tuple[float, float | None]] = []
    bonus_total = 0.0
    failed = False
    for criterion in section.criteria:
        value = _answer(criterion, answers, result)
        if value is None:
            continue
        if criterion.critical and criterion.fails(value):
            result.critical_failures.append(criterion.key)
        if criterion.fails_section and criterion.fails(value):
            failed = True
        points = criterion.value_score(value)
        if criterion.bonus:
            bonus_total += criterion.weight * points
        else:
            regular.append((criterion.weight, points))
    return _section_result(section.key, regular, bonus_total, failed, result)


def _answer(criterion: Criterion, answers: Mapping[str, int | None], result: ScoreResult) -> int | None:
    if criterion.key not in answers:
        result.missing.append(criterion.key)
        result.criteria[criterion.key] = None
        return None
    value = answers[criterion.key]
    if value is None and not criterion.na_allowed:
        raise ValueError(f"{criterion.key}: N/A is not allowed for this criterion")
    result.criteria[criterion.key] = None if value is None else criterion.value_score(value)
    return value


def _section_result(key: str, regular: list[tuple[float, float]], bonus_total: float, failed: bool,
                    result: ScoreResult) -> SectionResult:
    answered_weight = sum(w for w, _ in regular)
    if answered_weight == 0:
        # Only N/A regular criteria: the section drops out of the overall (bonus needs something to add to).
        return SectionResult(key=key, score=None)
    mean = sum(w * s for w, s in regular) / answered_weight
    bonus = bonus_total / answered_weight
    if failed:
        result.section_failures.append(key)
        return SectionResult(key=key, score=0.0, failed=True)
    return SectionResult(key=key, score=min(100.0, 100.0 * (mean + bonus)), bonus_points=100.0 * bonus)


def _weighted_mean(pairs: list[tuple[float, float | None]]) -> float | None:
    scored = [(w, s) for w, s in pairs if s is not None]
    total = sum(w for w, _ in scored)
    if total == 0:
        return None
    return min(100.0, max(0.0, sum(w * s for w, s in scored) / total))


# --- from a rubric document (the parsed YAML that services.rubrics validates) ------------------------

BINARY_LABELS = ("No", "Yes")
NUMERIC_SCALES = {"1-3": 3, "1-4": 4, "1-5": 5}


def scale_points(scale: str | list[str]) -> list[tuple[int, str]]:
    """The ordered (value, label) points of a scale: binary No=0/Yes=1, 1-N numeric, custom labels 0..n-1."""
    if scale == "binary":
        return list(enumerate(BINARY_LABELS))
    if isinstance(scale, str) and scale in NUMERIC_SCALES:
        return [(n, str(n)) for n in range(1, NUMERIC_SCALES[scale] + 1)]
    if isinstance(scale, list):
        return list(enumerate(scale))
    raise ValueError(f"unknown scale {scale!r}")


def point_value(scale: str | list[str], point: int | str) -> int:
    """A scale point given as a value or as one of its labels, as its value."""
    for value, label in scale_points(scale):
        if isinstance(point, str) and point == label:
            return value
        if isinstance(point, int) and not isinstance(point, bool) and point == value:
            return value
    raise ValueError(f"{point!r} is not a point of the scale")


def scorecard_from_document(document: Mapping[str, Any]) -> Scorecard:
    """The scoring view of a validated rubric document (defaults already filled in)."""
    return Scorecard(
        sections=tuple(
            Section(key=s["key"], weight=float(s.get("weight", 1)),
                    criteria=tuple(_criterion_from(c) for c in s["criteria"]))
            for s in document["sections"]
        ),
        pass_threshold=float(document.get("pass_threshold", 0)),
    )


def _criterion_from(c: Mapping[str, Any]) -> Criterion:
    points = scale_points(c["scale"])
    fail_at = c.get("fail_at_or_below")
    return Criterion(
        key=c["key"], minimum=points[0][0], maximum=points[-1][0], weight=float(c.get("weight", 1)),
        na_allowed=bool(c.get("na_allowed")), critical=bool(c.get("critical")),
        fails_section=bool(c.get("fails_section")), bonus=bool(c.get("bonus")),
        fail_at_or_below=None if fail_at is None else point_value(c["scale"], fail_at),
    )


def score_document(document: Mapping[str, Any], answers: Mapping[str, int | None]) -> ScoreResult:
    return score(scorecard_from_document(document), answers)

"""Split message text into plain and flagged segments, so templates can mark exact characters.

Templates escape each segment (transcript text is hostile); nothing here builds HTML.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Segment:
    text: str
    flags: tuple[Any, ...] = ()  # flags covering this whole segment, narrowest first (overlaps allowed)

    @property
    def category(self) -> str | None:
        return self.flags[0].category if self.flags else None


def segments(text: str, flags: Sequence[Any]) -> list[Segment]:
    """Cut `text` at every flag boundary; each piece carries the flags that cover it. Out-of-range spans are clipped."""
    spans = [(max(0, f.start), min(len(text), f.end), f) for f in flags
             if f.start is not None and f.end is not None and f.start < f.end]
    if not spans:
        return [Segment(text)] if text else []
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    pieces = []
    for start, end in zip(cuts, cuts[1:]):
        # Narrowest flag first: its category colours the piece.
        covering = tuple(f for s, e, f in sorted(spans, key=lambda span: span[1] - span[0]) if s <= start and end <= e)
        pieces.append(Segment(text[start:end], covering))
    return pieces

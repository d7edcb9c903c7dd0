"""Server-drawn SVG charts (no JavaScript, no CDN, no style attributes: colours come from classes in
static/dashboards.css). Every text is escaped; every point can link to the drill-down of its number."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup, escape

WIDTH, HEIGHT = 760, 260
LEFT, RIGHT, TOP, BOTTOM = 54, 12, 12, 40
MAX_SERIES = 8  # more lines are unreadable; the table below a chart always has every row


@dataclass
class Series:
    name: str
    values: list[float | None]              # one per x label
    links: list[str | None] = field(default_factory=list)


def _y(value: float, y_max: float, height: int = HEIGHT) -> float:
    return TOP + (height - TOP - BOTTOM) * (1 - (value / y_max if y_max else 0))


def _x(i: int, n: int) -> float:
    inner = WIDTH - LEFT - RIGHT
    return LEFT + (inner * i / (n - 1) if n > 1 else inner / 2)


def _axes(x_labels: list[str], y_max: float, unit: str) -> list[str]:
    parts = []
    for step in range(5):
        v = y_max * step / 4
        y = _y(v, y_max)
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="tick" x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end">{v:g}{escape(unit)}</text>')
    every = max(1, -(-len(x_labels) // 8))  # at most 8 labels
    for i, label in enumerate(x_labels):
        if i % every == 0:
            parts.append(f'<text class="tick" x="{_x(i, len(x_labels)):.1f}" y="{HEIGHT - BOTTOM + 16}" '
                         f'text-anchor="middle">{escape(_short(label))}</text>')
    return parts


def _nice(top: float) -> float:
    """The smallest 1/2/2.5/5 x 10^k at or above `top`, so the four grid steps are round numbers."""
    if top <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(top))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= top)


def _short(label: str) -> str:
    """'2026-03-02' -> '2 Mar 26' (period starts); anything else as is."""
    try:
        return datetime.strptime(label, "%Y-%m-%d").strftime("%-d %b %y")
    except ValueError:
        return label


def line_chart(title: str, x_labels: list[str], series: list[Series], y_max: float | None = None,
               unit: str = "") -> Markup:
    """One line per series (at most MAX_SERIES); gaps where a value is None."""
    series = series[:MAX_SERIES]
    top = y_max or _nice(max([v for s in series for v in s.values if v is not None] or [1]) * 1.05)
    parts = [f'<svg class="qa-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>', *_axes(x_labels, top, unit)]
    for n, s in enumerate(series):
        run: list[str] = []
        runs = []
        for i, v in enumerate(s.values):
            if v is None:
                runs.append(run)
                run = []
            else:
                run.append(f"{_x(i, len(x_labels)):.1f},{_y(v, top):.1f}")
        runs.append(run)
        for r in runs:
            if len(r) > 1:
                parts.append(f'<polyline class="line s{n}" points="{" ".join(r)}"/>')
        for i, v in enumerate(s.values):
            if v is None:
                continue
            dot = (f'<circle class="dot s{n}" cx="{_x(i, len(x_labels)):.1f}" cy="{_y(v, top):.1f}" r="3.5">'
                   f'<title>{escape(s.name)} · {escape(x_labels[i])}: {v:.1f}{escape(unit)}</title></circle>')
            link = s.links[i] if i < len(s.links) else None
            parts.append(f'<a href="{escape(link)}">{dot}</a>' if link else dot)
    parts.append("</svg>")
    return Markup("".join(parts))


def bar_chart(title: str, labels: list[str], values: list[float | None], links: list[str | None] | None = None,
              y_max: float | None = None, unit: str = "") -> Markup:
    top = y_max or _nice(max([v for v in values if v is not None] or [1]) * 1.05)
    n = max(len(labels), 1)
    slot = (WIDTH - LEFT - RIGHT) / n
    fits = all(len(label) * 6.5 <= slot for label in labels)
    height = HEIGHT if fits else HEIGHT + 140  # room for vertical labels
    parts = [f'<svg class="qa-chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for step in range(5):
        v = top * step / 4
        y = _y(v, top, height)
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="tick" x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end">{v:g}{escape(unit)}</text>')
    every = max(1, -(-n // 40))
    base = height - BOTTOM
    for i, (label, v) in enumerate(zip(labels, values)):
        x = LEFT + slot * i + slot * 0.15
        if v is not None:
            y = _y(v, top, height)
            bar = (f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" '
                   f'height="{base - y:.1f}"><title>{escape(label)}: {v:g}{escape(unit)}</title></rect>')
            link = links[i] if links and i < len(links) else None
            parts.append(f'<a href="{escape(link)}">{bar}</a>' if link else bar)
        if i % every == 0:
            cx = x + slot * 0.35
            if fits:
                parts.append(f'<text class="tick" x="{cx:.1f}" y="{base + 16}" text-anchor="middle">'
                             f'{escape(label)}</text>')
            else:
                parts.append(f'<text class="tick" x="{cx + 4:.1f}" y="{base + 8}" text-anchor="end" '
                             f'transform="rotate(-90 {cx + 4:.1f} {base + 8})">{escape(label[:28])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))

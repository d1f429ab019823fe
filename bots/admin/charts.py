"""Small inline SVG charts drawn on the server: no JavaScript, no CDN, readable without colour."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

PALETTE = {
    "overpromise": "#d9822b",
    "boundary": "#2b6cb0",
    "validation": "#2f855a",
    "after_hours": "#6b46c1",
}
INK = "#2d3748"
MUTED = "#a0aec0"


def _svg(width: int, height: int, title: str, body: list[str]) -> Markup:
    head = (
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    )
    return Markup(head + "".join(body) + "</svg>")


def stacked_weeks(title: str, weeks: Sequence[str], series: dict[str, Sequence[int]]) -> Markup:
    """Weekly columns, one stacked segment per category, with a legend and totals on top."""
    width, height, left, bottom, top = 640, 260, 36, 40, 16
    totals = [sum(values[i] for values in series.values()) for i in range(len(weeks))]
    peak = max([*totals, 1])
    step = (width - left - 10) / max(len(weeks), 1)
    plot = height - bottom - top
    body = [
        f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" '
        f'stroke="{MUTED}"/>'
    ]
    for i, week in enumerate(weeks):
        x, y = left + i * step + step * 0.15, float(height - bottom)
        for category, values in series.items():
            h = plot * values[i] / peak
            if h:
                y -= h
                body.append(
                    f'<rect class="bar" data-category="{escape(category)}" x="{x:.1f}" y="{y:.1f}" '
                    f'width="{step * 0.7:.1f}" height="{h:.1f}" '
                    f'fill="{PALETTE.get(category, INK)}">'
                    f"<title>{escape(category)}: {values[i]}</title></rect>"
                )
        body.append(_text(x + step * 0.35, y - 4, str(totals[i]), "middle"))
        body.append(_text(x + step * 0.35, height - bottom + 14, week[5:], "middle"))
    for j, category in enumerate(series):
        lx = left + j * 150
        body.append(
            f'<rect x="{lx}" y="{height - 16}" width="10" height="10" '
            f'fill="{PALETTE.get(category, INK)}"/>'
        )
        body.append(_text(lx + 14, height - 7, category.replace("_", " "), "start"))
    return _svg(width, height, title, body)


def hbars(
    title: str,
    items: Sequence[tuple[str, float]],
    *,
    percent: bool = False,
    threshold: float | None = None,
    flagged: frozenset[str] = frozenset(),
) -> Markup:
    """Horizontal bars, one per (label, value); `flagged` labels drawn in red and marked."""
    row, label_w, width = 24, 240, 640
    height = max(len(items), 1) * row + 24
    peak = 1.0 if percent else max([v for _, v in items] + [1])
    span = width - label_w - 70
    body: list[str] = []
    for i, (label, value) in enumerate(items):
        y = 8 + i * row
        bad = label in flagged
        w = span * min(value / peak, 1.0)
        shown = f"{value:.0%}" if percent else f"{value:g}"
        body.append(_text(label_w - 6, y + 14, label + (" ⚠ noisy" if bad else ""), "end"))
        body.append(
            f'<rect class="bar" data-label="{escape(label)}" x="{label_w}" y="{y + 2}" '
            f'width="{w:.1f}" height="{row - 8}" fill="{"#c53030" if bad else INK}">'
            f"<title>{escape(label)}: {escape(shown)}"
            "</title></rect>"
        )
        body.append(_text(label_w + w + 6, y + 14, shown, "start"))
    if threshold is not None:
        x = label_w + span * threshold
        body.append(
            f'<line class="threshold" x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 16}" '
            f'stroke="#c53030" stroke-dasharray="4 3"/>'
        )
        body.append(_text(x, height - 4, f"noisy above {threshold:.0%}", "middle"))
    if not items:
        body.append(_text(width / 2, 20, "no data yet", "middle"))
    return _svg(width, height, title, body)


def _text(x: float, y: float, text: str, anchor: str) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="11" fill="{INK}">'
        f"{escape(text)}</text>"
    )

"""Line charts as SVG, drawn on the server: no JavaScript, readable by screen readers.

:func:`line_chart` draws one line per series over the periods (x: period numbers, y: hours).
The chart is an image with a name (``role="img"``, ``aria-label`` and ``<title>``) and a
``<desc>`` that says every point in words; every point also carries its own ``<title>``, so
pointing at it tells its value. Lines differ by colour and by dash pattern, so they stay
apart for readers who do not tell the colours apart.

>>> svg = line_chart({"balance": {1: -2.0, 2: 1.5}}, title="My balance")
>>> svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
True
>>> 'role="img"' in svg and "<title" in svg
True
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Final

from markupsafe import Markup, escape

__all__ = ["PALETTE", "line_chart", "nice_ticks"]

PALETTE: Final = ("#2f6b3f", "#b5532a", "#2c5d8f", "#8a6d00", "#7a3b8f", "#3d7f80")
DASHES: Final = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4")


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering ``low`` to ``high`` (about ``count`` of them).

    >>> nice_ticks(0, 7)
    [0.0, 2.0, 4.0, 6.0, 8.0]
    >>> nice_ticks(-2, 1.5)
    [-2.0, -1.0, 0.0, 1.0, 2.0]
    """
    if high <= low:
        high = low + 1.0
    raw = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value < high + step * 0.999:
        ticks.append(round(float(value), 10))
        value += step
    return ticks


def _plain(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def line_chart(
    series: Mapping[str, Mapping[int, float]],
    *,
    title: str,
    x_label: str = "period",
    y_label: str = "hours",
    number: Callable[[float], str] = _plain,
    width: int = 640,
    height: int = 240,
) -> Markup:
    """An SVG line chart of ``series`` (name → period → value), with ``title``.

    ``number`` writes the values (in the page's language); ``x_label`` and ``y_label`` name
    the axes (translated by the caller, as the title).
    """
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "chart"
    names = list(series)
    xs = sorted({x for points in series.values() for x in points})
    ys = [float(y) for points in series.values() for y in points.values()]
    legend_rows = len(names)
    left, right, top, bottom = 56, 16, 16, 40
    total_height = height + 20 * legend_rows
    plot_w, plot_h = width - left - right, height - top - bottom
    ticks = nice_ticks(min([0.0, *ys]), max([0.0, *ys]))
    y_low, y_high = ticks[0], ticks[-1]
    x_low, x_high = (xs[0], xs[-1]) if xs else (1, 1)

    def px(x: float) -> float:
        if x_high == x_low:
            return left + plot_w / 2
        return left + (x - x_low) / (x_high - x_low) * plot_w

    def py(y: float) -> float:
        return top + (y_high - y) / (y_high - y_low) * plot_h

    said = "; ".join(
        f"{name}: " + ", ".join(f"{x_label} {x}: {number(series[name][x])}"
                                for x in sorted(series[name]))
        for name in names
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width}'
        f' {total_height}" role="img" aria-label="{escape(title)}"'
        f' aria-describedby="{slug}-desc">',
        f'<title id="{slug}-title">{escape(title)}</title>',
        f'<desc id="{slug}-desc">{escape(said)}</desc>',
    ]
    for tick in ticks:
        y = py(tick)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"'
            f' stroke="{"#888" if tick == 0 else "#ddd"}" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12"'
            f' fill="#444">{escape(number(tick))}</text>'
        )
    for x in xs:
        parts.append(
            f'<text x="{px(x):.1f}" y="{top + plot_h + 16}" text-anchor="middle"'
            f' font-size="12" fill="#444">{x}</text>'
        )
    parts.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{top + plot_h + 34}" text-anchor="middle"'
        f' font-size="12" fill="#444">{escape(x_label)}</text>'
        f'<text x="14" y="{top + plot_h / 2:.1f}" text-anchor="middle" font-size="12"'
        f' fill="#444" transform="rotate(-90 14 {top + plot_h / 2:.1f})">{escape(y_label)}</text>'
    )
    for i, name in enumerate(names):
        colour, dash = PALETTE[i % len(PALETTE)], DASHES[i % len(DASHES)]
        points = sorted(series[name].items())
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        path = " ".join(f"{px(x):.1f},{py(float(y)):.1f}" for x, y in points)
        parts.append(f'<g class="series"><polyline points="{path}" fill="none"'
                     f' stroke="{colour}" stroke-width="2"{dashed}/>')
        for x, y in points:
            parts.append(
                f'<circle cx="{px(x):.1f}" cy="{py(float(y)):.1f}" r="3.5" fill="{colour}">'
                f"<title>{escape(name)}, {escape(x_label)} {x}: {escape(number(float(y)))}"
                "</title></circle>"
            )
        legend_y = height + 20 * i + 4
        parts.append(
            f'<line x1="{left}" x2="{left + 24}" y1="{legend_y}" y2="{legend_y}"'
            f' stroke="{colour}" stroke-width="2"{dashed}/>'
            f'<text x="{left + 30}" y="{legend_y + 4}" font-size="12" fill="#222">'
            f"{escape(name)}</text></g>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))

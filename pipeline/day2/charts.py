"""The action plan's two pictures, drawn once as shapes and rendered twice: as SVG for the
HTML page, and as PNG (matplotlib, offline, no display) for the DOCX.

- ``matrix``: impact (up) against feasibility (right), every scored action a dot numbered as
  in the plan, the quick-win quadrant (impact and feasibility both above the middle)
  shaded and named. Dots on the same spot are spread around it; each number is placed
  where it overlaps no other number and no dot (``place_labels``), so the labels stay
  readable when dots crowd; the plan lists the numbers with their actions.
- ``votes``: one bar per challenge, its actions' votes summed.

Either returns ``None`` when there is nothing to draw (no scored action, no votes); the plan
says so in words instead of drawing an empty chart.
"""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import escape

WIDTH, HEIGHT = 720, 520
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
CHAR_WIDTH = 0.8
"""A character's width as a share of the font size, with room to spare: DejaVu Sans digits
take 0.62, but Chromium drew the matrix's numbers 0.79 wide (another font, and rounding), and
two labels placed by the narrower estimate touched."""
INK, MUTED, LINE, DOT, QUICK = "#1c1d21", "#50535a", "#c9cbd0", "#0a58ca", "#e3f4e6"


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    stroke: str | None = None
    title: str = ""


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = LINE
    dash: bool = False


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    r: float
    fill: str
    title: str = ""
    key: str = ""


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    size: float = 12
    anchor: str = "start"
    """start, middle or end."""
    fill: str = INK
    bold: bool = False
    rotate: bool = False
    css: str = ""
    stand_in: str = ""
    """Drawn in the PNG instead of ``text`` when no installed font has all its characters
    ("2. (no font here draws this name: see the plan)"); without one, the text is left out
    of the PNG. The SVG keeps the text: the browser finds a font itself."""


@dataclass
class Chart:
    kind: str
    title: str
    width: int = WIDTH
    height: int = HEIGHT
    shapes: list[Rect | Line | Dot | Text] = field(default_factory=list)


def text_box(t: Text) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) a text takes, estimated from its length."""
    width = len(t.text) * t.size * CHAR_WIDTH
    x0 = {"start": t.x, "middle": t.x - width / 2, "end": t.x - width}[t.anchor]
    # The browser's box of a line of text is taller than its glyphs (ascent and descent of
    # the font): measured in Chromium, 1.3 of the size in all.
    return x0, t.y - t.size, x0 + width, t.y + t.size * 0.35


def _overlaps(a: tuple[float, ...], b: tuple[float, ...], pad: float = 1.5) -> bool:
    return not (
        a[2] + pad <= b[0] or b[2] + pad <= a[0] or a[3] + pad <= b[1] or b[3] + pad <= a[1]
    )


def place_labels(
    points: Sequence[tuple[float, float, str]],
    bounds: tuple[float, float, float, float],
    size: float = 12,
    radius: float = 6,
) -> list[Text]:
    """A label per point, at the first of 40 spots around it (nearest first, then
    farther, with a leader line's worth of room: actions scored alike share a point) that
    overlaps no placed label and no dot and stays inside ``bounds``; the least crowded spot
    when none is free."""
    dots = [(x - radius, y - radius, x + radius, y + radius) for x, y, _ in points]
    placed: list[tuple[float, float, float, float]] = []
    out: list[Text] = []
    for x, y, label in points:
        candidates: list[Text] = []
        for distance in (radius + 3, radius + 12, radius + 22, radius + 34, radius + 48):
            for angle in (0, 180, 90, 270, 45, 135, 225, 315):
                rad = math.radians(angle)
                dx, dy = math.cos(rad) * distance, -math.sin(rad) * distance
                anchor = "start" if dx > 1 else "end" if dx < -1 else "middle"
                candidates.append(Text(x + dx, y + dy + size * 0.3, label, size, anchor, css="num"))
        best, best_cost = candidates[0], math.inf
        for candidate in candidates:
            box = text_box(candidate)
            inside = (
                box[0] >= bounds[0]
                and box[1] >= bounds[1]
                and box[2] <= bounds[2]
                and box[3] <= bounds[3]
            )
            cost = sum(_overlaps(box, other) for other in [*placed, *dots]) + (not inside) * 10
            if cost < best_cost:
                best, best_cost = candidate, cost
            if cost == 0:
                break
        placed.append(text_box(best))
        out.append(best)
    return out


@dataclass(frozen=True)
class MatrixWords:
    title: str
    impact: str
    feasibility: str
    quick_wins: str
    low: str
    high: str


def matrix(
    actions: Sequence[tuple[str, float | None, float | None, str]], words: MatrixWords
) -> Chart | None:
    """(label, impact, feasibility, text) per action; ``None`` when none has both scores."""
    scored = [(k, i, f, t) for k, i, f, t in actions if i is not None and f is not None]
    if not scored:
        return None
    chart = Chart("matrix", words.title)
    left, top, right, bottom = 78, 34, WIDTH - 20, HEIGHT - 64
    low, high = 0.5, 5.5  # half a point of room around the scale, for dots spread at 1 and 5

    def px(feasibility: float) -> float:
        return left + (feasibility - low) / (high - low) * (right - left)

    def py(impact: float) -> float:
        return bottom - (impact - low) / (high - low) * (bottom - top)

    mid_x, mid_y = px(3), py(3)
    chart.shapes.append(Rect(left, top, right - left, bottom - top, "#ffffff", LINE))
    chart.shapes.append(Rect(mid_x, top, right - mid_x, mid_y - top, QUICK, None))
    chart.shapes.append(
        Text(right, top - 10, f"▲ {words.quick_wins}", 13, "end", "#1a7f37", True, css="quick-wins")
    )
    for value in range(1, 6):
        chart.shapes.append(Line(px(value), top, px(value), bottom, LINE, dash=value != 3))
        chart.shapes.append(Line(left, py(value), right, py(value), LINE, dash=value != 3))
        chart.shapes.append(Text(px(value), bottom + 18, str(value), 11, "middle", MUTED))
        chart.shapes.append(Text(left - 10, py(value) + 4, str(value), 11, "end", MUTED))
    chart.shapes.append(Line(mid_x, top, mid_x, bottom, MUTED))
    chart.shapes.append(Line(left, mid_y, right, mid_y, MUTED))
    chart.shapes.append(
        Text((left + right) / 2, HEIGHT - 18, f"{words.feasibility} →", 13, "middle", INK, True)
    )
    chart.shapes.append(Text(left, HEIGHT - 18, words.low, 11, "start", MUTED))
    chart.shapes.append(Text(right, HEIGHT - 18, words.high, 11, "end", MUTED))
    chart.shapes.append(
        Text(22, (top + bottom) / 2, f"{words.impact} →", 13, "middle", INK, True, rotate=True)
    )
    # Dots on one spot are spread on a small circle around it.
    spots: dict[tuple[float, float], list[int]] = {}
    for index, (_, impact, feasibility, _) in enumerate(scored):
        assert impact is not None and feasibility is not None
        spots.setdefault((round(impact, 2), round(feasibility, 2)), []).append(index)
    positions: dict[int, tuple[float, float]] = {}
    for (impact, feasibility), members in spots.items():
        cx, cy = px(feasibility), py(impact)
        if len(members) == 1:
            positions[members[0]] = (cx, cy)
            continue
        spread = 9 + 2.2 * len(members)
        for n, index in enumerate(members):
            angle = 2 * math.pi * n / len(members) - math.pi / 2
            positions[index] = (cx + spread * math.cos(angle), cy + spread * math.sin(angle))
    points = []
    for index, (label, impact, feasibility, text) in enumerate(scored):
        x, y = positions[index]
        tip = f"{label} · {text} ({words.impact} {impact:g}, {words.feasibility} {feasibility:g})"
        chart.shapes.append(Dot(x, y, 6, DOT, tip, label))
        points.append((x, y, label))
    chart.shapes += place_labels(points, (left + 2, top + 2, right - 2, bottom - 2))
    return chart


def votes(
    bars: Sequence[tuple[str, int]], title: str, stand_ins: Sequence[str] = ()
) -> Chart | None:
    """One horizontal bar per (challenge name, votes); ``None`` when there are no votes.
    ``stand_ins``, one per bar, are drawn in the PNG for a name no installed font draws."""
    if not bars or not any(v for _, v in bars):
        return None
    row = 30
    label_width = 300
    height = 40 + row * len(bars) + 10
    chart = Chart("votes", title, WIDTH, height)
    most = max(v for _, v in bars) or 1
    left, right = label_width + 10, WIDTH - 50
    for n, (name, count) in enumerate(bars):
        y = 20 + n * row
        shown = name if len(name) <= 44 else name[:43] + "…"
        stand_in = stand_ins[n] if n < len(stand_ins) else ""
        chart.shapes.append(Text(label_width, y + 17, shown, 12, "end", INK, stand_in=stand_in))
        width = (right - left) * count / most
        chart.shapes.append(
            Rect(left, y + 4, max(width, 1), row - 10, DOT, None, f"{name}: {count}")
        )
        chart.shapes.append(Text(left + width + 6, y + 17, str(count), 12, "start", INK, True))
    return chart


def to_svg(chart: Chart, label: str) -> str:
    """The chart as an inline SVG element, its ``label`` for screen readers."""
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{chart.kind}" '
        f'viewBox="0 0 {chart.width} {chart.height}" role="img" aria-label="{escape(label)}" '
        f'font-family="{FONT}">'
    ]
    for shape in chart.shapes:
        if isinstance(shape, Rect):
            stroke = f' stroke="{shape.stroke}"' if shape.stroke else ""
            tip = f"<title>{escape(shape.title)}</title>" if shape.title else ""
            out.append(
                f'<rect x="{shape.x:.1f}" y="{shape.y:.1f}" width="{shape.w:.1f}" '
                f'height="{shape.h:.1f}" fill="{shape.fill}"{stroke}>{tip}</rect>'
            )
        elif isinstance(shape, Line):
            dash = ' stroke-dasharray="3 4"' if shape.dash else ""
            out.append(
                f'<line x1="{shape.x1:.1f}" y1="{shape.y1:.1f}" x2="{shape.x2:.1f}" '
                f'y2="{shape.y2:.1f}" stroke="{shape.stroke}"{dash}/>'
            )
        elif isinstance(shape, Dot):
            out.append(
                f'<circle class="dot" data-action="{escape(shape.key)}" cx="{shape.x:.1f}" '
                f'cy="{shape.y:.1f}" r="{shape.r}" fill="{shape.fill}" fill-opacity="0.85" '
                f'stroke="#ffffff"><title>{escape(shape.title)}</title></circle>'
            )
        else:
            weight = ' font-weight="700"' if shape.bold else ""
            rotate = f' transform="rotate(-90 {shape.x:.1f} {shape.y:.1f})"' if shape.rotate else ""
            css = f' class="{shape.css}"' if shape.css else ' class="label"'
            out.append(
                f'<text{css} x="{shape.x:.1f}" y="{shape.y:.1f}" font-size="{shape.size}" '
                f'text-anchor="{shape.anchor}" fill="{shape.fill}"{weight}{rotate}>'
                f"{escape(shape.text)}</text>"
            )
    out.append("</svg>")
    return "".join(out)


def to_png(chart: Chart, scale: float = 2.0) -> bytes:
    """The chart as a PNG, drawn by matplotlib's Agg backend (no display, no network)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle, Rectangle

    dpi = 100 * scale
    figure = Figure(figsize=(chart.width / 100, chart.height / 100), dpi=dpi)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, chart.width)
    axes.set_ylim(chart.height, 0)
    axes.axis("off")
    points = 72 / 100  # a pixel of the 100-dpi layout, in points
    for shape in chart.shapes:
        if isinstance(shape, Rect):
            axes.add_patch(
                Rectangle(
                    (shape.x, shape.y),
                    shape.w,
                    shape.h,
                    facecolor=shape.fill,
                    edgecolor=shape.stroke or "none",
                    linewidth=0.8,
                )
            )
        elif isinstance(shape, Line):
            axes.plot(
                [shape.x1, shape.x2],
                [shape.y1, shape.y2],
                color=shape.stroke,
                linewidth=0.8,
                linestyle=(0, (3, 4)) if shape.dash else "-",
            )
        elif isinstance(shape, Dot):
            axes.add_patch(
                Circle(
                    (shape.x, shape.y),
                    shape.r,
                    facecolor=shape.fill,
                    alpha=0.85,
                    edgecolor="#ffffff",
                )
            )
        else:
            text, families = png_text(shape)
            if text is None:
                continue
            axes.text(
                shape.x,
                shape.y,
                text,
                fontsize=shape.size * points,
                ha={"start": "left", "middle": "center", "end": "right"}[shape.anchor],
                va="baseline",
                color=shape.fill,
                fontweight="bold" if shape.bold else "normal",
                rotation=90 if shape.rotate else 0,
                rotation_mode="anchor",
                family=list(families),
            )
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, facecolor="#ffffff")
    return buffer.getvalue()


PNG_FONT = "DejaVu Sans"
NOT_FOR_TEXT = ("Last Resort", "STIXNonUnicode", "STIXSize", "cm")
"""Fonts matplotlib knows that must not stand in for a missing glyph: Last Resort draws
every character as a box naming its block (the tofu this avoids), and the others map
letters to math symbols."""


def png_text(shape: Text) -> tuple[str | None, tuple[str, ...]]:
    """What the PNG draws for ``shape``, and the font families to draw it with: its text
    with DejaVu Sans and, for the characters DejaVu Sans lacks (Chinese, Japanese, Korean
    …), the installed fonts that have them (Noto Sans CJK, WenQuanYi, …, as matplotlib
    finds them); its ``stand_in`` when no installed font has them all; ``None`` (not drawn)
    without a stand-in. Never a box for a missing glyph, never matplotlib's warning."""
    for text in (shape.text, shape.stand_in):
        if not text:
            continue
        families = font_families(text)
        if families is not None:
            return text, families
    return None, (PNG_FONT,)


def font_families(text: str) -> tuple[str, ...] | None:
    """DejaVu Sans, then the fonts that draw the characters it lacks; ``None`` when no
    installed font draws some character of ``text``."""
    coverage = _font_coverage()
    missing = {ord(ch) for ch in text if ch.isprintable()} - coverage[PNG_FONT]
    families = [PNG_FONT]
    while missing:
        best = max(coverage, key=lambda name: len(missing & coverage[name]))
        found = missing & coverage[best]
        if not found:
            return None
        families.append(best)
        missing -= found
    return tuple(families)


@functools.cache
def _font_coverage() -> dict[str, frozenset[int]]:
    """Each font family matplotlib finds on this machine (its regular face first) and the
    characters it has, read once per process."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    coverage: dict[str, frozenset[int]] = {}
    entries = sorted(
        font_manager.fontManager.ttflist,
        key=lambda f: (f.name != PNG_FONT, f.style != "normal", f.weight != 400, f.name),
    )
    for entry in entries:
        if entry.name in coverage or entry.name.startswith(NOT_FOR_TEXT):
            continue
        try:
            coverage[entry.name] = frozenset(FT2Font(entry.fname).get_charmap())
        except (OSError, RuntimeError, ValueError):
            continue
    coverage.setdefault(PNG_FONT, frozenset(range(0x20, 0x7F)))
    return coverage

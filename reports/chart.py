"""PNG charts with matplotlib's Agg backend — no display, safe in a worker thread.

Chinese labels need a CJK font. The project depends on `noto-cjk-sans-otc`
(Noto Sans CJK from PyPI, SIL Open Font License), so every installation draws
Chinese charts without a system font package; should it be missing, a system
CJK font is used, and failing that the chart is drawn in English rather than
with empty boxes.
"""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Any

from reports.render import ChartSpec

# The bundled collection's Simplified Chinese face first, then common system fonts.
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "Noto Sans CJK JP",
    "AR PL UMing CN",
    "Droid Sans Fallback",
)
# Twelve clearly different colours (Tableau's palette plus four), one per mission type,
# so no two series of one chart share a colour.
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
    "#17becf",
    "#2f4b7c",
)
TARGET_COLOUR = "#c0392b"


def _register_bundled_font() -> None:
    try:
        from noto_cjk_sans_otc import FONT_PATH
    except ImportError:  # an installation without the font package: system fonts only
        return
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(FONT_PATH))


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The first font that can draw Chinese (the bundled one when installed), or None."""
    from matplotlib import font_manager

    _register_bundled_font()
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def has_cjk_font() -> bool:
    return cjk_font() is not None


def chart_language(lang: str) -> str:
    return lang if lang == "en" or has_cjk_font() else "en"


def warm_up() -> None:
    """Import what reports and imports use (matplotlib, XlsxWriter, openpyxl) and find the
    font once (≈1 s), so the first report of a process is as fast as the others. Blocking:
    call it in a worker thread."""
    import openpyxl  # noqa: F401  (reads imported XLSX files)

    from common.spreadsheet import Sheet, workbook_bytes

    cjk_font()
    render_png(ChartSpec(title="", y_label="", x_labels=["1"], series=[("x", [1.0])]))
    workbook_bytes([Sheet("x", ["x"], [[1]])])


def render_png(spec: ChartSpec) -> bytes:
    """The chart as PNG bytes; blocking (call it through asyncio.to_thread)."""
    buffer = io.BytesIO()
    build_figure(spec).savefig(buffer, format="png")
    return buffer.getvalue()


def build_figure(spec: ChartSpec) -> Any:
    """A stacked bar chart of `spec` (a matplotlib Figure).

    The legend sits outside the plot, so it never hides a bar; with a target, a line
    of the running total climbs towards a dashed target line on a second axis.
    """
    # The object API, not pyplot: pyplot keeps global state that threads would share.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    font = cjk_font()
    families = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    # A fixed layout (not matplotlib's constrained one, which draws the figure twice):
    # the plot on the left, the legend in its own column on the right.
    figure = Figure(figsize=(12, 5.5), dpi=100)
    figure.subplots_adjust(left=0.06, right=0.77, top=0.92, bottom=0.08)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot(1, 1, 1)
    positions = list(range(len(spec.x_labels)))
    bottoms = [0.0] * len(positions)
    colours = spec.colours or list(range(len(spec.series)))
    for (label, values), colour in zip(spec.series, colours, strict=True):
        axes.bar(
            positions,
            values,
            bottom=bottoms,
            label=label,
            width=0.7,
            color=PALETTE[colour % len(PALETTE)],
        )
        bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    axes.set_xticks(positions)
    axes.set_xticklabels(spec.x_labels, fontfamily=families)
    axes.set_ylabel(spec.y_label, fontfamily=families)
    axes.set_title(spec.title, fontfamily=families)
    axes.grid(axis="y", alpha=0.3)
    axes.set_axisbelow(True)
    if not any(bottoms):
        axes.set_ylim(0, 1)
    if spec.target is not None:
        running, total = [], 0.0
        for value in bottoms:
            total += value
            running.append(total)
        right = axes.twinx()
        right.plot(positions, running, color="#333333", marker="o", label=spec.running_label)
        right.axhline(
            spec.target, color=TARGET_COLOUR, linestyle="--", linewidth=2, label=spec.target_label
        )
        right.set_ylim(0, max(spec.target, total) * 1.1 or 1)
        right.set_ylabel(spec.running_label, fontfamily=families)
        right.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    if spec.series or spec.target is not None:
        figure.legend(
            prop={"family": families, "size": "small"},
            loc="upper left",
            bbox_to_anchor=(0.835, 0.92),
            borderaxespad=0,
        )
    return figure

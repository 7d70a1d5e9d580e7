"""PNG charts with matplotlib's Agg backend — no display, safe in a worker thread.

Chinese labels need a CJK font; without one matplotlib draws boxes, so the
caller asks `has_cjk_font()` and renders the chart in English instead.
"""

from __future__ import annotations

import io
from functools import lru_cache

from reports.render import ChartSpec

CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "AR PL UMing CN",
    "Droid Sans Fallback",
)


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The first installed font that can draw Chinese, or None."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def has_cjk_font() -> bool:
    return cjk_font() is not None


def chart_language(lang: str) -> str:
    return lang if lang == "en" or has_cjk_font() else "en"


def render_png(spec: ChartSpec) -> bytes:
    """A stacked bar chart of `spec`; blocking (call it through asyncio.to_thread)."""
    # The object API, not pyplot: pyplot keeps global state that threads would share.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    font = cjk_font()
    families = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    figure = Figure(figsize=(10, 5.5), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot(1, 1, 1)
    positions = list(range(len(spec.x_labels)))
    bottoms = [0.0] * len(positions)
    for label, values in spec.series:
        axes.bar(positions, values, bottom=bottoms, label=label, width=0.7)
        bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    axes.set_xticks(positions)
    axes.set_xticklabels(spec.x_labels, fontfamily=families)
    axes.set_ylabel(spec.y_label, fontfamily=families)
    axes.set_title(spec.title, fontfamily=families)
    axes.grid(axis="y", alpha=0.3)
    axes.set_axisbelow(True)
    if spec.series:
        axes.legend(prop={"family": families}, fontsize="small", ncols=2, loc="upper left")
    if not any(bottoms):
        axes.set_ylim(0, 1)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()

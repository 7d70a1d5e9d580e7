"""Charts: Chinese from the bundled font, a colour per mission type, the target, a clear legend."""

from __future__ import annotations

from matplotlib import font_manager

from missions.model import MISSION_TYPES
from reports import chart
from reports.render import ChartSpec


def _spec(types: int = len(MISSION_TYPES), target: float | None = 59) -> ChartSpec:
    return ChartSpec(
        title="2026 年每月任务（按类型）",
        y_label="任务数",
        x_labels=[f"{m}月" for m in range(1, 13)],
        series=[(f"类型{i}", [float((i + m) % 3) for m in range(12)]) for i in range(types)],
        colours=list(range(types)),
        target=target,
        target_label="年度目标 59",
        running_label="累计任务",
    )


def test_the_bundled_noto_font_draws_chinese_without_any_system_font() -> None:
    assert chart.cjk_font() == "Noto Sans CJK SC"
    bundled = [f for f in font_manager.fontManager.ttflist if "noto_cjk_sans_otc" in f.fname]
    assert any(f.name == "Noto Sans CJK SC" for f in bundled)
    assert chart.chart_language("zh") == "zh"


def test_every_mission_type_gets_its_own_colour() -> None:
    figure = chart.build_figure(_spec())
    bars = figure.axes[0].containers
    colours = {tuple(container.patches[0].get_facecolor()) for container in bars}
    assert len(bars) == len(MISSION_TYPES) == len(colours)


def test_the_missions_chart_shows_the_target_and_the_running_total() -> None:
    figure = chart.build_figure(_spec())
    right = figure.axes[1]
    levels = [line.get_ydata()[0] for line in right.get_lines() if line.get_linestyle() == "--"]
    assert levels == [59]
    running = next(line for line in right.get_lines() if line.get_linestyle() == "-")
    assert list(running.get_ydata())[-1] == sum(sum(values) for _, values in _spec().series)


def test_the_legend_lies_outside_the_plot_so_it_hides_no_bar() -> None:
    figure = chart.build_figure(_spec())
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    legend = figure.legends[0].get_window_extent(renderer)
    for axes in figure.axes:
        assert not legend.overlaps(axes.get_window_extent(renderer))
        assert not legend.overlaps(axes.yaxis.label.get_window_extent(renderer))
    labels = [text.get_text() for text in figure.legends[0].get_texts()]
    assert labels[: len(MISSION_TYPES)] == [f"类型{i}" for i in range(len(MISSION_TYPES))]
    assert "年度目标 59" in labels


def test_a_chart_renders_to_png() -> None:
    assert chart.render_png(_spec(types=2, target=None)).startswith(b"\x89PNG")


def test_the_longest_english_type_names_fit_inside_the_picture() -> None:
    from missions.model import type_label

    spec = _spec()
    spec.series = [
        (type_label(code, "en"), values)
        for code, (_, values) in zip(MISSION_TYPES, spec.series, strict=True)
    ]
    spec.target_label, spec.running_label = "yearly target 59", "missions so far"
    figure = chart.build_figure(spec)
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    legend = figure.legends[0].get_window_extent(renderer)
    assert legend.x1 <= figure.bbox.x1 and legend.y0 >= figure.bbox.y0

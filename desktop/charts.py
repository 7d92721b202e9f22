"""Bar charts of the dashboards (QtCharts): a titled chart of one bar set with its values on the bars."""

from __future__ import annotations

from collections.abc import Sequence

from desktop.qt import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QColor,
    QFont,
    QHorizontalBarSeries,
    Qt,
    QValueAxis,
)

BAR_COLOUR = QColor("#2f6fb0")


def nice_max(value: int) -> int:
    """An axis end a little above ``value`` with round ticks."""
    if value <= 5:
        return 5
    step = 10 ** (len(str(value)) - 1)
    return int(((value * 11 // 10) // step + 1) * step)


def bar_chart(title: str, labels: Sequence[str], values: Sequence[int], font: QFont,
              horizontal: bool = False) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    title_font = QFont(font)
    title_font.setBold(True)
    chart.setTitleFont(title_font)
    chart.legend().hide()
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setBackgroundRoundness(0)
    bars = QBarSet(title)
    bars.setColor(BAR_COLOUR)
    bars.append([float(v) for v in values])
    series = QHorizontalBarSeries() if horizontal else QBarSeries()
    series.append(bars)
    series.setLabelsVisible(True)
    series.setLabelsFormat("@value")
    series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
    bars.setLabelColor(QColor("#222222"))
    bars.setLabelFont(font)
    chart.addSeries(series)
    categories = QBarCategoryAxis()
    categories.append(list(labels) or [""])
    categories.setLabelsFont(font)
    axis = QValueAxis()
    axis.setRange(0, nice_max(max(values, default=0)))
    axis.setLabelFormat("%d")
    axis.setLabelsFont(font)
    axis.setTickCount(6)
    if horizontal:
        chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(axis, Qt.AlignmentFlag.AlignBottom)
    else:
        chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(categories)
    series.attachAxis(axis)
    return chart


__all__ = ["BAR_COLOUR", "bar_chart", "nice_max"]

"""One KPI's chart (values over time, the target, the comparators) and its definition beside it.

matplotlib is imported when the first chart is drawn, not when the window starts (it costs a
third of a second), and the chart is drawn only while it is on screen. The figure uses the object
API on a `FigureCanvasQTAgg` with fixed margins, which draws in tens of milliseconds.

Periods are placed side by side in order (a categorical axis): KPI periods are months, quarters
or years, each shown by its own label, and a year's value sits under its "2024/25" rather than at
31 March. The target is drawn as steps, so a financial year's target spans its twelve months.
"""

from __future__ import annotations

import math
import textwrap

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from send_desktop.core import kpi_values as kv
from send_desktop.core.periods import parse_period
from send_desktop.services.kpi_read import KpiRow, target_covering
from send_desktop.ui.widgets import chip_html, escape_html

LINE = "#1f5fa8"
TARGET = "#333333"
COMPARATOR_COLOURS = ("#8e44ad", "#b9770e", "#117a65", "#7f8c8d")
MAX_TICKS = 12


def _ticks(n: int) -> list[int]:
    step = max(1, math.ceil(n / MAX_TICKS))
    ticks = list(range(0, n, step))
    if ticks and ticks[-1] != n - 1:
        if n - 1 - ticks[-1] < step / 2:
            ticks[-1] = n - 1  # the latest period always has its label
        else:
            ticks.append(n - 1)
    return ticks


def _formatter(unit: str):
    def fmt(value, _pos=None):
        if unit == "%":
            return f"{value:g}%"
        if unit == "count":
            return f"{value:,.0f}"
        return f"{value:g}"
    return fmt


def draw_kpi(figure, kpi: KpiRow | None) -> None:
    """Draw a KPI onto a matplotlib Figure (object API; used by the widget and by reports)."""
    figure.clear()
    ax = figure.add_subplot(1, 1, 1)
    figure.subplots_adjust(left=0.09, right=0.97, top=0.76, bottom=0.16)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if kpi is None or not kpi.values or kpi.unit == "text" or not kpi.trend:
        ax.set_axis_off()
        if kpi is None:
            message = "Choose a KPI in the table to see its chart."
        elif kpi.unit == "text":
            message = "A text measure is reported in words, so it has no chart.\nIts values are listed beside."
        else:
            message = "No values with a number yet, so there is nothing to draw."
        ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=11, color="#555555", transform=ax.transAxes)
        return
    values = kpi.values
    n = len(values)
    xs = [i for i, v in enumerate(values) if v.number is not None]
    ys = [values[i].number for i in xs]
    ax.plot(xs, ys, color=LINE, linewidth=2, marker="o", markersize=4 if n > 24 else 6, label="Value", zorder=3)

    targets = [target_covering(kpi.targets, parse_period(v.period)) for v in values]
    target_ys = [t.number if t is not None and t.number is not None else math.nan for t in targets]
    if any(not math.isnan(t) for t in target_ys):
        ax.plot(range(n), target_ys, color=TARGET, linewidth=1.4, linestyle="--", drawstyle="steps-mid",
                label="Target", zorder=2)
    for colour, c in zip(COMPARATOR_COLOURS, [c for c in kpi.comparators if c.number is not None]):
        when = f", {c.as_at:%b %Y}" if c.as_at else ""
        ax.axhline(c.number, color=colour, linewidth=1.2, linestyle=":", label=f"{c.name} {c.text}{when}", zorder=1)

    low, high = ax.get_ylim()
    words = [i for i, v in enumerate(values) if v.number is None]
    if words:  # values in words: marked where they fall, just above the axis, their words written upwards
        low -= (high - low) * 0.12
        ax.set_ylim(low, high)
        mark = low + (high - low) * 0.03
        ax.plot(words, [mark] * len(words), linestyle="none", marker="x", color="#888888", markersize=5, zorder=4)
        for i in words:
            ax.annotate(values[i].text, (i, mark), xytext=(0, 5), textcoords="offset points", rotation=90, fontsize=7,
                        color="#666666", ha="center", va="bottom")
    last = xs[-1]
    at_end = last == n - 1 and n > 1  # at the right edge the label ends at the point, inside the chart
    ax.annotate(values[last].text, (last, ys[-1]), xytext=(4 if at_end else 0, 9), textcoords="offset points",
                fontsize=9, fontweight="bold", color=LINE, ha="right" if at_end else "center",
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})

    ticks = _ticks(n)
    ax.set_xticks(ticks)
    ax.set_xticklabels([values[i].label for i in ticks], fontsize=8, rotation=30 if n > 8 else 0,
                       ha="right" if n > 8 else "center")
    ax.set_xlim(-0.5, n - 0.5)
    ax.yaxis.set_major_formatter(_formatter(kpi.unit))
    ax.tick_params(axis="y", labelsize=8)
    ax.set_ylabel({"%": "Per cent", "count": "Number", "weeks": "Weeks", "days": "Days"}[kpi.unit], fontsize=9)
    ax.grid(axis="y", color="#e6e6e6", linewidth=0.8)
    ax.set_axisbelow(True)
    # Above the plot, in a row: it never hides a point, and costs nothing to place ("best" searches).
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.01), ncol=4, fontsize=8, frameon=False, borderaxespad=0,
              handlelength=2.2)
    title = textwrap.shorten(f"{kpi.ref}  {' '.join(kpi.measure.split())}", 110, placeholder="\u2026")
    figure.text(0.09, 0.93, title, fontsize=11, fontweight="bold", ha="left", va="bottom")
    rag = kpi.rag.label if kpi.rag.status else f"no RAG ({kpi.rag.label.lower()})"
    latest = kpi.latest
    figure.text(0.09, 0.87, f"{kpi.direction.capitalize()} is better \u00b7 latest {latest.label}: {latest.text} "
                            f"\u00b7 {rag}", fontsize=9, color="#444444", ha="left", va="bottom")


def details_html(kpi: KpiRow | None) -> str:
    """The definition, RAG reason, targets, comparators and notes of a KPI, as rich text."""
    if kpi is None:
        return "<p style='color:#555'>No KPI chosen.</p>"
    e = escape_html
    rows = [("Responsible officer", kpi.officer or "not set"), ("Reported", kpi.frequency),
            ("Unit", kpi.unit), ("Better when", kpi.direction), ("Priority", kpi.priority_ref or "none")]
    if kpi.unit != "text":
        tolerance = (kv.amount(kpi.tolerance, kpi.unit) if kpi.tolerance is not None
                     else "5% of the target (the default)")
        rows.append(("Amber tolerance", tolerance))
    html = [f"<p><b>{e(kpi.ref)}</b> {e(kpi.measure)}</p><table cellspacing='0' cellpadding='1'>"]
    html += [f"<tr><td style='color:#555;padding-right:8px'>{e(k)}</td><td>{e(v)}</td></tr>" for k, v in rows]
    html.append("</table>")
    colour = kpi.rag.colour if kpi.rag.status else None
    html.append(f"<p>{chip_html(colour, kpi.rag.label)} {e(kpi.rag.reason)}</p>")
    if kpi.targets:
        html.append("<p><b>Targets</b><br>" + "<br>".join(f"{e(t.label)}: {e(t.text)}" for t in kpi.targets[-6:])
                    + ("<br><i>and earlier years</i>" if len(kpi.targets) > 6 else "") + "</p>")
    if kpi.comparators:
        lines = []
        for c in kpi.comparators:
            when = f", as at {c.as_at.day} {c.as_at:%b %Y}" if c.as_at else ""
            source = f" <span style='color:#555'>({e(c.source)})</span>" if c.source else ""
            lines.append(f"{e(c.name)}: {e(c.text)}{when}{source}")
        html.append("<p><b>Comparators</b><br>" + "<br>".join(lines) + "</p>")
    words = [v for v in kpi.values if v.number is None or kpi.unit == "text"]
    if words:
        html.append("<p><b>Values in words</b><br>" + "<br>".join(f"{e(v.label)}: {e(v.text)}" for v in words[-8:])
                    + "</p>")
    if kpi.notes:
        html.append(f"<p><b>Notes</b><br>{e(kpi.notes)}</p>")
    return "".join(html)


class KpiChart(QWidget):
    """The chart of the current KPI, with its details to the right."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._kpi: KpiRow | None = None
        self._dirty = True
        self.figure = None
        self.canvas = None
        self.drawn: KpiRow | None = None  # the KPI the chart shows now
        # Drawn a moment after the choice settles: arrowing down the table redraws once, not per row,
        # and the table paints before the chart.
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(40)
        self._timer.timeout.connect(self.redraw)
        self._slot = QVBoxLayout()
        self._slot.setContentsMargins(0, 0, 0, 0)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setContentsMargins(8, 4, 8, 4)
        scroll = QScrollArea()
        scroll.setWidget(self.details)
        scroll.setWidgetResizable(True)
        scroll.setFixedWidth(330)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._slot, 1)
        layout.addWidget(scroll)
        self.details.setText(details_html(None))

    def show_kpi(self, kpi: KpiRow | None) -> None:
        if kpi == self._kpi and self.drawn == kpi and self.canvas is not None:
            return  # a reload that changed nothing for this KPI
        self._kpi = kpi
        self.details.setText(details_html(kpi))
        self._dirty = True
        if self.isVisible():
            self._timer.start()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().showEvent(event)
        if self._dirty:
            self._timer.start()

    def _ensure_canvas(self) -> None:
        if self.canvas is not None:
            return
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=(7, 3.6), dpi=100)
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.canvas.setMinimumHeight(220)
        self._slot.addWidget(self.canvas)

    def redraw(self) -> None:
        self._timer.stop()
        self._ensure_canvas()
        draw_kpi(self.figure, self._kpi)
        self.canvas.draw_idle()
        self.drawn, self._dirty = self._kpi, False

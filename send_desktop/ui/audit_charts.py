"""The audit report page's charts: their places on the page, matplotlib loaded when first shown, drawing.

`ChartPanel` gives the page a place of the final size for each chart at once (nothing moves
when the charts arrive), imports matplotlib on the worker pool the first time the page is shown
(0.3-0.5 s the window never pays at start-up, shared/PERFORMANCE.md), and once the figures are
in makes one canvas per chart and draws each once. matplotlib is imported by `load_matplotlib`
and inside the drawing code, never when this module is imported.

Readable without colour: every bar carries its value as text, lines differ by style as well as
shade (solid rolling line, dashed target, dotted benchmark), and the grades are told apart by
their axis labels, not by colour. Each draw returns a sentence with the same figures, which
becomes the chart's accessible description. Margins are fixed in pixels and re-applied when a
canvas is resized; no layout engine runs (constrained layout costs ~0.1 s a draw).
"""

from __future__ import annotations

import math
import sys
from importlib import import_module
from typing import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget
from shiboken6 import isValid

from send_desktop.audits.stats import GRADES, NOT_GRADED
from send_desktop.reports.audit_report import AuditReport, grade_pct, pct_text

INK = "#1a1a1a"
MUTED = "#6b6b6b"
GRID = "#dddddd"
BAR = "#4f7fb8"
BAR_LIGHT = "#c5d5ea"
#: Fill and hatch per grade: darker is better, and the grade's name is on the axis anyway.
GRADE_STYLE = {"Outstanding": ("#1f4e79", ""), "Good": ("#4f7fb8", ""), "Requires improvement": ("#c5d5ea", ""),
               "Inadequate": ("#f4f4f4", "...."), NOT_GRADED: ("#ffffff", "////")}
FONT = 8.5
NAN = float("nan")
HEIGHTS = {"grades": 250, "trend": 270, "done": 250}  # "sections" grows with the sections
#: Margins in pixels (left, right, top, bottom): room for the labels each chart puts outside its axes.
MARGINS = {"grades": (16, 12, 12, 40), "trend": (44, 14, 34, 40), "done": (16, 14, 34, 40),
           "sections": (330, 12, 8, 24)}
NAMES = {"grades": "Grade distribution chart", "trend": "Monthly % good or better chart",
         "done": "Audits done against the monthly target chart", "sections": "Section profile chart"}
MATPLOTLIB = ("matplotlib.figure", "matplotlib.ticker", "matplotlib.backends.backend_qtagg")


def chart_height(key: str, sections: int = 16) -> int:
    return HEIGHTS.get(key) or 40 + 22 * max(sections, 4)


def load_matplotlib() -> None:
    for name in MATPLOTLIB:
        import_module(name)


class Chart:
    """One chart: a matplotlib canvas with one axes whose margins stay the same number of pixels."""

    def __init__(self, name: str, height: int, margins: tuple[int, int, int, int]):
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        self.canvas = FigureCanvasQTAgg(Figure(figsize=(6, height / 100), dpi=100, facecolor="white"))
        self.margins = margins  # left, right, top, bottom in pixels
        self.ax = self.canvas.figure.add_subplot()
        self.canvas.setFixedHeight(height)
        self.canvas.setMinimumWidth(320)
        self.canvas.setAccessibleName(name)
        self.canvas.mpl_connect("resize_event", lambda _event: self.fit())

    def fit(self) -> None:
        w, h = max(self.canvas.width(), 1), max(self.canvas.height(), 1)
        left, right, top, bottom = self.margins
        self.canvas.figure.subplots_adjust(left=min(0.6, left / w), right=max(0.61, 1 - right / w),
                                           top=max(0.3, 1 - top / h), bottom=min(0.29, bottom / h))

    def draw_idle(self) -> None:
        self.canvas.draw_idle()

    def start(self):
        """A cleared axes in the house style."""
        ax = self.ax
        ax.clear()
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.tick_params(labelsize=FONT, colors=INK)
        self.fit()
        return ax

    def empty(self, message: str) -> str:
        ax = self.start()
        ax.set_xticks([])
        ax.set_yticks([])
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=FONT + 1, color=MUTED, transform=ax.transAxes)
        self.draw_idle()
        return message


class ChartPanel(QObject):
    """The page's charts. `place(key)` is the widget to lay out; `load()` on the page's first show;
    `show(report)` with each new report. `fail(exc, title)` is the page's error path and
    `changed()` is called when the charts have changed size or content."""

    def __init__(self, parent: QWidget, fail: Callable[[BaseException, str], bool], changed: Callable[[], None]):
        super().__init__(parent)
        self.slots: dict[str, QVBoxLayout] = {}
        self.charts: dict[str, Chart] = {}
        self.descriptions: dict[str, str] = {}  # key -> the chart's figures in words
        self._fail, self._changed = fail, changed
        self._job = None
        self._asked = self._loaded = False
        self._report = None

    @property
    def busy(self) -> bool:
        return self._job is not None

    def canvases(self) -> dict[str, QWidget]:
        return {key: chart.canvas for key, chart in self.charts.items()}

    def place(self, key: str) -> QWidget:
        holder = QWidget()
        holder.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.slots[key] = slot = QVBoxLayout(holder)
        slot.setContentsMargins(0, 0, 0, 0)
        waiting = QLabel("Drawing the chart…")
        waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        waiting.setFixedHeight(chart_height(key))
        slot.addWidget(waiting)
        return holder

    def load(self) -> None:
        """Import matplotlib on the worker pool, beside the counting, the first time it is asked."""
        from send_desktop.core.progress import Progress
        from send_desktop.ui.worker import Job

        if self._asked:
            return
        self._asked = True
        if all(name in sys.modules for name in MATPLOTLIB):
            self._ready()
            return

        def steps():
            yield Progress(0, 1, "Loading the charts")
            load_matplotlib()

        def failed(exc: BaseException) -> bool:
            self._job = None
            return self._fail(exc, "Cannot draw the charts")

        self._job = Job(steps, lambda _none: self._ready(), failed)
        self._job.start()

    def show(self, report: AuditReport) -> None:
        self._report = report
        if self.charts:
            self._draw()
        elif self._loaded:
            self._build()

    def _ready(self) -> None:
        if isValid(self):
            self._job, self._loaded = None, True
            if self._report is not None:
                self._build()

    def _build(self) -> None:
        """The canvases, made once the figures are here, so each chart is drawn once and not first
        empty and then again."""
        for key, slot in self.slots.items():
            chart = self.charts[key] = Chart(NAMES[key], chart_height(key, len(self._report.sections)), MARGINS[key])
            waiting = slot.takeAt(0)
            if waiting is not None and waiting.widget() is not None:
                waiting.widget().deleteLater()
            slot.addWidget(chart.canvas)
        self._draw()

    def _draw(self) -> None:
        report = self._report
        try:
            if "sections" in self.charts:
                self.charts["sections"].canvas.setFixedHeight(chart_height("sections", len(report.sections)))
            for key, chart in self.charts.items():
                self.descriptions[key] = DRAW[key](chart, report)
                chart.canvas.setAccessibleDescription(self.descriptions[key])
        except Exception as exc:  # noqa: BLE001 - the figures stay readable in the tiles and tables
            self._fail(exc, "Cannot draw the charts")
        self._changed()


def _label(ax, x, y, text: str) -> None:
    """A bar's value above it, on white, so a target line through it does not strike the number out."""
    ax.annotate(text, (x, y), xytext=(0, 3), textcoords="offset points", ha="center", va="bottom",
                fontsize=FONT - 0.5, color=INK, bbox={"boxstyle": "square,pad=0.1", "facecolor": "white",
                                                      "edgecolor": "none"})


def _no_value_axis(ax) -> None:
    """Bars that carry their values need no value axis: fewer ticks to read, and to draw."""
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)


def _month_label(month: str, first: bool) -> str:
    names = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    name = names[int(month[5:7]) - 1]
    return f"{name}\n{month[:4]}" if first or month.endswith("-01") else name


def _month_axis(ax, months: list[str]) -> None:
    step = max(1, math.ceil(len(months) / 14))  # about 14 labels at most, whatever the range
    ticks = list(range(0, len(months), step))
    ax.set_xticks(ticks)
    ax.set_xticklabels([_month_label(months[i], i == 0) for i in ticks], fontsize=FONT - 0.5)
    ax.set_xlim(-0.6, len(months) - 0.4)


def draw_grades(canvas: Chart, r: AuditReport) -> str:
    """Bars per grade, best first, each labelled with its count and its % of graded audits."""
    if r.counted == 0:
        return canvas.empty("No audits in this period")
    ax = canvas.start()
    grades = [*reversed(GRADES), NOT_GRADED, *(g for g in r.grades if g not in GRADES and g != NOT_GRADED)]
    counts = [r.grades.get(g, 0) for g in grades]
    x = list(range(len(grades)))
    for i, (grade, n) in enumerate(zip(grades, counts)):
        fill, hatch = GRADE_STYLE.get(grade, ("#ffffff", "xx"))
        ax.bar(i, n, width=0.7, color=fill, hatch=hatch, edgecolor=INK, linewidth=0.6)
        pct = grade_pct(r, grade)
        _label(ax, i, n, f"{n:,}" + (f"\n{pct_text(pct)}" if pct is not None else ""))
    ax.set_xticks(x)
    ax.set_xticklabels([g.replace("Requires improvement", "Requires\nimprovement").replace(NOT_GRADED, "Not\ngraded")
                        for g in grades], fontsize=FONT)
    ax.set_ylim(0, max(counts + [1]) * 1.3)
    _no_value_axis(ax)
    canvas.draw_idle()
    return "Grades of the audits: " + "; ".join(
        f"{g} {n:,}" + (f" ({pct_text(grade_pct(r, g))} of graded)" if g in GRADES else "")
        for g, n in zip(grades, counts)) + "."


def draw_trend(canvas: Chart, r: AuditReport) -> str:
    """Monthly % good or better with its interval, the rolling 3-month line broken where the
    framework version changes, and the target (dashed) and benchmark (dotted) lines."""
    months = [m.month for m in r.monthly]
    if not any(m.share.n for m in r.monthly):
        return canvas.empty("No graded audits in this period")
    ax = canvas.start()
    x = list(range(len(months)))
    pct = [m.share.pct if m.share.n else NAN for m in r.monthly]
    low = [p - m.share.low if m.share.n else 0 for p, m in zip(pct, r.monthly)]
    high = [m.share.high - p if m.share.n else 0 for p, m in zip(pct, r.monthly)]
    ax.errorbar(x, pct, yerr=[low, high], fmt="o", color=MUTED, ecolor="#b0b0b0", elinewidth=1, capsize=2,
                markersize=3.5, label="Month, with 95% interval")
    segments: dict[int, list[int]] = {}
    for i, m in enumerate(r.monthly):
        segments.setdefault(m.segment, []).append(i)
    versions = {f.id: f.version for f in r.frameworks}
    labelled = False
    for number, idx in sorted(segments.items()):
        ys = [r.monthly[i].rolling_pct if r.monthly[i].rolling_pct is not None else NAN for i in idx]
        ax.plot(idx, ys, color=INK, linewidth=2, label=None if labelled else "Rolling 3 months")
        labelled = True
        if number and idx:
            ax.axvline(idx[0] - 0.5, color=MUTED, linestyle=(0, (1, 2)), linewidth=1)
            fws = r.monthly[idx[0]].frameworks
            name = " + ".join(f"v{versions.get(f, f)}" for f in fws) if fws else "new version"
            ax.annotate(f"framework {name}", (idx[0] - 0.4, 0.97), xycoords=("data", "axes fraction"),
                        fontsize=FONT - 1, color=MUTED, va="top")
    target, bench = r.settings.target_pct, r.settings.benchmark_pct
    ax.axhline(target, color=INK, linestyle="--", linewidth=1.1, label=f"Target {pct_text(target, 0)}")
    if bench is not None:
        ax.axhline(bench, color=INK, linestyle=":", linewidth=1.4, label=f"Benchmark {pct_text(bench)}")
    top = max([h for m in r.monthly if m.share.n for h in (m.share.high,)] + [target, bench or 0])
    # A little above 100% when needed, so a point or whisker at 100% is not cut by the frame.
    ax.set_ylim(0, min(100, math.ceil((top + 8) / 10) * 10) + (4 if top >= 92 else 0))
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(5))
    ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:.0f}%")
    ax.yaxis.grid(True, color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    _month_axis(ax, months)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=4, fontsize=FONT - 0.5, frameon=False,
              handlelength=2.2, borderaxespad=0.2)
    canvas.draw_idle()
    last = next((m for m in reversed(r.monthly) if m.rolling_pct is not None), None)
    return (f"Monthly % good or better from {months[0]} to {months[-1]} against a target of {pct_text(target, 0)}"
            + (f"; the latest rolling 3-month figure is {pct_text(last.rolling_pct)} ({last.month})" if last else "")
            + ". The same figures are in the Monthly sheet of the Excel export.")


def draw_done(canvas: Chart, r: AuditReport) -> str:
    """Audits done per month as bars (hatched when the month is not whole), the target dashed."""
    months = [m.month for m in r.monthly]
    if not months:
        return canvas.empty("No audits in this period")
    ax = canvas.start()
    x = list(range(len(months)))
    labelled = len(months) <= 18
    partial_bar = None
    for i, m in enumerate(r.monthly):
        bar = ax.bar(i, m.audits, width=0.72, color=BAR if m.whole_month else BAR_LIGHT,
                     hatch="" if m.whole_month else "////", edgecolor=INK, linewidth=0.5)
        if not m.whole_month:
            partial_bar = bar
        if labelled:
            _label(ax, i, m.audits, f"{m.audits:,}")
    handles = []
    if r.monthly_target:
        handles.append(ax.axhline(r.monthly_target, color=INK, linestyle="--", linewidth=1.1,
                                  label=f"Target {r.monthly_target:,} a month"))
    else:
        ax.annotate("No caseload list is loaded, so there is no monthly target", (0, 1.0), xycoords="axes fraction",
                    xytext=(0, 8), textcoords="offset points", fontsize=FONT - 0.5, color=MUTED)
    if partial_bar is not None:
        partial_bar.set_label("Month not over, or cut by the dates")
        handles.append(partial_bar)
    if handles:
        ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, fontsize=FONT - 0.5,
                  frameon=False, borderaxespad=0.2)
    top = max([m.audits for m in r.monthly] + [r.monthly_target or 0, 1])
    ax.set_ylim(0, top * 1.2)
    if labelled:
        _no_value_axis(ax)
    else:
        from matplotlib.ticker import MaxNLocator

        ax.yaxis.set_major_locator(MaxNLocator(4))
        ax.yaxis.grid(True, color=GRID, linewidth=0.6)
        ax.set_axisbelow(True)
    _month_axis(ax, months)
    canvas.draw_idle()
    partial = [m.month for m in r.monthly if not m.whole_month]
    return ("Audits done per month: " + "; ".join(f"{m.month} {m.audits:,}" for m in r.monthly)
            + (f". Target {r.monthly_target:,} a month" if r.monthly_target else ". No monthly target")
            + (f". Not whole months (hatched): {', '.join(partial)}" if partial else "") + ".")


def draw_sections(canvas: Chart, r: AuditReport) -> str:
    """% good or better per section, in framework order, labelled with the % and the mean score."""
    rows = list(r.sections)
    if not any(s.share.n for s in rows):
        return canvas.empty("No graded audits in this period")
    ax = canvas.start()
    y = list(range(len(rows)))[::-1]
    for yi, s in zip(y, rows):
        value = s.share.pct or 0
        ax.barh(yi, value, height=0.68, color=BAR if s.weight else BAR_LIGHT, edgecolor=INK, linewidth=0.5)
        text = "applied in no audit" if not s.share.n else \
            f"{pct_text(s.share.pct)}   mean score {s.mean_score:.1f}   n {s.share.n:,}"
        ax.annotate(text, (value, yi), xytext=(4, 0), textcoords="offset points", va="center", fontsize=FONT - 1,
                    color=INK)
        ax.annotate(_section_label(s), (0, yi), xycoords=("axes fraction", "data"), xytext=(-6, 0),
                    textcoords="offset points", ha="right", va="center", fontsize=FONT - 0.5, color=INK)
    ax.set_yticks([])
    ax.set_xlim(0, 130)  # room for the labels right of a bar at 100%
    ax.set_xticks([0, 50, 100])
    ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:.0f}%")
    ax.xaxis.grid(True, color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    canvas.draw_idle()
    return "Sections, % good or better: " + "; ".join(
        f"{s.code} {pct_text(s.share.pct)} (mean score {'–' if s.mean_score is None else f'{s.mean_score:.1f}'}, "
        f"n {s.share.n:,})" for s in rows) + ". Sections of weight 0 (paler) do not count towards the plan's grade."


def _section_label(s) -> str:
    title = s.title if len(s.title) <= 28 else s.title[:27].rstrip() + "…"
    return f"{s.code}  {title}" + ("" if s.weight else " (weight 0)")



DRAW = {"grades": draw_grades, "trend": draw_trend, "done": draw_done, "sections": draw_sections}

"""The register's two charts: the heat map (risks per cell of the matrix) and one risk's score
history. matplotlib's object API on `FigureCanvasQTAgg`, with margins fixed in pixels rather
than a layout engine (constrained layout costs ~0.1 s a draw). This module is imported when
the charts are first shown, never at start-up: matplotlib takes a third of a second to load.

The heat map shows live risks (closed ones are left out). Each cell carries its score as text
as well as its colour, and the legend names each band with its score range, so the chart reads
in greyscale; the number in the middle counts the risks there now, a faint "was N" counts those
that were there at their previous review, and faint arrows show the moves since. A click (or
the arrow keys and Enter) picks a cell, and `cellClicked` tells the view to show only the risks
in it; the same cell again shows every cell.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QSizePolicy

from send_desktop.core.risk_matrix import RiskMatrix
from send_desktop.services.risk_read import RiskRow

INK = "#1b1b1b"
FAINT = "#3a3a3a"
MAX_ARROWS = 30  # beyond this many kinds of move the arrows are noise; the "was" counts remain


class _Canvas(FigureCanvasQTAgg):
    """A figure whose margins stay the same number of pixels at any size."""

    MARGINS = (60, 20, 30, 40)  # left, right, top, bottom, in pixels

    def __init__(self, parent=None, size=(4.6, 3.4)):
        self.figure = Figure(figsize=size, dpi=100, facecolor="white")
        super().__init__(self.figure)
        self.setParent(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(280, 220)
        self.ax = self.figure.add_axes((0.1, 0.1, 0.8, 0.8))

    def _fit_margins(self) -> None:
        width, height = self.figure.get_size_inches() * self.figure.dpi
        left, right, top, bottom = self.MARGINS
        self.ax.set_position((left / width, bottom / height, max(0.1, 1 - (left + right) / width),
                              max(0.1, 1 - (top + bottom) / height)))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().resizeEvent(event)
        self._fit_margins()

    def redraw(self) -> None:
        self._fit_margins()
        self.draw_idle()


class RiskHeatMap(_Canvas):
    cellClicked = Signal(object)  # (likelihood, impact), or None for every cell

    MARGINS = (118, 14, 30, 96)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Risk heat map")
        self.setToolTip("Click a cell (or use the arrow keys and Enter) to show only its risks")
        self.matrix: RiskMatrix | None = None
        self.counts: Counter = Counter()
        self.previous: Counter = Counter()
        self.moves: Counter = Counter()
        self.selected: tuple[int, int] | None = None
        self.cursor: tuple[int, int] = (3, 3)
        self.mpl_connect("button_press_event", self._on_click)

    def set_data(self, matrix: RiskMatrix, risks: list[RiskRow], selected: tuple[int, int] | None = None) -> None:
        self.matrix, self.selected = matrix, selected
        live = [r for r in risks if r.status != "closed"]
        self.counts = Counter((r.likelihood, r.impact) for r in live)
        self.previous = Counter((p.likelihood, p.impact) for r in live if (p := r.previous) is not None)
        self.moves = Counter(((p.likelihood, p.impact), (r.likelihood, r.impact)) for r in live
                             if (p := r.previous) is not None and (p.likelihood, p.impact) != (r.likelihood, r.impact))
        self._draw()

    def cell_at(self, x: float | None, y: float | None) -> tuple[int, int] | None:
        if self.matrix is None or x is None or y is None:
            return None
        lk, im = round(y), round(x)
        if 1 <= lk <= self.matrix.max_likelihood and 1 <= im <= self.matrix.max_impact:
            return lk, im
        return None

    def _on_click(self, event) -> None:
        cell = self.cell_at(event.xdata, event.ydata) if event.inaxes is self.ax else None
        if cell is not None:
            self.cursor = cell
            self._pick(cell)

    def _pick(self, cell: tuple[int, int]) -> None:
        self.selected = None if cell == self.selected else cell
        self._draw()
        self.cellClicked.emit(self.selected)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt name
        if self.matrix is None:
            return super().keyPressEvent(event)
        lk, im = self.cursor
        key = event.key()
        steps = {Qt.Key.Key_Up: (1, 0), Qt.Key.Key_Down: (-1, 0), Qt.Key.Key_Left: (0, -1), Qt.Key.Key_Right: (0, 1)}
        if key in steps:
            dl, di = steps[key]
            self.cursor = (max(1, min(self.matrix.max_likelihood, lk + dl)),
                           max(1, min(self.matrix.max_impact, im + di)))
            self._draw()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self._pick(self.cursor)
        elif key == Qt.Key.Key_Escape and self.selected is not None:
            self._pick(self.selected)
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event) -> None:  # noqa: N802 - the keyboard cursor shows while focused
        super().focusInEvent(event)
        self._draw()

    def focusOutEvent(self, event) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self._draw()

    def _draw(self) -> None:
        ax, m = self.ax, self.matrix
        ax.clear()
        if m is None:
            self.redraw()
            return
        for lk in range(1, m.max_likelihood + 1):
            for im in range(1, m.max_impact + 1):
                band = m.band_of(lk, im)
                ink = band.text_colour
                ax.add_patch(Rectangle((im - 0.5, lk - 0.5), 1, 1, facecolor=band.colour, edgecolor="white", lw=2))
                # Score top left, count in the middle, the previous count bottom right; arrows
                # cross the borders between the middles, where nothing is written. The band names
                # are in the legend under the grid, by their score ranges.
                ax.text(im - 0.44, lk + 0.42, str(lk * im), ha="left", va="top", fontsize=7, color=ink, alpha=0.85)
                if self.counts[(lk, im)]:
                    ax.text(im, lk, str(self.counts[(lk, im)]), ha="center", va="center", fontsize=15,
                            fontweight="bold", color=ink)
                if self.previous[(lk, im)]:
                    ax.text(im + 0.45, lk - 0.43, f"was {self.previous[(lk, im)]}", ha="right", va="bottom",
                            fontsize=6.5, color=ink, alpha=0.6, style="italic")
        for ((l0, i0), (l1, i1)), n in self.moves.most_common(MAX_ARROWS):
            ax.annotate("", xy=(i1 - 0.3 * (i1 - i0), l1 - 0.3 * (l1 - l0)),
                        xytext=(i0 + 0.3 * (i1 - i0), l0 + 0.3 * (l1 - l0)),
                        arrowprops=dict(arrowstyle="-|>", color=FAINT, alpha=0.45, lw=0.8 + 0.4 * min(n, 5),
                                        shrinkA=0, shrinkB=0))
        if self.selected is not None:
            lk, im = self.selected
            ax.add_patch(Rectangle((im - 0.5, lk - 0.5), 1, 1, fill=False, edgecolor=INK, lw=3.2))
        if self.hasFocus():
            lk, im = self.cursor
            ax.add_patch(Rectangle((im - 0.46, lk - 0.46), 0.92, 0.92, fill=False, edgecolor="#1565c0", lw=1.6,
                                   linestyle="--"))
        ax.set_xlim(0.5, m.max_impact + 0.5)
        ax.set_ylim(0.5, m.max_likelihood + 0.5)
        ax.set_xticks(range(1, m.max_impact + 1), [f"{i}\n{label}" for i, label in enumerate(m.impact, 1)],
                      fontsize=7.5)
        ax.set_yticks(range(1, m.max_likelihood + 1), [f"{i} {label}" for i, label in enumerate(m.likelihood, 1)],
                      fontsize=7.5)
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_xlabel("Impact", fontsize=8.5, labelpad=3)
        ax.set_ylabel("Likelihood", fontsize=8.5)
        self.figure.legends.clear()
        self.figure.texts.clear()
        self.figure.legend(handles=[Patch(facecolor=b.colour, edgecolor="#777777", lw=0.6, label=f"{b.name} {b.span()}")
                                    for b in m.bands], loc="lower left", bbox_to_anchor=(0.0, 0.05), ncol=len(m.bands),
                           fontsize=7, frameon=False, handlelength=1.1, handleheight=1.1, columnspacing=1.0,
                           handletextpad=0.4)
        self.figure.text(0.01, 0.012, "Number: risks there now.  \u201cwas N\u201d, arrows: at their previous review.",
                         fontsize=6.8, color="#555555", ha="left", va="bottom")
        live = sum(self.counts.values())
        ax.set_title(f"{live} live risk{'s' if live != 1 else ''} by current score", fontsize=9.5, loc="left",
                     pad=8)
        self.redraw()


class RiskHistoryChart(_Canvas):
    """A risk's score at each review, on the matrix's bands, with its target and appetite."""

    MARGINS = (42, 78, 52, 34)

    def __init__(self, parent=None):
        super().__init__(parent, size=(5.6, 3.4))
        self.setAccessibleName("Score history of the selected risk")
        self.risk: RiskRow | None = None

    def set_risk(self, matrix: RiskMatrix, risk: RiskRow | None, today: dt.date | None = None) -> None:
        from matplotlib import dates as mdates

        self.risk = risk
        ax = self.ax
        ax.clear()
        if risk is None or not risk.history:
            ax.set_axis_off()
            ax.text(0.5, 0.5, "Select a risk to see its score history" if risk is None else "No reviews yet",
                    ha="center", va="center", transform=ax.transAxes, fontsize=10, color="#6b6b6b")
            self.redraw()
            return
        ax.set_axis_on()
        top = matrix.max_score + 1
        edges = [0] + [(a.high + b.low) / 2 for a, b in zip(matrix.bands, matrix.bands[1:])] + [top]
        for band, low, high in zip(matrix.bands, edges, edges[1:]):
            ax.axhspan(low, high, color=band.colour, alpha=0.32, lw=0)
            ax.text(1.02, (low + high) / 2, band.name, transform=ax.get_yaxis_transform(), ha="left", va="center",
                    fontsize=8, color=INK)
        days = [a.date for a in risk.history]
        scores = [a.score for a in risk.history]
        end = max(today or days[-1], days[-1])
        ax.plot(days + [end], scores + [scores[-1]], drawstyle="steps-post", color=INK, lw=1.8, label="Score")
        ax.plot(days, scores, "o", color=INK, ms=4)
        ax.annotate(f"{scores[-1]} now", (days[-1], scores[-1]), xytext=(-5, -11), textcoords="offset points",
                    ha="right", fontsize=8, fontweight="bold", color=INK)
        target = f"Target {risk.target_score}" + (f" by {risk.target_date:%b %Y}" if risk.target_date else "")
        ax.axhline(risk.target_score, color="#1f5fa8", ls="--", lw=1.3, label=target)
        if risk.appetite is not None:
            ax.axhline(risk.appetite, color="#444444", ls=":", lw=1.4, label=f"Appetite {risk.appetite}")
        ax.set_ylim(0, top + 1)  # room above the highest score, so a line at 25 is not lost on the frame
        ax.set_yticks([b.low for b in matrix.bands] + [matrix.max_score])
        ax.tick_params(labelsize=7.5)
        span = (end - days[0]).days
        ax.set_xlim(days[0] - dt.timedelta(days=max(5, span // 30)), end + dt.timedelta(days=max(5, span // 30)))
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=8))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %y"))
        for spine in ("top", "right"):
            ax.spines[spine].set_visible(False)
        ax.set_title(f"{risk.ref} score history (inherent {risk.inherent_score})", fontsize=9.5, loc="left", pad=22)
        # above the plot, under the title: never over the line it explains
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), fontsize=7, frameon=False, ncol=3, borderaxespad=0.2,
                  handlelength=2.2)
        self.redraw()

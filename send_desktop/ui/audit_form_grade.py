"""The live grade beside the criteria: the grade, the score it came from, coverage, the caps
that fired with their reasons, every section's score and grade, and the formula in numbers.

It is the auditor's "why", so it shows exactly what the engine returned (`GradeResult`), never a
figure of its own. `show_result` runs on every key press, so nothing in it re-lays out the window:
the section table signals only the cells that changed, the lines of words are `TextLines` (which
repaint rather than ask for a layout), and the formula, the one piece of text that costs a
millisecond to lay out, follows 120 ms after the last key instead of every key.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QRect, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPlainTextEdit, QSizePolicy, QSplitter, QTableView,
    QVBoxLayout, QWidget,
)

from send_desktop.audits.explain import section_formula
from send_desktop.audits.framework import Framework
from send_desktop.audits.grading import GradeResult
from send_desktop.ui.audit_form_state import grade_colour
from send_desktop.ui.widgets import StatusChip, swatch_icon, tint

SECTION_COLUMNS = ("Section", "Weight", "Score", "Grade")
FORMULA_DELAY_MS = 120
_DISPLAY = Qt.ItemDataRole.DisplayRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_ALIGN = Qt.ItemDataRole.TextAlignmentRole
_DECORATION = Qt.ItemDataRole.DecorationRole
_BACKGROUND = Qt.ItemDataRole.BackgroundRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_ANSWERED = frozenset((_DISPLAY, _TOOLTIP, _ALIGN, _DECORATION, _BACKGROUND, _FOREGROUND))
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_MUTED = QColor("#5f6368")


def _weight(x) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


class SectionsModel(QAbstractTableModel):
    """One row a section, read straight from the current `GradeResult`.

    A key press usually moves one section, so `set_result` compares each row's words with the
    last and signals only the cells that changed, one index at a time: a view repaints a single
    changed cell's rectangle, but the whole table for a range (2.8 ms against 0.2 ms a row).
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.fw: Framework | None = None
        self.result: GradeResult | None = None
        self._rows: list[tuple] = []  # (code, title, weight, score words, grade, applicable)

    def set_framework(self, fw: Framework | None, result: GradeResult | None) -> None:
        self.beginResetModel()
        self.fw, self.result = fw, result
        self._rows = self._cells(result) if result is not None else []
        self.endResetModel()

    def set_result(self, result: GradeResult) -> None:
        self.result = result
        rows = self._cells(result)
        old, self._rows = self._rows, rows
        for row, (before, after) in enumerate(zip(old, rows)):
            if before != after:
                for col in range(len(SECTION_COLUMNS)):
                    index = self.index(row, col)
                    self.dataChanged.emit(index, index, [])

    def _cells(self, result: GradeResult) -> list[tuple]:
        out = []
        for s in self.fw.sections:
            r = result.sections[s.code]
            out.append((f"{s.code}  {s.title}", _weight(s.weight), f"{r.rounded}" if r.applicable else "\u2014",
                        r.grade, r.applicable, bool(s.weight)))
        return out

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(SECTION_COLUMNS)

    def headerData(self, section: int, orientation, role=_DISPLAY):  # noqa: N802 - Qt's name
        if orientation == Qt.Orientation.Horizontal and role == _DISPLAY and 0 <= section < len(SECTION_COLUMNS):
            return SECTION_COLUMNS[section]
        return None

    def data(self, index: QModelIndex, role=_DISPLAY):
        if not index.isValid() or role not in _ANSWERED:
            return None
        cells = self._rows[index.row()]
        col = index.column()
        applicable, weighted = cells[4], cells[5]
        if role == _DISPLAY:
            return cells[col]
        if role == _TOOLTIP:
            r = self.result.sections[self.fw.sections[index.row()].code]
            return section_formula(r) + ("" if weighted else "\nWeight 0: graded, but not counted in the plan's grade.")
        if role == _ALIGN:
            return _RIGHT if col in (1, 2) else None
        if col == 3 and applicable:
            if role == _DECORATION:
                return swatch_icon(grade_colour(cells[3]))
            if role == _BACKGROUND:
                return tint(grade_colour(cells[3]), 0.22)
        if role == _FOREGROUND and (not applicable or not weighted):
            return _MUTED
        return None


class TextLines(QWidget):
    """Wrapped plain text that changes on every key press without re-laying out the window.

    A QLabel asks its parent layouts to recompute on every `setText` (a LayoutRequest climbing
    to the top of the window, then a repaint of everything that moved: 5-10 ms on a key press).
    This asks only when its height must change, and with `grow_only` never shrinks until
    `reset_height`, so the panel beside the criteria does not jump about while the auditor types.
    `set_colours` gives it a box (background and border) and a text colour.
    """

    def __init__(self, parent: QWidget | None = None, grow_only: bool = False, height: int = 0):
        super().__init__(parent)
        self._text = ""
        self._grow_only = grow_only
        self._fixed = bool(height)  # a given height: the text is laid out inside it, never refitted
        self._box: tuple[QColor, QColor] | None = None
        self._ink = self.palette().color(self.foregroundRole())
        self._pad = 0
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(height or self.fontMetrics().height())

    def text(self) -> str:
        return self._text

    def set_colours(self, ink: str, background: str | None = None, border: str | None = None) -> None:
        self._ink = QColor(ink)
        self._box = (QColor(background), QColor(border or background)) if background else None
        self._pad = 5 if background else 0
        self._fit(force=True)
        self.update()

    def setText(self, text: str) -> None:  # noqa: N802 - the QLabel name, so both read alike
        if text == self._text:
            return
        self._text = text
        self.setAccessibleDescription(text)
        self._fit()
        self.update()

    def reset_height(self) -> None:
        self._fit(force=True)

    def _fit(self, force: bool = False) -> None:
        if self._fixed:
            return
        width = max(40, self.width() - 2 * self._pad - 2)
        rect = self.fontMetrics().boundingRect(QRect(0, 0, width, 100000), int(Qt.TextFlag.TextWordWrap),
                                               self._text or " ")
        height = rect.height() + 2 * self._pad
        if height > self.height() or (height < self.height() and (force or not self._grow_only)):
            self.setFixedHeight(height)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._fit(force=True)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        if self._box is not None:
            painter.setPen(self._box[1])
            painter.setBrush(self._box[0])
            painter.drawRoundedRect(self.rect().adjusted(0, 0, -1, -1), 3, 3)
        painter.setPen(self._ink)
        pad = self._pad
        flags = Qt.TextFlag.TextWordWrap | (Qt.AlignmentFlag.AlignVCenter if self._fixed else Qt.AlignmentFlag.AlignTop)
        painter.drawText(self.rect().adjusted(pad + 3 if pad else 0, pad, -pad - 3 if pad else 0, -pad),
                         int(flags), self._text)
        painter.end()


class GradePanel(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        caption = QLabel("Live grade")
        caption.setStyleSheet("font-weight: 600; color: #3c4043;")
        self.grade_chip = StatusChip()
        self.grade_chip.setToolTip("The final grade: the banded grade, lowered by any cap that fired")
        self._chip_grade = None
        big = QFont(self.grade_chip.font())
        big.setPointSizeF(big.pointSizeF() + 2)
        self.grade_chip.setFont(big)
        self.score_label = TextLines()
        self.coverage_label = TextLines()
        self.coverage_label.set_colours("#3c4043")
        self.caps_label = TextLines(grow_only=True)
        self.caps_label.set_colours("#3d2a00", "#fff4e5", "#f0c27b")

        self.sections_model = SectionsModel(self)
        self.sections = QTableView()
        self.sections.setModel(self.sections_model)
        self.sections.verticalHeader().hide()
        self.sections.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.sections.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.sections.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.sections.setShowGrid(False)
        self.sections.setWordWrap(False)
        self.sections.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sections.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.sections.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        metrics = self.fontMetrics()
        header.resizeSection(1, metrics.horizontalAdvance("Weight") + 16)
        header.resizeSection(2, metrics.horizontalAdvance("100.0") + 18)
        header.resizeSection(3, metrics.horizontalAdvance("Requires improvement") + 30)
        header.setStretchLastSection(False)
        self._full_height = 0

        self.formula = QPlainTextEdit()
        self.formula.setReadOnly(True)
        self.formula.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.formula.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(max(7.5, QFont().pointSizeF() - 1.5))
        self.formula.setFont(mono)
        self.formula.setAccessibleName("How the grade was worked out")
        formula_box = QWidget()
        box = QVBoxLayout(formula_box)
        box.setContentsMargins(0, 4, 0, 0)
        box.setSpacing(2)
        formula_caption = QLabel("How it was worked out")
        formula_caption.setStyleSheet("font-weight: 600; color: #3c4043;")
        box.addWidget(formula_caption)
        box.addWidget(self.formula, 1)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.sections)
        self.splitter.addWidget(formula_box)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(5)
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(caption)
        top.addWidget(self.grade_chip)
        top.addStretch(1)
        layout.addLayout(top)
        layout.addWidget(self.score_label)
        layout.addWidget(self.coverage_label)
        layout.addWidget(self.caps_label)
        layout.addWidget(self.splitter, 1)
        self._result: GradeResult | None = None
        self._formula_for: GradeResult | None = None
        # The formula is the one piece that costs (a millisecond to lay out and paint): it follows
        # a short pause in typing instead of every key, so fast typing never waits on it.
        self._formula_timer = QTimer(self)
        self._formula_timer.setSingleShot(True)
        self._formula_timer.setInterval(FORMULA_DELAY_MS)
        self._formula_timer.timeout.connect(self._show_formula)
        self.setMinimumWidth(340)

    def set_framework(self, fw: Framework | None, result: GradeResult | None) -> None:
        self.sections_model.set_framework(fw, result)
        self._formula_for = None
        if fw is not None:  # every section in view when the screen allows: they are the "why"
            rows = len(fw.sections)
            self.sections.setMinimumHeight(min(rows, 12) * self.sections.verticalHeader().defaultSectionSize()
                                           + self.sections.horizontalHeader().sizeHint().height() + 4)
            self._full_height = rows * self.sections.verticalHeader().defaultSectionSize() \
                + self.sections.horizontalHeader().sizeHint().height() + 4
        if result is not None:
            self.show_result(result)
            self.caps_label.reset_height()  # a new scoring: the caps box starts at its own size
            self._show_formula()

    def show_result(self, r: GradeResult) -> None:
        self._result = r
        if r.grade != self._chip_grade:  # a style sheet is re-parsed when set: only when the grade moves
            self._chip_grade = r.grade
            self.grade_chip.set_status(grade_colour(r.grade), r.grade, self.grade_chip.toolTip())
        if r.graded:
            banded = f"{r.rounded}, banded {r.banded_grade}"
            lowered = [c for c in r.caps if c.lowered]
            score = f"Score {banded}" + (f"; capped to {r.grade}" if lowered else "")
        else:
            score = "No score: too little of the plan applies to grade it fairly."
        self._set(self.score_label, score)
        self._set(self.coverage_label, f"Coverage {r.coverage_pct:.0f}% of section weight applies "
                                       f"(at least {_weight(r.min_applicable_weight_pct)}% needed)")
        caps = "\n".join(f"\u2022 {c.name}: {c.reason} \u2192 at most {c.cap}" + ("" if c.lowered else " (no change)")
                         for c in r.caps)
        self._set(self.caps_label, ("Caps that fired (the grade is the lowest of these and the band):\n" + caps)
                  if caps else "No cap fired: the grade is the banded grade.")
        self.sections_model.set_result(r)
        self._formula_timer.start()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._full_height:  # the sections table as tall as its rows, the formula the rest
            rest = max(120, sum(self.splitter.sizes()) - self._full_height)
            self.splitter.setSizes([self._full_height, rest])
        self._show_formula()

    def _show_formula(self) -> None:
        self._formula_timer.stop()
        if self._result is None or self._formula_for is self._result:
            return
        self._formula_for = self._result
        bar = self.formula.verticalScrollBar()
        keep = bar.value()
        self.formula.setPlainText(self._result.formula())
        bar.setValue(keep)

    @staticmethod
    def _set(label: TextLines, text: str) -> None:
        label.setText(text)

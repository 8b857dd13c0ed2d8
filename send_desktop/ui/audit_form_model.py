"""The criteria list of the scoring form: one flat model of section headers and criteria, the
list view the auditor types into, and the captions over its columns.

One flat model rather than a tree: the auditor moves through the plan in order, and a key press
then repaints just the rows it changed (`rowsChanged`). How rows look and how tall they are is
the delegate's business (`audit_form_delegate`).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QFontMetrics, QPainter
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from send_desktop.audits.framework import Criterion, Section
from send_desktop.ui.audit_form_delegate import CRITERION, MUTED, SECTION, CriteriaDelegate
from send_desktop.ui.audit_form_state import ScoringState, value_label


class CriteriaModel(QAbstractListModel):
    """Rows: ("section", Section, None) then ("criterion", Section, Criterion) for each criterion."""

    heightChanged = Signal(QModelIndex)
    rowsChanged = Signal(object)  # rows whose painting changed (list of int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.state: ScoringState | None = None
        self.read_only = False  # then the current row shows no key hints
        self.rows: list[tuple[str, Section, Criterion | None]] = []
        self.row_of: dict[str, int] = {}  # criterion id or section code -> row
        self._heights: dict[int, tuple] = {}

    def set_state(self, state: ScoringState | None) -> None:
        self.beginResetModel()
        self.state = state
        self.rows, self.row_of = [], {}
        if state is not None:
            for s in state.fw.sections:
                self.row_of[s.code] = len(self.rows)
                self.rows.append((SECTION, s, None))
                for c in s.criteria:
                    self.row_of[c.id] = len(self.rows)
                    self.rows.append((CRITERION, s, c))
        self._heights = {r: self.height_key(r) for r in range(len(self.rows))}
        self.endResetModel()

    def height_key(self, row: int) -> tuple:
        """What a row's height depends on besides the width."""
        kind, s, c = self.rows[row]
        st = self.state
        if kind == SECTION:
            return ()
        return (st.comments.get(c.id, ""), st.na_reasons.get(c.id, "") if st.ratings.get(c.id) == "na" else "",
                st.off_reason(c.id) or "")

    def refresh(self, keys: set[str]) -> None:
        """Repaint the rows of these criterion ids / section codes (and re-measure any that grew).

        Deliberately not `dataChanged`: QListView answers that with a full re-layout (a size
        hint for every row) and a repaint of the whole viewport, 4 ms a key press; `rowsChanged`
        makes the view repaint just these rows' rectangles, well under 1 ms.
        """
        rows = sorted(self.row_of[k] for k in keys if k in self.row_of)
        if not rows:
            return
        for row in rows:
            key = self.height_key(row)
            if key != self._heights.get(row):
                self._heights[row] = key
                self.heightChanged.emit(self.index(row))
        self.rowsChanged.emit(rows)

    def criterion_at(self, row: int) -> str | None:
        if 0 <= row < len(self.rows) and self.rows[row][0] == CRITERION:
            return self.rows[row][2].id
        return None

    def section_at(self, row: int) -> Section | None:
        return self.rows[row][1] if 0 <= row < len(self.rows) else None

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.rows)

    def flags(self, index: QModelIndex):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.rows[index.row()][0] == SECTION:  # a heading: never current, so keys always rate a criterion
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
                                               Qt.ItemDataRole.ToolTipRole):
            return None
        kind, s, c = self.rows[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return c.guidance if c is not None and c.guidance else None
        if kind == SECTION:
            return f"Section {s.code}, {s.title}: {self.section_words(s)}"
        return f"{c.id}. {c.text} Rating: {self.rating_words(s, c)}." + (
            f" Comment: {self.state.comments[c.id]}" if c.id in self.state.comments else "")

    def rating_words(self, s: Section, c: Criterion) -> str:
        st = self.state
        off = st.off_reason(c.id)
        if off:
            return f"N/A, {off}"
        v = st.ratings.get(c.id)
        if v is None:
            return "not rated (counts as 0)"
        if v == "na":
            return f"N/A, {st.na_reasons.get(c.id, '')}"
        return f"{v}, {value_label(v, c.max)}"

    def section_words(self, s: Section) -> str:
        r = self.state.result.sections.get(s.code)
        if r is None or not r.applicable:
            return f"N/A ({r.na_reason})" if r is not None else "N/A"
        return f"{r.rounded} {r.grade}"


class CriteriaView(QListView):
    """The list the auditor types into. `key_handler(event)` (the form) gets every key first.

    Keys the form uses are claimed at ShortcutOverride, so a window shortcut on the same key
    (the Plan area's Ctrl+Z undo) cannot take them while the auditor is scoring.
    """

    resized = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.key_handler = None
        self.claims = None  # event -> bool: whether the form uses this key
        self.setUniformItemSizes(False)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalScrollBar().setSingleStep(24)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSpacing(0)
        self.setAutoScroll(False)  # the form scrolls itself, a few rows ahead (`_keep_in_view`)

    def setModel(self, model) -> None:  # noqa: N802 - Qt's name
        super().setModel(model)
        if isinstance(model, CriteriaModel):
            model.rowsChanged.connect(self.repaint_rows)

    def repaint_rows(self, rows: list[int]) -> None:
        model, viewport = self.model(), self.viewport()
        for row in rows:
            viewport.update(self.visualRect(model.index(row, 0)))

    def event(self, event) -> bool:
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.ShortcutOverride and self.claims is not None and self.claims(event):
            event.accept()
            return True
        return super().event(event)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.resized.emit()

    def keyboardSearch(self, search: str) -> None:  # noqa: N802 - Qt's name
        """Off: a letter the form does not use must not jump to a criterion that starts with it."""

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self.key_handler is not None and self.key_handler(event):
            event.accept()
            return
        super().keyPressEvent(event)


class ColumnCaptions(QWidget):
    """Captions over the list's columns, drawn with the delegate's own geometry so they line up."""

    def __init__(self, delegate: CriteriaDelegate, view: QListView, parent: QWidget | None = None):
        super().__init__(parent)
        self.delegate, self.view = delegate, view
        self.setFixedHeight(QFontMetrics(delegate.small_bold).height() + 10)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setFont(self.delegate.small_bold)
        painter.setPen(MUTED)
        offset = self.view.viewport().mapToGlobal(QPoint(0, 0)).x() - self.mapToGlobal(QPoint(0, 0)).x()
        id_r, text_r, guide_r, rate_r = self.delegate.columns(offset, self.view.viewport().width())
        id_r.setRight(text_r.right())
        for r, words in ((id_r, "Criterion"), (guide_r, "What good looks like"), (rate_r, "Rating")):
            painter.drawText(QRect(r.left(), 0, r.width(), self.height()), int(Qt.AlignmentFlag.AlignVCenter),
                             words)
        painter.end()

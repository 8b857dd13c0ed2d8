"""A moderated audit: the auditor's and the moderator's scoring side by side.

Shown once a moderation is complete (until then a blind moderator must not see the original). The
moderated grade is the reported one; the original is kept and shown beside it, section by section
and criterion by criterion, each difference marked in words ("differs", "2 bands apart") so it
reads the same in print and to someone who cannot tell the colours apart.

Starting and completing a moderation are steps of the audit page (`audit_form_page`); the
moderator scores in the same `ScoringForm` the auditor used.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView, QFrame, QGridLayout, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget,
)

from send_desktop.audits.framework import Framework
from send_desktop.services.audit_read import AuditRecord
from send_desktop.ui.audit_form_state import ScoringState, grade_colour, value_label
from send_desktop.ui.audit_list_model import day_text
from send_desktop.ui.widgets import StatusChip, swatch_icon

COMPARE_COLUMNS = ("Section / criterion", "Original", "Moderated", "Difference")
BAND = QColor("#e8eef6")
DIFFERS = QColor("#fff0d6")


def band_gap(fw: Framework, a: str, b: str) -> int | None:
    """How many bands apart two grades are (None when either is not a band: N/A, Not graded)."""
    grades = list(fw.grades)
    return abs(grades.index(a) - grades.index(b)) if a in grades and b in grades else None


def agreement_words(fw: Framework, original: str, moderated: str) -> str:
    gap = band_gap(fw, original, moderated)
    if original == moderated:
        return "Exact agreement: the same grade"
    if gap is None:
        return f"Not comparable ({original} against {moderated})"
    if gap == 1:
        return "Within one band"
    return f"{gap} bands apart: list it for the moderation panel"


def _rating(state: ScoringState, cid: str, maximum: int) -> str:
    off = state.off_reason(cid)
    if off:
        return f"N/A ({off})"
    v = state.ratings.get(cid)
    if v is None:
        return "Not rated (0)"
    if v == "na":
        return f"N/A: {state.na_reasons.get(cid, '')}"
    return f"{v} \u00b7 {value_label(v, maximum)}"


def _value(state: ScoringState, cid: str):
    """What a rating counts as, for saying whether two differ: N/A, or the number (unrated is 0)."""
    v = state.ratings.get(cid, 0)
    return "na" if state.off_reason(cid) or v == "na" else v


class ComparisonModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[tuple] = []  # (is_section, cells, differs, tooltip)
        self._bold = QFont()
        self._bold.setBold(True)

    def set_states(self, fw: Framework, original: ScoringState, moderated: ScoringState) -> None:
        self.beginResetModel()
        self.rows = []
        for s in fw.sections:
            a, b = original.result.sections[s.code], moderated.result.sections[s.code]
            words = [f"{r.rounded} \u00b7 {r.grade}" if r.applicable else f"N/A ({r.na_reason})" for r in (a, b)]
            gap = band_gap(fw, a.grade, b.grade)
            diff = "" if a.grade == b.grade else (f"{gap} band{'s' if gap != 1 else ''} apart" if gap else "differs")
            self.rows.append((True, (f"{s.code}  {s.title}", *words, diff), bool(diff), (a.grade, b.grade)))
            for c in s.criteria:
                va, vb = _value(original, c.id), _value(moderated, c.id)
                diff = "" if va == vb else ("differs" if "na" in (va, vb) else f"differs by {abs(va - vb)}")
                tip = "\n".join(f"{who}: {state.comments[c.id]}" for who, state in
                                (("Auditor", original), ("Moderator", moderated)) if c.id in state.comments)
                self.rows.append((False, (f"{c.id}  {c.text}", _rating(original, c.id, c.max),
                                          _rating(moderated, c.id, c.max), diff), bool(diff), tip))
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(COMPARE_COLUMNS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(COMPARE_COLUMNS):
            return COMPARE_COLUMNS[section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        is_section, cells, differs, extra = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return cells[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            return cells[col] if col == 0 else (extra or None) if not is_section else None
        if role == Qt.ItemDataRole.FontRole and (is_section or (differs and col == 3)):
            return self._bold
        if role == Qt.ItemDataRole.BackgroundRole:
            if differs and col == 3:
                return DIFFERS
            return BAND if is_section else None
        if role == Qt.ItemDataRole.DecorationRole and is_section and col in (1, 2):
            grade = extra[col - 1]
            return swatch_icon(grade_colour(grade)) if grade not in ("N/A",) else None
        return None


class ModerationComparison(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.original_chip, self.moderated_chip = StatusChip(), StatusChip()
        self.original_label, self.moderated_label = QLabel(), QLabel()
        self.agreement_label = QLabel()
        self.agreement_label.setStyleSheet("font-weight: 600;")
        self.reported_label = QLabel()
        summary = QFrame()
        summary.setObjectName("summary")
        summary.setStyleSheet("QFrame#summary { background: #f6f8fb; border: 1px solid #d8dde3; border-radius: 4px; }")
        grid = QGridLayout(summary)
        grid.setContentsMargins(10, 8, 10, 8)
        grid.setHorizontalSpacing(14)
        for col, (caption, chip_, label) in enumerate((("Original scoring", self.original_chip, self.original_label),
                                                       ("Moderated scoring", self.moderated_chip,
                                                        self.moderated_label))):
            head = QLabel(caption)
            head.setStyleSheet("font-weight: 600; color: #3c4043;")
            grid.addWidget(head, 0, col)
            grid.addWidget(chip_, 1, col, Qt.AlignmentFlag.AlignLeft)
            grid.addWidget(label, 2, col)
        grid.addWidget(self.agreement_label, 0, 2)
        grid.addWidget(self.reported_label, 1, 2, 2, 1, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(2, 1)
        self.model = ComparisonModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        bold = QFont(self.font())
        bold.setBold(True)
        metrics = QFontMetrics(bold)  # section rows are bold, and their grade must show whole
        for col, sample in ((1, "88.9 \u00b7 Requires improvement"), (2, "88.9 \u00b7 Requires improvement"),
                            (3, "2 bands apart")):
            header.resizeSection(col, metrics.horizontalAdvance(sample) + (44 if col < 3 else 20))
        header.setStretchLastSection(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(summary)
        layout.addWidget(self.table, 1)
        self.setFocusProxy(self.table)

    def show_audit(self, fw: Framework, rec: AuditRecord) -> None:
        m = rec.moderation
        original = ScoringState(fw, rec.ratings, rec.na_reasons, rec.comments, rec.no_needs, rec.critical_concern)
        moderated = ScoringState(fw, m.ratings, m.na_reasons, m.comments, m.no_needs, m.critical_concern)
        for chip_, label, state, who, day in ((self.original_chip, self.original_label, original, rec.auditor,
                                              rec.audit_date),
                                             (self.moderated_chip, self.moderated_label, moderated, m.moderator,
                                              m.moderation_date)):
            r = state.result
            chip_.set_status(grade_colour(r.grade), r.grade)
            score = f"score {r.rounded}" if r.graded else "not graded"
            label.setText(f"{score} \u00b7 {who or 'no name'}, {day_text(day)}")
        self.agreement_label.setText(agreement_words(fw, original.result.grade, moderated.result.grade))
        self.reported_label.setText(f"Reported grade: {rec.reported_grade} (the moderated grade"
                                    + (", moderated blind)" if m.blind else ")"))
        self.model.set_states(fw, original, moderated)

"""How the scoring form's criteria list is drawn and measured: section header rows and criterion
rows in four columns (id and markers, the criterion with any N/A reason and comment, what good
looks like, the rating chip with its words).

Rows are painted by hand because each shows several things at once that item roles cannot lay
out. Each row is drawn once into a picture kept while the row shows the same (`_signature`), with
a clear background so the current-row highlight is painted under it: moving between criteria
and scrolling then copy pictures instead of laying out wrapped text again, which is what keeps a
key press inside its 5 ms. Heights are measured once per width and content.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QStyle, QStyledItemDelegate

from send_desktop.audits.framework import Criterion, Section
from send_desktop.core.scales import text_colour_for
from send_desktop.ui.audit_form_state import NA_COLOUR, grade_colour, value_colour, value_label

SECTION, CRITERION = "section", "criterion"
PAD, GAP, VPAD, ACCENT = 10, 14, 9, 4
RATING_SAMPLE = "3 \u00b7 Exemplary"
HEADER_BAND = QColor("#e8eef6")
CURRENT_FILL = QColor("#dce9fb")
CURRENT_ACCENT = QColor("#1a5fb4")
MUTED = QColor("#5f6368")
RULE = QColor("#d8dde3")

if TYPE_CHECKING:
    from send_desktop.ui.audit_form_model import CriteriaModel
MAX_PICTURES = 160  # more than the default framework's 74 rows; a few MB at most


def chip(painter: QPainter, rect: QRect, fill: str, text: str, font: QFont, dashed: bool = False) -> None:
    """A rounded label on its colour; the words are always drawn, the colour only supplements them."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QColor(0, 0, 0, 90))
    if dashed:
        pen = QPen(QColor("#8a8f96"))
        pen.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.setBrush(QColor(fill))
    painter.drawRoundedRect(rect.adjusted(0, 0, -1, -1), 8, 8)
    painter.setFont(font)
    painter.setPen(QColor("#5f6368") if dashed else QColor(text_colour_for(fill)))
    painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)
    painter.restore()


class CriteriaDelegate(QStyledItemDelegate):
    """Paints and measures the rows; holds the view so it can lay out to the viewport's width."""

    def __init__(self, view, model: CriteriaModel):
        super().__init__(view)
        self.view, self.model = view, model
        base = QFont(view.font())
        self.base = base
        self.bold = QFont(base)
        self.bold.setBold(True)
        self.small = QFont(base)
        self.small.setPointSizeF(base.pointSizeF() - 1)
        self.small_bold = QFont(self.small)
        self.small_bold.setBold(True)
        self.italic = QFont(self.small)
        self.italic.setItalic(True)
        self.title = QFont(base)
        self.title.setBold(True)
        self.title.setPointSizeF(base.pointSizeF() + 1)
        self.fm, self.fm_small, self.fm_bold = QFontMetrics(base), QFontMetrics(self.small), QFontMetrics(self.bold)
        self.rating_w = QFontMetrics(self.small_bold).horizontalAdvance(RATING_SAMPLE) + 28
        self.id_w = 80
        self._sizes: dict[tuple, int] = {}
        self._pictures: OrderedDict[tuple, QPixmap] = OrderedDict()
        model.heightChanged.connect(self.sizeHintChanged)
        model.modelReset.connect(self._measure_ids)

    def _measure_ids(self) -> None:
        ids = [c.id for kind, _s, c in self.model.rows if kind == CRITERION]
        widest = max((self.fm_bold.horizontalAdvance(i) for i in ids), default=40)
        self.id_w = max(widest, self.fm_small.horizontalAdvance("Statutory") + 14) + 6
        self._sizes.clear()
        self._pictures.clear()

    def columns(self, left: int, width: int) -> tuple[QRect, QRect, QRect, QRect]:
        """x and width of the id, text, guidance and rating columns (heights filled in later)."""
        x = left + ACCENT + PAD
        rest = max(200, width - ACCENT - 2 * PAD - self.id_w - self.rating_w - 3 * GAP)
        text_w = int(rest * 0.56)
        guide_w = rest - text_w
        id_r = QRect(x, 0, self.id_w, 0)
        text_r = QRect(id_r.right() + 1 + GAP, 0, text_w, 0)
        guide_r = QRect(text_r.right() + 1 + GAP, 0, guide_w, 0)
        rate_r = QRect(guide_r.right() + 1 + GAP, 0, self.rating_w, 0)
        return id_r, text_r, guide_r, rate_r

    def _extras(self, c: Criterion) -> list[tuple[str, QFont, QColor]]:
        """Lines under the criterion text: why it is N/A, the auditor's comment."""
        st = self.model.state
        out = []
        off = st.off_reason(c.id)
        if off:
            out.append((f"N/A: {off}", self.small, MUTED))
        elif st.ratings.get(c.id) == "na":
            out.append((f"N/A because: {st.na_reasons.get(c.id, '')}", self.small, QColor("#3c4043")))
        if c.id in st.comments:
            out.append((f"Comment: {st.comments[c.id]}", self.italic, QColor("#174ea6")))
        return out

    def _wrapped(self, font: QFont, width: int, text: str) -> int:
        flags = int(Qt.TextFlag.TextWordWrap)
        return QFontMetrics(font).boundingRect(QRect(0, 0, width, 100000), flags, text).height()

    def sizeHint(self, option, index: QModelIndex) -> QSize:  # noqa: N802 - Qt's name
        row = index.row()
        kind, s, c = self.model.rows[row]
        width = self.view.viewport().width()
        if kind == SECTION:
            return QSize(width, QFontMetrics(self.title).height() + 2 * VPAD + 4)
        key = (row, width, self.model.height_key(row))
        height = self._sizes.get(key)
        if height is None:
            id_r, text_r, guide_r, _ = self.columns(0, width)
            text_h = self._wrapped(self.base, text_r.width(), c.text)
            text_h += sum(4 + self._wrapped(f, text_r.width(), t) for t, f, _ in self._extras(c))
            guide_h = self._wrapped(self.small, guide_r.width(), c.guidance) if c.guidance else 0
            marks = sum(1 for flag in (c.statutory, c.critical) if flag)
            id_h = self.fm_bold.height() + marks * (self.fm_small.height() + 6)
            rating_h = 2 * self.fm_small.height() + 14  # the chip and the key hint under it
            height = max(text_h, guide_h, id_h, rating_h) + 2 * VPAD
            self._sizes[key] = height
        return QSize(width, height)

    def paint(self, painter: QPainter, option, index: QModelIndex) -> None:
        row = index.row()
        kind, s, c = self.model.rows[row]
        rect = option.rect
        current = kind == CRITERION and bool(option.state & QStyle.StateFlag.State_Selected)
        if current:  # under the cached picture, which has a clear background
            painter.fillRect(rect, CURRENT_FILL)
            painter.fillRect(QRect(rect.left(), rect.top(), ACCENT, rect.height()), CURRENT_ACCENT)
        painter.drawPixmap(rect.topLeft(), self._picture(row, rect.width(), rect.height(), painter.device()))
        if current and not self.model.read_only:  # the keys that work here, beside the rating
            _, _, _, rate_r = self.columns(rect.left(), rect.width())
            painter.setFont(self.small)
            painter.setPen(MUTED)
            y = rect.top() + VPAD + self.fm_small.height() + 14
            hint = " \u00b7 ".join([f"0\u2013{c.max}", *(["N"] if s.na_allowed else []), "C",
                                   *(["X"] if s.accepts_no_needs else [])])
            painter.drawText(QRect(rate_r.left(), y, rate_r.width(), self.fm_small.height()),
                             int(Qt.AlignmentFlag.AlignHCenter), hint)

    def _signature(self, row: int) -> tuple:
        """Everything a row's picture shows, besides the width and the current-row highlight."""
        kind, s, c = self.model.rows[row]
        st = self.model.state
        if kind == SECTION:
            r = st.result.sections.get(s.code)
            return (r.rounded, r.grade) if r is not None else (), s.code in st.no_needs, st.section_off_reason(s.code)
        return st.ratings.get(c.id), self.model.height_key(row)

    def _picture(self, row: int, width: int, height: int, device) -> QPixmap:
        """The row drawn once into a pixmap and kept while it shows the same: scrolling a third of
        the list repaints five rows, 2.5 ms drawn afresh against 0.3 ms from pictures."""
        ratio = device.devicePixelRatioF() if device is not None else 1.0
        key = (row, width, height, ratio, self._signature(row))
        picture = self._pictures.get(key)
        if picture is not None:
            self._pictures.move_to_end(key)
            return picture
        picture = QPixmap(round(width * ratio), round(height * ratio))
        picture.setDevicePixelRatio(ratio)
        picture.fill(Qt.GlobalColor.transparent)
        painter = QPainter(picture)
        kind, s, c = self.model.rows[row]
        if kind == SECTION:
            self._paint_section(painter, QRect(0, 0, width, height), s)
        else:
            self._paint_criterion(painter, QRect(0, 0, width, height), s, c)
        painter.end()
        stale = [k for k in self._pictures if k[0] == row]  # the row's older pictures will not return
        for k in stale:
            del self._pictures[k]
        self._pictures[key] = picture
        while len(self._pictures) > MAX_PICTURES:
            self._pictures.popitem(last=False)
        return picture

    def warm(self, rows: range) -> None:
        """Draw these rows' pictures ahead of need (the form does it when the auditor pauses)."""
        view = self.view
        for row in rows:
            rect = view.visualRect(self.model.index(row))
            if rect.isValid():
                self._picture(row, rect.width(), rect.height(), view.viewport())

    def _paint_section(self, painter: QPainter, rect: QRect, s: Section) -> None:
        st = self.model.state
        painter.fillRect(rect, HEADER_BAND)
        painter.setPen(RULE)
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        r = st.result.sections.get(s.code)
        if r is not None and r.applicable:
            label, fill = f"{r.rounded} \u00b7 {r.grade}", grade_colour(r.grade)
        else:
            label, fill = "N/A", NA_COLOUR
        chip_w = max(self.rating_w, QFontMetrics(self.small_bold).horizontalAdvance(label) + 24)
        chip_r = QRect(rect.right() - PAD - chip_w, rect.top() + 7, chip_w, rect.height() - 14)
        chip(painter, chip_r, fill, label, self.small_bold)
        x = rect.left() + ACCENT + PAD
        painter.setFont(self.title)
        painter.setPen(QColor("#202124"))
        title = f"{s.code}   {s.title}"
        title_w = QFontMetrics(self.title).horizontalAdvance(title)
        painter.drawText(QRect(x, rect.top(), title_w + 2, rect.height()),
                         int(Qt.AlignmentFlag.AlignVCenter), title)
        notes = [f"weight {s.weight:g}" if isinstance(s.weight, float) else f"weight {s.weight}"]
        if s.na_allowed:
            notes.append("N/A allowed")
        off = st.section_off_reason(s.code)
        marked = s.code in st.no_needs
        painter.setFont(self.small)
        note_r = QRect(x + title_w + 18, rect.top(), chip_r.left() - x - title_w - 30, rect.height())
        if marked or off:
            flag = (f"No needs identified \u00b7 {s.paired_with} is N/A" if s.paired_with else "No needs identified") \
                if marked else f"N/A: {off}"
            flag_w = QFontMetrics(self.small_bold).horizontalAdvance(flag) + 20
            chip(painter, QRect(note_r.left(), rect.top() + 7, flag_w, rect.height() - 14), "#ffffff", flag,
                 self.small_bold)
            note_r.setLeft(note_r.left() + flag_w + 12)
        elif s.accepts_no_needs:
            notes.append("X marks \u201cno needs identified\u201d")
        painter.setFont(self.small)
        painter.setPen(MUTED)
        painter.drawText(note_r, int(Qt.AlignmentFlag.AlignVCenter), painter.fontMetrics().elidedText(
            " \u00b7 ".join(notes), Qt.TextElideMode.ElideRight, max(0, note_r.width())))

    def _paint_criterion(self, painter: QPainter, rect: QRect, s: Section, c: Criterion) -> None:
        st = self.model.state
        off = st.off_reason(c.id)
        painter.setPen(RULE)
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        id_r, text_r, guide_r, rate_r = self.columns(rect.left(), rect.width())
        top = rect.top() + VPAD
        text_colour = MUTED if off else QColor("#202124")
        # id and markers (words, so they survive printing and colour blindness)
        painter.setFont(self.bold)
        painter.setPen(text_colour)
        painter.drawText(QRect(id_r.left(), top, id_r.width(), self.fm_bold.height()), 0, c.id)
        y = top + self.fm_bold.height() + 4
        for flag, word, fill in ((c.statutory, "Statutory", "#e8eaf6"), (c.critical, "Critical", "#fce8e6")):
            if flag:
                h = self.fm_small.height() + 2
                w = self.fm_small.horizontalAdvance(word) + 12
                chip(painter, QRect(id_r.left(), y, w, h), fill, word, self.small)
                y += h + 4
        # criterion text, then N/A reason and comment
        flags = int(Qt.TextFlag.TextWordWrap)
        painter.setFont(self.base)
        painter.setPen(text_colour)
        h = self._wrapped(self.base, text_r.width(), c.text)
        painter.drawText(QRect(text_r.left(), top, text_r.width(), h), flags, c.text)
        y = top + h
        for text, font, colour in self._extras(c):
            y += 4
            h = self._wrapped(font, text_r.width(), text)
            painter.setFont(font)
            painter.setPen(colour)
            painter.drawText(QRect(text_r.left(), y, text_r.width(), h), flags, text)
            y += h
        # guidance beside it
        if c.guidance:
            painter.setFont(self.small)
            painter.setPen(MUTED)
            painter.drawText(QRect(guide_r.left(), top, guide_r.width(), rect.bottom() - top), flags, c.guidance)
        # the rating
        v = st.ratings.get(c.id)
        chip_r = QRect(rate_r.left(), top, rate_r.width(), self.fm_small.height() + 10)
        if off:
            chip(painter, chip_r, NA_COLOUR, "N/A \u00b7 no needs", self.small_bold)
        elif v is None:
            chip(painter, chip_r, "#ffffff", "Not rated", self.small, dashed=True)
        elif v == "na":
            chip(painter, chip_r, NA_COLOUR, "N/A", self.small_bold)
        else:
            chip(painter, chip_r, value_colour(v, c.max), f"{v} \u00b7 {value_label(v, c.max)}", self.small_bold)

"""Small widgets shared by the window's areas: `show_error`, status chips and swatches,
edits that commit when the user leaves them, and a completer for lists of names."""

from __future__ import annotations

from functools import lru_cache

from PySide6 import QtCore
from PySide6.QtCore import QPointF, QRectF, Signal
from PySide6.QtGui import (
    QBrush, QColor, QFont, QFontMetricsF, QIcon, QKeyEvent, QPainter, QPainterPath, QPalette, QPen, QPixmap, QPolygonF,
)
from PySide6.QtWidgets import QApplication, QCompleter, QLabel, QLineEdit, QPlainTextEdit, QSizePolicy, QWidget

from send_desktop.core.scales import text_colour_for
from send_desktop.errors import UserError

# The modules the first paint imports use PySide6's `Qt` namespace only inside functions that run
# after it (as `QtCore.Qt`): its first use builds all 93 of its Python enums, about 15 ms. Values
# the first paint needs are written here instead. Some calls reach it too, as PySide6 checks
# whether an argument is one of its enums before it takes the C++ type: QPainter.setPen,
# QPainter.fillRect and QBrush(QColor) do, so the icons the first paint draws are filled and
# outlined as paths (`_solid`, `_pen`).
TRANSPARENT = QColor(0, 0, 0, 0)  # Qt.GlobalColor.transparent
NOT_RATED_COLOUR = "#d9d9d9"


def show_error(parent: QWidget | None, exc: BaseException, title: str = "Cannot do that") -> None:
    """How the Plan area reports a failure, through the window's one error path
    (`error_dialog`): a UserError's message as it is; anything else logged with its traceback
    and shown as an unexpected error."""
    if isinstance(exc, UserError):
        from send_desktop.ui.error_dialog import show_user_error  # loaded when first needed

        show_user_error(parent, exc, title)
    else:
        from send_desktop.ui.error_dialog import report_exception

        report_exception(type(exc), exc, exc.__traceback__, parent)


@lru_cache(maxsize=64)
def swatch_pixmap(colour: str, size: int = 12) -> QPixmap:
    """A rounded square of a status colour with a dark outline, so pale colours still show."""
    pixmap = QPixmap(size, size)
    pixmap.fill(TRANSPARENT)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    square = QPainterPath()
    square.addRoundedRect(QRectF(0, 0, size - 1, size - 1), 2.5, 2.5)
    painter.fillPath(square, _solid(QColor(colour)))
    painter.strokePath(square, _pen(QColor(0, 0, 0, 110)))
    painter.end()
    return pixmap


@lru_cache(maxsize=64)
def swatch_icon(colour: str) -> QIcon:
    icon = QIcon()
    for size in (12, 16, 24):
        icon.addPixmap(swatch_pixmap(colour, size))
    return icon


@lru_cache(maxsize=1)
def warning_icon() -> QIcon:
    """An amber triangle with an exclamation mark: "look at this" beside a cell (a duplicated
    reference). Drawn here rather than taken from the style, which would load QStyle's Python
    enums (about 5 ms) on the window's first paint."""
    icon = QIcon()
    for size in (12, 16, 24):
        pixmap = QPixmap(size, size)
        pixmap.fill(TRANSPARENT)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        s = size - 1
        triangle = QPainterPath()
        triangle.addPolygon(QPolygonF([QPointF(s / 2, 0.5), QPointF(s, s), QPointF(0.5, s)]))
        triangle.closeSubpath()
        painter.fillPath(triangle, _solid(QColor("#f2b01e")))
        painter.strokePath(triangle, _pen(QColor("#7a4a00")))
        font = QFont(QApplication.font())
        font.setBold(True)
        font.setPixelSize(max(7, round(size * 0.62)))
        mark = QPainterPath()  # the "!" as a shape, filled like the triangle (no pen needed)
        box = QFontMetricsF(font).tightBoundingRect("!")
        mark.addText(QPointF((size - box.width()) / 2 - box.left(), size * 0.22 + (size * 0.8 + box.height()) / 2),
                     font, "!")
        painter.fillPath(mark, _solid(QColor("#1f1f1f")))
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def _solid(colour: QColor) -> QBrush:
    """A brush of one colour, made without QBrush(QColor) (see TRANSPARENT)."""
    pixmap = QPixmap(1, 1)
    pixmap.fill(colour)
    return QBrush(pixmap)


def _pen(colour: QColor) -> QPen:
    """A one-pixel pen of `colour`, for QPainter.strokePath (QPainter.setPen: see TRANSPARENT)."""
    pen = QPen()
    pen.setColor(colour)
    return pen


@lru_cache(maxsize=128)
def tint(colour: str, strength: float = 0.18) -> QColor:
    """A pale version of a status colour for row backgrounds (mixed with white)."""
    c = QColor(colour)
    return QColor(round(255 + (c.red() - 255) * strength), round(255 + (c.green() - 255) * strength),
                  round(255 + (c.blue() - 255) * strength))


def chip_html(colour: str | None, label: str) -> str:
    """A status label on its colour, for rich-text places (history, summaries)."""
    fill = colour or NOT_RATED_COLOUR
    return (f'<span style="background-color:{fill}; color:{text_colour_for(fill)};">'
            f'&nbsp;{escape_html(label)}&nbsp;</span>')


def escape_html(text: str) -> str:
    """Plain text made safe to put inside rich text."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class StatusChip(QLabel):
    """A status as a rounded coloured chip that always carries its label."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.set_status(None, "Not rated yet")

    def set_status(self, colour: str | None, label: str, tooltip: str = "") -> None:
        fill = colour or NOT_RATED_COLOUR
        self.setText(label)
        self.setToolTip(tooltip)
        self.setStyleSheet(
            f"QLabel {{ background: {fill}; color: {text_colour_for(fill)}; border-radius: 9px;"
            f" padding: 2px 10px; font-weight: 600; }}")


def show_read_only(widget: QWidget, read_only: bool) -> None:
    """Give a read-only edit the window's colour, so it does not look like it can be typed in."""
    palette = widget.palette()
    base = QApplication.palette().color(QPalette.ColorRole.Window if read_only else QPalette.ColorRole.Base)
    palette.setColor(QPalette.ColorRole.Base, base)
    widget.setPalette(palette)


class CommitLineEdit(QLineEdit):
    """A line edit that reports its text once, on Enter or when focus leaves, and only if changed."""

    committed = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._baseline = ""
        self.editingFinished.connect(self._finish)

    def set_value(self, text: str) -> None:
        self._baseline = text
        self.setText(text)
        self.setCursorPosition(0)

    def setReadOnly(self, read_only: bool) -> None:  # noqa: N802 - Qt's name
        super().setReadOnly(read_only)
        show_read_only(self, read_only)

    def _finish(self) -> None:
        if self.text() != self._baseline and not self.isReadOnly():
            self._baseline = self.text()
            self.committed.emit(self.text())


class CommitTextEdit(QPlainTextEdit):
    """Multi-line text that reports itself when focus leaves or on Ctrl+Enter, only if changed.

    With `enter_commits` (a paragraph, not a list) Enter commits too and Shift+Enter starts a new line.
    It is `lines` high; with `grow` at least that, taking spare room; with `fit_up_to`, as tall as
    its wrapped text up to that many lines.
    """

    committed = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, enter_commits: bool = False, lines: int = 3,
                 grow: bool = False, fit_up_to: int = 0):
        super().__init__(parent)
        self._baseline = ""
        self._enter_commits = enter_commits
        self._lines = (lines, max(lines, fit_up_to))
        self.setTabChangesFocus(True)
        if grow:
            self.setMinimumHeight(self._height_for(lines))
            self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        else:
            self.setFixedHeight(self._height_for(lines))
        if fit_up_to:  # as tall as the wrapped text, between `lines` and `fit_up_to` lines
            self.document().documentLayout().documentSizeChanged.connect(self._fit)

    def _height_for(self, lines: int) -> int:
        return self.fontMetrics().lineSpacing() * lines + 2 * self.frameWidth() + 10

    def _fit(self, size) -> None:
        low, high = self._lines
        self.setFixedHeight(self._height_for(max(low, min(high, round(size.height())))))

    def setReadOnly(self, read_only: bool) -> None:  # noqa: N802 - Qt's name
        super().setReadOnly(read_only)
        show_read_only(self, read_only)

    def set_value(self, text: str) -> None:
        self._baseline = text
        self.setPlainText(text)

    def commit(self) -> None:
        if self.toPlainText() != self._baseline and not self.isReadOnly():
            self._baseline = self.toPlainText()
            self.committed.emit(self._baseline)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (QtCore.Qt.Key.Key_Return, QtCore.Qt.Key.Key_Enter):
            mods = event.modifiers()
            if mods & QtCore.Qt.KeyboardModifier.ControlModifier or (
                    self._enter_commits and not mods & QtCore.Qt.KeyboardModifier.ShiftModifier):
                self.commit()
                return
        super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self.commit()


def split_names(text: str) -> list[str]:
    """Names typed as "Ann Lee, Raj Patel; TBC" -> ["Ann Lee", "Raj Patel", "TBC"]."""
    return [n.strip() for n in text.replace(";", ",").split(",") if n.strip()]


class NameListCompleter(QCompleter):
    """Completes the name being typed after the last comma or semicolon, keeping the ones before."""

    def __init__(self, names: list[str], parent: QWidget | None = None):
        super().__init__(names, parent)
        self.setCaseSensitivity(QtCore.Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(QtCore.Qt.MatchFlag.MatchContains)

    def splitPath(self, path: str) -> list[str]:
        return [path.replace(";", ",").split(",")[-1].strip()]

    def pathFromIndex(self, index) -> str:
        typed = self.widget().text() if self.widget() is not None else ""
        cut = max(typed.rfind(","), typed.rfind(";"))
        head = typed[:cut + 1] + " " if cut >= 0 else ""
        return head + index.data()

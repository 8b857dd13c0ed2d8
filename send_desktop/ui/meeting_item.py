"""One agenda item's minutes: title, presenter, papers and links; the notes; the challenges with
their responses; the actions it raised; its decisions.

Fields commit when the minute-taker leaves them (or on Ctrl+Enter), through `edited`; the pane
never touches the database. Challenges are drawn as rich text, "Challenge" and "Response" in
bold with who said it, the way minutes set them out.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QColor, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QFormLayout, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QStyle, QStyledItemDelegate,
    QVBoxLayout, QWidget,
)

from send_desktop.services.meeting_read import ActionRow, AgendaRow
from send_desktop.ui.meeting_models import day
from send_desktop.ui.widgets import CommitLineEdit, CommitTextEdit, NameListCompleter, escape_html

ID_ROLE = Qt.ItemDataRole.UserRole + 1
HTML_ROLE = Qt.ItemDataRole.UserRole + 2


class HtmlDelegate(QStyledItemDelegate):
    """List items drawn from rich text kept in HTML_ROLE, wrapped to the list's width."""

    def _document(self, index, width: float) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(self.parent().font())
        doc.setDocumentMargin(6)
        doc.setHtml(index.data(HTML_ROLE) or "")
        doc.setTextWidth(width)
        return doc

    def paint(self, painter, option, index) -> None:
        self.initStyleOption(option, index)
        selected = option.state & QStyle.StateFlag.State_Selected
        painter.save()
        if selected:
            # A pale fill and a bar in the highlight colour: the rich text keeps its own colours
            # (chips, grey notes), which white-on-blue would make unreadable.
            painter.fillRect(option.rect, QColor("#dce8fb"))
            painter.fillRect(option.rect.adjusted(0, 0, 4 - option.rect.width(), 0),
                             option.palette.color(QPalette.ColorRole.Highlight))
        doc = self._document(index, option.rect.width())
        painter.translate(option.rect.topLeft())
        ctx = QAbstractTextDocumentLayout.PaintContext()
        ctx.palette.setColor(QPalette.ColorRole.Text, option.palette.color(QPalette.ColorRole.Text))
        ctx.clip = QRectF(0, 0, option.rect.width(), option.rect.height())
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:  # noqa: N802 - Qt name
        width = self.parent().viewport().width() - 4
        doc = self._document(index, max(width, 200))
        return QSize(width, int(doc.size().height()) + 2)


def challenge_html(challenger: str, challenge: str, responder: str, response: str) -> str:
    def para(label: str, who: str, text: str) -> str:
        body = escape_html(text).replace("\n", "<br>")
        by = f" ({escape_html(who)})" if who else ""
        return f"<p style='margin:0 0 4px 0'><b>{label}</b>{by}: {body}</p>"

    html = para("Challenge", challenger, challenge)
    html += para("Response", responder, response) if response else \
        "<p style='margin:0; color:#8a5a00'><i>No response recorded yet (Ctrl+Shift+R)</i></p>"
    return html


class WrapList(QListWidget):
    """A list whose items are paragraphs: re-laid out when its width changes."""

    def __init__(self, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setItemDelegate(HtmlDelegate(self))
        self.setWordWrap(True)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.setSpacing(2)

    def set_items(self, items: list[tuple[int, str]], empty: str = "") -> None:
        current = self.currentItem().data(ID_ROLE) if self.currentItem() else None
        self.clear()
        for item_id, html in items:
            item = QListWidgetItem()
            item.setData(ID_ROLE, item_id)
            item.setData(HTML_ROLE, html)
            self.addItem(item)
            if item_id == current:
                self.setCurrentItem(item)
        if not items and empty:
            item = QListWidgetItem()
            item.setData(HTML_ROLE, f"<span style='color:#666'>{escape_html(empty)}</span>")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addItem(item)

    def current_id(self) -> int | None:
        return self.currentItem().data(ID_ROLE) if self.currentItem() else None

    def select_id(self, item_id: int | None) -> None:
        for row in range(self.count()):
            if self.item(row).data(ID_ROLE) == item_id:
                self.setCurrentRow(row)
                self.scrollToItem(self.item(row))
                return

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().resizeEvent(event)
        self.doItemsLayout()


def _heading(text: str, buddy: QWidget | None = None) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight: 600; margin-top: 4px;")
    if buddy is not None:
        label.setBuddy(buddy)
    return label


class AgendaItemPane(QWidget):
    edited = Signal(int, dict)           # agenda item id, changed fields
    challengeActivated = Signal(int)     # Enter on a challenge: edit it
    linkRequested = Signal(int)          # the item whose links to change

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.item: AgendaRow | None = None
        self.title = CommitLineEdit()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setAccessibleName("Agenda item title")
        self.number = QLabel()
        self.number.setFont(font)
        self.presenter, self.papers = CommitLineEdit(), CommitLineEdit()
        self.papers.setPlaceholderText("Papers, separated by semicolons")
        self.links = QLabel()
        self.links.setWordWrap(True)
        self.link_button = QPushButton("&Link\u2026")
        self.link_button.setToolTip("Link this item to plan priorities, risks or KPIs")
        self.notes = CommitTextEdit(lines=4, grow=True)
        self.notes.setPlaceholderText("What was said and noted under this item")
        self.challenges = WrapList("Challenges and responses")
        self.raised = WrapList("Actions from this item")
        self.raised.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.decisions = CommitTextEdit(lines=2, fit_up_to=5)
        self.decisions.setPlaceholderText("One decision a line (Ctrl+Shift+D adds one)")

        head = QHBoxLayout()
        head.addWidget(self.number)
        head.addWidget(self.title, 1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(_heading("&Presenter", self.presenter), self.presenter)
        form.addRow(_heading("Papers", self.papers), self.papers)
        links = QHBoxLayout()
        links.addWidget(self.links, 1)
        links.addWidget(self.link_button)
        form.addRow(_heading("Links"), links)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addLayout(head)
        layout.addLayout(form)
        layout.addWidget(_heading("N&otes", self.notes))
        layout.addWidget(self.notes, 2)
        layout.addWidget(_heading("C&hallenge and response", self.challenges))
        layout.addWidget(self.challenges, 4)
        layout.addWidget(_heading("Actions raised"))
        layout.addWidget(self.raised, 1)
        layout.addWidget(_heading("&Decisions", self.decisions))
        layout.addWidget(self.decisions)

        for field, key in ((self.title, "title"), (self.presenter, "presenter"), (self.notes, "notes"),
                           (self.decisions, "decisions")):
            field.committed.connect(lambda text, key=key: self._commit(key, text))
        self.papers.committed.connect(lambda text: self._commit("papers", [p for p in text.split(";")]))
        self.challenges.itemActivated.connect(lambda it: it.data(ID_ROLE) and self.challengeActivated.emit(it.data(ID_ROLE)))
        self.link_button.clicked.connect(lambda: self.item and self.linkRequested.emit(self.item.id))
        self.setEnabled(False)

    def _commit(self, key: str, value) -> None:
        if self.item is not None:
            self.edited.emit(self.item.id, {key: value})

    def set_names(self, names: list[str]) -> None:
        self.presenter.setCompleter(NameListCompleter(names, self.presenter))

    def show_item(self, item: AgendaRow | None, number: int, actions: list[ActionRow]) -> None:
        self.item = item
        self.setEnabled(item is not None)
        if item is None:
            for field in (self.title, self.presenter, self.papers):
                field.set_value("")
            self.notes.set_value("")
            self.decisions.set_value("")
            self.challenges.set_items([])
            self.raised.set_items([])
            self.links.setText("")
            self.number.setText("")
            return
        self.number.setText(f"{number}.")
        for field, value in ((self.title, item.title), (self.presenter, item.presenter),
                             (self.papers, "; ".join(item.papers))):
            if field.text() != value or not field.hasFocus():
                field.set_value(value)
        for field, value in ((self.notes, item.notes), (self.decisions, "\n".join(item.decisions))):
            if field.toPlainText() != value:
                field.set_value(value)
        self.links.setText(" \u00b7 ".join(link.label for link in item.links) or "None")
        self.links.setToolTip("\n".join(f"{link.label}: {link.title}" for link in item.links))
        self.challenges.set_items([(c.id, challenge_html(c.challenger, c.challenge, c.responder, c.response))
                                   for c in item.challenges], "No challenges yet (Ctrl+Shift+C records one)")
        self.raised.set_items([(a.id, f"<b>Action {a.number}</b> ({escape_html(a.owner or 'no owner')}"
                                      f"{', due ' + day(a.due_date) if a.due_date else ''}): {escape_html(a.text)}")
                               for a in actions], "No actions yet (Ctrl+Shift+A records one)")

"""The Audits area of the main window: the audit list, and one audit's page in its place.

Open (Enter) shows the audit; Esc or "← Audits" saves and comes back to the list, which re-reads
what changed and keeps the selection. Nothing is read until the area is first shown, so the
window's start-up does not pay for 100,000 ids, and the audit page (with the grading engine) is
built on the first Open.

Nothing typed may be lost: the form saves when it is hidden, and because the main window closes
its database in its own closeEvent, before any child is hidden, the area also watches the
window's Close event (an event filter runs before the handler) and saves there.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from send_desktop.ui.audit_list_view import AuditListView


class AuditsArea(QWidget):
    statusMessage = Signal(str)

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self._stale = True  # the list has not been read for this file yet
        self._list_changed = False  # an open audit saved something the list shows
        self._watched: QObject | None = None
        self.list_view = AuditListView(None)
        self.list_view.openRequested.connect(self.open_audit)
        self.list_view.statusMessage.connect(self.statusMessage)
        self._page = None
        self.stack = QStackedWidget()
        self.stack.addWidget(self.list_view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    # -- the interface the main window uses -------------------------------------------------------

    def set_database(self, db) -> None:
        """Show another file (the old one is still open: anything unsaved is written to it first)."""
        self.flush()
        self.db = db
        self.stack.setCurrentWidget(self.list_view)
        self._stale = True
        if self.isVisible():
            self.reload()

    def reload(self) -> None:
        """Re-read the list and, if an audit is open, the audit."""
        self.flush()
        self._stale = False
        self.list_view.set_database(self.db)
        if self._page is not None and self.stack.currentWidget() is self._page:
            self._page.reopen_current()

    def show_records(self, filters: dict) -> None:
        """Show the audits another area points at: {"month": "2026-06"} lists that month's audits."""
        self.back_to_list()
        if self._stale:
            self.reload()
        bar = self.list_view.filter_bar
        month = filters.get("month")
        if month:
            bar.clear()
            index = bar.month_combo.findData(month)
            if index >= 0:
                bar.month_combo.setCurrentIndex(index)
                bar.apply()

    def flush(self) -> bool:
        """Save any scoring not yet saved; True when nothing is left unsaved."""
        return self._page.flush() if self._page is not None else True

    @property
    def page(self):
        """The audit page (AuditPage), built on first use."""
        if self._page is None:
            from send_desktop.ui.audit_form_page import AuditPage

            self._page = AuditPage()
            self._page.backRequested.connect(self.back_to_list)
            self._page.statusMessage.connect(self.statusMessage)
            self._page.changed.connect(self._mark_list_changed)
            self.stack.addWidget(self._page)
        return self._page

    def open_audit(self, audit_id: int | None) -> None:
        if audit_id is None or self.db is None:
            return
        self._list_changed = False
        page = self.page
        if page.open_audit(self.db, audit_id):
            self.stack.setCurrentWidget(page)
            page.form.view.setFocus()
        else:
            self.list_view.reload()  # it may have been deleted meanwhile

    def back_to_list(self) -> None:
        self.flush()
        opened = self._page.record.id if self._page is not None and self._page.record else None
        self.stack.setCurrentWidget(self.list_view)
        if self._list_changed:
            self._list_changed = False
            self.list_view.reload()
        self.list_view.select_audit(opened)
        self.list_view.table.setFocus()

    def _mark_list_changed(self) -> None:
        self._list_changed = True

    # -- events -------------------------------------------------------------------------------------

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        window = self.window()
        if window is not self and window is not self._watched:
            if self._watched is not None:
                self._watched.removeEventFilter(self)
            window.installEventFilter(self)
            self._watched = window
        if self._stale:
            self.reload()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self._watched and event.type() == QEvent.Type.Close:
            self.flush()
        return False

"""The list of areas down the window's left side.

Plain Qt drawing with the window's palette, taller rows and margins, and no style sheet: with a
style sheet (rounded, padded items) every item went through Qt's style-sheet engine, which cost a
tenth of the window's start-up for eight items (120 million instructions, measured with callgrind).
"""

from __future__ import annotations

from PySide6 import QtCore
from PySide6.QtCore import QSize, QTimer
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QListWidget, QListWidgetItem

ITEM_HEIGHT = 34


class NavList(QListWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFixedWidth(140)
        self._settled = False  # the scroll bar policy is set after the first paint (see `paintEvent`)
        self.setFrameShape(QListWidget.Shape.NoFrame)
        self.setUniformItemSizes(True)
        self.setViewportMargins(8, 8, 8, 0)
        self.setAccessibleName("Areas")
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Base, palette.color(QPalette.ColorRole.Window))
        self.setPalette(palette)
        self.setAutoFillBackground(True)
        font = QFont(self.font())
        font.setPointSizeF(11)
        self.setFont(font)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().paintEvent(event)
        if not self._settled:  # needs PySide6's `Qt` namespace, which the first paint does without (`ui.app`)
            self._settled = True
            QTimer.singleShot(0, self._settle)

    def _settle(self) -> None:
        self.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def add_area(self, name: str) -> None:
        item = QListWidgetItem(name)
        item.setSizeHint(QSize(0, ITEM_HEIGHT))
        self.addItem(item)

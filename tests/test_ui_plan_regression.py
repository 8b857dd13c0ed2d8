"""Guards against Qt binding regressions the Plan area would meet (shared/PERFORMANCE.md)."""

from __future__ import annotations

from PySide6.QtGui import QStandardItem, QStandardItemModel


def test_appending_20000_rows_to_a_standard_item_model_does_not_crash(qapp):
    """PySide6 6.12.0 aborts CPython 3.11 ("none_dealloc") after a few thousand appendRow/setItem
    calls; the pin below 6.12 in pyproject.toml must stay until a fixed release is out."""
    model = QStandardItemModel()
    for i in range(20_000):
        model.appendRow([QStandardItem(f"2.4.{i}"), QStandardItem("Amber")])
    for i in range(0, 20_000, 7):
        model.setItem(i, 1, QStandardItem("Green"))
    assert model.rowCount() == 20_000
    assert model.item(19_999, 0).text() == "2.4.19999"
    assert model.item(7, 1).text() == "Green"

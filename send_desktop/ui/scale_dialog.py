"""Plan > Rating Scale: give a plan one of the preset scales or one of its own.

Existing updates keep their history: each old level is mapped to a new one (matched by code,
then label, then position) and the user can change the mapping before applying.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QColorDialog, QComboBox, QDialog, QDialogButtonBox, QFormLayout,
    QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from send_desktop.core.scales import PRESETS, LevelSpec, map_levels, validate_levels
from send_desktop.services.plan_read import Scale

COL_CODE, COL_LABEL, COL_MEANING, COL_COLOUR, COL_COMPLETE = range(5)


def swatch(colour: str, size: int = 14) -> QIcon:
    pix = QPixmap(size, size)
    pix.fill(QColor(colour))
    return QIcon(pix)


def default_mapping(old: list, new: list[LevelSpec]) -> dict[int, int | None]:
    """Old level id -> index of the new level that most plausibly means the same
    (`core.scales.map_levels`: "counts as complete" first, then code, label, position)."""
    return {level.id: i for level, i in zip(old, map_levels(old, new))}


class ScaleDialog(QDialog):
    def __init__(self, current: Scale, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Rating scale")
        self.current = current
        self._colours: list[str] = []

        self.preset = QComboBox()
        self.preset.addItem("Keep the current levels", None)
        for key, spec in PRESETS.items():
            self.preset.addItem(spec.name, key)
        self.preset.currentIndexChanged.connect(self._load_preset)
        self.name = QLineEdit(current.name)

        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["Code", "Label", "Meaning", "Colour", "Complete"])
        self.table.horizontalHeader().setSectionResizeMode(COL_MEANING, QHeaderView.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.cellDoubleClicked.connect(self._cell_activated)
        self.table.itemChanged.connect(self._refresh)

        add = QPushButton("&Add level")
        add.clicked.connect(lambda: self._append(LevelSpec("", "", "", "#8c8c8c")))
        remove = QPushButton("&Remove level")
        remove.clicked.connect(self._remove)
        up = QPushButton("Move &up")
        up.clicked.connect(lambda: self._move(-1))
        down = QPushButton("Move &down")
        down.clicked.connect(lambda: self._move(1))
        buttons_row = QHBoxLayout()
        for b in (add, remove, up, down):
            buttons_row.addWidget(b)
        buttons_row.addStretch(1)

        self.mapping_box = QGroupBox("Existing updates: each current level becomes")
        self.mapping_form = QFormLayout(self.mapping_box)
        self.mapping_combos: dict[int, QComboBox] = {}
        self._user_mapped: set[int] = set()  # levels whose mapping the user chose by hand
        for level in current.levels:
            combo = QComboBox()
            combo.activated.connect(lambda _i, lid=level.id: self._user_mapped.add(lid))
            self.mapping_combos[level.id] = combo
            self.mapping_form.addRow(f"{level.code} – {level.label}", combo)

        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #a61b1b;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("Start from", self.preset)
        form.addRow("Scale name", self.name)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table)
        layout.addLayout(buttons_row)
        layout.addWidget(self.mapping_box)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        self.resize(720, 520)

        self._set_levels([LevelSpec(lv.code, lv.label, lv.meaning, lv.colour, lv.complete)
                          for lv in current.levels])

    # -- table editing -----------------------------------------------------------------------
    def _append(self, spec: LevelSpec) -> None:
        self.table.blockSignals(True)
        row = self.table.rowCount()
        self.table.insertRow(row)
        for col, text in ((COL_CODE, spec.code), (COL_LABEL, spec.label), (COL_MEANING, spec.meaning)):
            self.table.setItem(row, col, QTableWidgetItem(text))
        colour = QTableWidgetItem(spec.colour)
        colour.setIcon(swatch(spec.colour))
        colour.setFlags(colour.flags() & ~Qt.ItemIsEditable)
        colour.setToolTip("Double-click (or select and press Enter) to choose a colour")
        self.table.setItem(row, COL_COLOUR, colour)
        box = QCheckBox()
        box.setChecked(spec.complete)
        box.toggled.connect(self._refresh)
        holder = QWidget()
        hl = QHBoxLayout(holder)
        hl.setContentsMargins(0, 0, 0, 0)
        hl.setAlignment(Qt.AlignCenter)
        hl.addWidget(box)
        self.table.setCellWidget(row, COL_COMPLETE, holder)
        self.table.blockSignals(False)
        self._refresh()

    def _checkbox(self, row: int) -> QCheckBox:
        return self.table.cellWidget(row, COL_COMPLETE).findChild(QCheckBox)

    def levels(self) -> list[LevelSpec]:
        out = []
        for row in range(self.table.rowCount()):
            text = [(self.table.item(row, c).text() if self.table.item(row, c) else "").strip()
                    for c in (COL_CODE, COL_LABEL, COL_MEANING, COL_COLOUR)]
            out.append(LevelSpec(text[0], text[1], text[2], text[3], self._checkbox(row).isChecked()))
        return out

    def _set_levels(self, specs: list[LevelSpec]) -> None:
        self._loading = True
        self.table.setRowCount(0)
        for spec in specs:
            self._append(spec)
        self._loading = False
        self._user_mapped.clear()  # a new set of levels: start again from the best guess
        self._refresh()

    def _load_preset(self) -> None:
        key = self.preset.currentData()
        if key is None:
            self._set_levels([LevelSpec(lv.code, lv.label, lv.meaning, lv.colour, lv.complete)
                              for lv in self.current.levels])
            self.name.setText(self.current.name)
        else:
            self._set_levels(list(PRESETS[key].levels))
            self.name.setText(PRESETS[key].name)

    def _remove(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self._refresh()

    def _move(self, step: int) -> None:
        row = self.table.currentRow()
        specs = self.levels()
        target = row + step
        if row < 0 or not 0 <= target < len(specs):
            return
        specs[row], specs[target] = specs[target], specs[row]
        self._set_levels(specs)
        self.table.selectRow(target)

    def _cell_activated(self, row: int, col: int) -> None:
        if col != COL_COLOUR:
            return
        item = self.table.item(row, col)
        chosen = QColorDialog.getColor(QColor(item.text()), self, "Level colour")
        if chosen.isValid():
            item.setText(chosen.name())
            item.setIcon(swatch(chosen.name()))

    # -- mapping and validation ----------------------------------------------------------------
    def _refresh(self, *_):
        if getattr(self, "_loading", False):
            return
        specs = self.levels()
        mapping = default_mapping(self.current.levels, specs)
        for level_id, combo in self.mapping_combos.items():
            previous = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("Not rated", None)
            for i, spec in enumerate(specs):
                combo.addItem(swatch(spec.colour or "#ffffff"), f"{spec.code} – {spec.label}", i)
            keep = level_id in self._user_mapped and (previous is None or previous < len(specs))
            wanted = previous if keep else mapping.get(level_id)
            combo.setCurrentIndex(max(0, combo.findData(wanted)))
            combo.blockSignals(False)
        problems = validate_levels(specs)
        self.problems.setText(" ".join(problems))
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(not problems)

    def mapping(self) -> dict[int, int | None]:
        return {level_id: combo.currentData() for level_id, combo in self.mapping_combos.items()}


def change_plan_scale(parent: QWidget, db, plan_view) -> bool:
    """Edit > Rating Scale…: choose or define the plan's scale and apply it, after a backup.

    Changing scale re-points every past update, so it is not on the undo stack; the backup and
    the change log record what it was.
    """
    from PySide6.QtWidgets import QMessageBox

    from send_desktop.services.plan_setup import change_plan_scale as apply_scale
    from send_desktop.services.plan_setup import spec_from_levels
    from send_desktop.storage.database import backup_file
    from send_desktop.ui.widgets import show_error

    snapshot = plan_view.snapshot if plan_view is not None else None
    if db is None or snapshot is None:
        return False
    dialog = ScaleDialog(snapshot.scale, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    updates = sum(len(a.updates) for a in snapshot.actions())
    answer = QMessageBox.question(
        parent, "Change the rating scale",
        f"Give the plan the scale “{dialog.name.text().strip()}” and re-rate its {updates} past updates "
        "as shown?\n\nA backup of the file is made first. This change is not on the Undo list.")
    if answer != QMessageBox.StandardButton.Yes:
        return False
    try:
        backup_file(db.path, "before-scale-change")
        apply_scale(db, snapshot.plan_id, spec_from_levels(dialog.name.text().strip() or "Rating scale",
                                                           dialog.levels()), dialog.mapping())
    except Exception as exc:  # noqa: BLE001 - one error path for the window
        show_error(parent, exc)
        return False
    plan_view.undo_stack.clear()  # commands on the stack point at the old levels
    plan_view.reload()
    return True

"""The dashboard: the board's picture at a glance, live from the database, each chart a way in.

It reads the same snapshot the meeting pack shows (`send_desktop.pack.snapshot.collect`), so the
dashboard and the pack never disagree, and compares it with the last issued pack for "what moved
since the last pack". Clicking a bar, a heat-map cell or a tile asks the window to show the
records behind it (`recordsRequested(area, filters)`).

Cards are matplotlib figures (object API, fixed pixel margins, no layout engine), imported when
the dashboard is first shown. Every bar carries its number and the statuses are hatched as well
as coloured, so the page reads in black and white; each card has a one-line text description
for screen readers.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QScrollArea, QSizePolicy, QVBoxLayout, QWidget,
)

from send_desktop.errors import UserError

HATCHES = ("", "///", "...", "xxx", "\\\\\\", "ooo", "---")
CARD_WIDTH, CARD_HEIGHT = 620, 300


class Card(QFrame):
    """A titled chart of a fixed size; `draw(figure)` fills it, `picked(key)` reports a click."""

    picked = Signal(object)

    def __init__(self, title: str, parent: QWidget | None = None, height: int = CARD_HEIGHT):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        self.title = QLabel(f"<b>{title}</b>")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("color: #444;")
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=(CARD_WIDTH / 100, height / 100), dpi=100)
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setFixedSize(CARD_WIDTH, height)
        self.canvas.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.canvas.mpl_connect("pick_event", self._on_pick)
        self._keys: dict = {}
        layout.addWidget(self.title)
        layout.addWidget(self.canvas)
        layout.addWidget(self.summary)
        self.setAccessibleName(title)

    def keyed(self, artist, key) -> None:
        """Make `artist` clickable, standing for `key`."""
        artist.set_picker(True)
        self._keys[id(artist)] = key

    def _on_pick(self, event) -> None:
        key = self._keys.get(id(event.artist))
        if key is not None:
            self.picked.emit(key)

    def finish(self, summary: str) -> None:
        self.summary.setText(summary)
        if not self.canvas.accessibleDescription():
            self.canvas.setAccessibleDescription(summary)
        self.canvas.draw_idle()


def _style_axes(ax) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=8)


def draw_status_bars(card: Card, groups: list[tuple[str, str]], levels: list[dict], counts: dict, key: str) -> str:
    """Stacked horizontal bars, one segment per status; clicking a segment gives (key, group, label)."""
    fig = card.figure
    fig.clear()
    ax = fig.add_axes((0.37, 0.2, 0.59, 0.72))
    y = list(range(len(groups)))[::-1]
    left = [0] * len(groups)
    for i, level in enumerate(levels):
        values = [counts.get(g, {}).get(level["label"], 0) for g, _ in groups]
        bars = ax.barh(y, values, left=left, color=level.get("colour") or "#ffffff", edgecolor="#333333",
                       linewidth=0.5, hatch=HATCHES[i % len(HATCHES)], label=level["label"])
        for bar, v, (g, _label) in zip(bars, values, groups):
            if v:
                card.keyed(bar, (key, g, level["label"]))
                ax.text(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2, str(v), ha="center",
                        va="center", fontsize=7.5, bbox=dict(boxstyle="round,pad=0.15", facecolor="white",
                                                             edgecolor="none", alpha=0.85))
        left = [a + b for a, b in zip(left, values)]
    ax.set_yticks(y)
    ax.set_yticklabels([label for _g, label in groups], fontsize=8)
    ax.set_xlim(0, max(left + [1]) * 1.03)
    _style_axes(ax)
    ax.legend(loc="upper center", bbox_to_anchor=(0.3, -0.08), ncol=min(len(levels), 5), fontsize=7.5, frameon=False)
    totals = {lv["label"]: sum(counts.get(g, {}).get(lv["label"], 0) for g, _ in groups) for lv in levels}
    described = "; ".join(f"{label}: " + ", ".join(f"{counts.get(g, {}).get(lv['label'], 0)} {lv['label']}"
                                                   for lv in levels) for g, label in groups)
    card.canvas.setAccessibleDescription(described)
    return (f"{sum(totals.values())} actions: " + ", ".join(f"{n} {label}" for label, n in totals.items())
            + ". Click a bar to list its actions.")


def priority_label(priority: dict, limit: int) -> str:
    """"2  EHCPs and annual reviews": a priority by the workstream delivering it, which tells
    priorities apart better than the first words of statements that all begin "Leaders …"."""
    return f"{priority['ref']}  {_short(priority.get('workstream') or priority['statement'], limit)}"


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rsplit(" ", 1)[0] + "…"


class DashboardView(QWidget):
    """Constructor (db, parent); `set_database`, `reload`; `statusMessage`, `recordsRequested`."""

    statusMessage = Signal(str)
    #: (area name, filters): e.g. ("Plan", {"refs": ["2.1.1", "2.4.3"], "label": "Red actions of workstream …"})
    recordsRequested = Signal(str, dict)

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.today: dt.date | None = None  # tests fix the date
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        bar = QHBoxLayout()
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        refresh = QPushButton("&Refresh")
        refresh.clicked.connect(self.reload)
        bar.addWidget(self.heading, 1)
        bar.addWidget(refresh)
        outer.addLayout(bar)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.page = QWidget()
        self.grid = QGridLayout(self.page)
        self.grid.setSpacing(10)
        scroll.setWidget(self.page)
        outer.addWidget(scroll, 1)
        self.cards: dict[str, Card] = {}
        self._plan: dict | None = None
        self._moves: dict = {"better": [], "worse": [], "new": [], "completed": []}
        self.setStyleSheet("QFrame#card { background: white; border: 1px solid #d0d0d0; border-radius: 4px; }")
        self.reload()

    def set_database(self, db) -> None:
        self.db = db
        self.reload()

    def _card(self, name: str, title: str, row: int, col: int, height: int = CARD_HEIGHT) -> Card:
        if name not in self.cards:
            card = Card(title, self.page, height)
            card.picked.connect(self._picked)
            self.cards[name] = card
            self.grid.addWidget(card, row, col, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        return self.cards[name]

    def reload(self) -> None:
        from send_desktop.pack.build import last_issued
        from send_desktop.pack.snapshot import collect, plan_changes

        if self.db is None:
            return
        today = self.today or dt.date.today()
        try:
            snapshot = collect(self.db, today)
        except UserError as exc:
            self.heading.setText(exc.message)
            return
        baseline = last_issued(self.db)
        plan = snapshot.get("plan")
        since = baseline["meeting_date"] if baseline else None
        self.heading.setText(f"<b>As of {today:%d %B %Y}</b>" + (f" · changes since the pack issued for {since}"
                                                                 if since else " · no pack issued yet"))
        self._plan = plan
        if plan:
            changes = plan_changes(baseline["snapshot"].get("plan") if baseline else None, plan)
            self._plan_cards(plan, changes, bool(baseline))

    # -- the plan -----------------------------------------------------------------------------
    def _plan_cards(self, plan: dict, changes: dict, have_baseline: bool) -> None:
        from collections import Counter

        levels = list(plan["scale"])
        if any(a["status"] == "Not rated" for a in plan["actions"]):
            levels = [{"label": "Not rated", "colour": "#ffffff"}] + levels
        by_priority: dict[str, Counter] = {}
        by_ws: dict[str, Counter] = {}
        for a in plan["actions"]:
            by_priority.setdefault(a["priority"], Counter())[a["status"]] += 1
            by_ws.setdefault(a["workstream"], Counter())[a["status"]] += 1
        card = self._card("plan_priority", "Plan status by priority", 0, 0)
        groups = [(p["ref"], priority_label(p, 30)) for p in plan["priorities"] if p["ref"] in by_priority]
        card.finish(draw_status_bars(card, groups, levels, by_priority, "priority"))
        card = self._card("plan_workstream", "Plan status by workstream", 0, 1)
        groups = [(w["name"], _short(w["name"], 32)) for w in plan["workstreams"] if w["name"] in by_ws]
        card.finish(draw_status_bars(card, groups, levels, by_ws, "workstream"))
        self._due_card(plan)
        self._moves_card(changes, have_baseline)

    def _due_card(self, plan: dict) -> None:
        today = self.today or dt.date.today()
        soon = today + dt.timedelta(days=30)
        overdue = [a for a in plan["actions"] if a["overdue"]]
        due_soon = [a for a in plan["actions"] if not a["complete"] and a["due"]
                    and today <= dt.date.fromisoformat(a["due"]) <= soon]
        card = self._card("plan_due", "Overdue, and due in the next 30 days", 1, 0)
        fig = card.figure
        fig.clear()
        ax = fig.add_axes((0.06, 0.12, 0.9, 0.8))
        bars = ax.bar([0, 1], [len(overdue), len(due_soon)], color=["#c0392b", "#e69f00"], edgecolor="#333333",
                      hatch="///", width=0.55)
        card.keyed(bars[0], ("overdue",))
        card.keyed(bars[1], ("due_soon",))
        for bar, n in zip(bars, (len(overdue), len(due_soon))):
            ax.text(bar.get_x() + bar.get_width() / 2, bar.get_height(), str(n), ha="center", va="bottom",
                    fontsize=10, fontweight="bold", fontfamily="DejaVu Sans")
        ax.set_xticks([0, 1])
        ax.set_xticklabels(["Overdue (not complete)", "Due in the next 30 days"], fontsize=8.5)
        ax.set_yticks([])
        ax.set_ylim(0, max(len(overdue), len(due_soon), 1) * 1.25)
        _style_axes(ax)
        ax.spines["left"].set_visible(False)
        card.finish(f"{len(overdue)} actions overdue: " + ", ".join(a["ref"] for a in overdue[:12]) +
                    f". {len(due_soon)} due by {soon:%d %b}: " + ", ".join(a["ref"] for a in due_soon[:12]) + ".")

    def _moves_card(self, changes: dict, have_baseline: bool) -> None:
        card = self._card("plan_moves", "Status moves since the last issued pack", 1, 1)
        fig = card.figure
        fig.clear()
        ax = fig.add_axes((0.06, 0.12, 0.9, 0.8))
        better = [m for m in changes["moves"] if m["direction"] == "better"]
        worse = [m for m in changes["moves"] if m["direction"] == "worse"]
        values = [len(better), len(worse), len(changes["new"]), len(changes["completed"])]
        bars = ax.bar(range(4), values, color=["#2e8b57", "#c0392b", "#1f5fa8", "#6b6b6b"], edgecolor="#333333",
                      width=0.55)
        for bar, n, name in zip(bars, values, ("better", "worse", "new", "completed")):
            card.keyed(bar, ("moves", name))
            ax.text(bar.get_x() + bar.get_width() / 2, bar.get_height(), str(n), ha="center", va="bottom",
                    fontsize=10, fontweight="bold", fontfamily="DejaVu Sans")
        ax.set_xticks(range(4))
        ax.set_xticklabels(["▲ moved up", "▼ moved down", "new actions", "completed"], fontsize=8.5)
        ax.set_yticks([])
        ax.set_ylim(0, max(values + [1]) * 1.25)
        _style_axes(ax)
        ax.spines["left"].set_visible(False)
        self._moves = {"better": better, "worse": worse, "new": changes["new"], "completed": changes["completed"]}
        card.finish("No pack has been issued yet, so there is nothing to compare with." if not have_baseline else
                    f"Since the last issued pack: {len(better)} actions moved up, {len(worse)} moved down, "
                    f"{len(changes['new'])} are new and {len(changes['completed'])} were completed.")

    # -- clicks --------------------------------------------------------------------------------
    def _picked(self, key) -> None:
        """Show the actions behind what was clicked, by their refs (the Plan area filters to them)."""
        actions = (self._plan or {}).get("actions", [])
        kind = key[0]
        today = self.today or dt.date.today()
        if kind in ("priority", "workstream"):
            chosen = [a for a in actions if a[kind] == key[1] and a["status"] == key[2]]
            what = f"{key[2]} actions of {kind} {key[1]}"
        elif kind == "overdue":
            chosen, what = [a for a in actions if a["overdue"]], "overdue actions"
        elif kind == "due_soon":
            soon = today + dt.timedelta(days=30)
            chosen = [a for a in actions if not a["complete"] and a["due"]
                      and today <= dt.date.fromisoformat(a["due"]) <= soon]
            what = "actions due in the next 30 days"
        else:
            chosen = [m.get("action", m) for m in self._moves[key[1]]]
            what = {"better": "actions that moved up", "worse": "actions that moved down", "new": "new actions",
                    "completed": "actions completed"}[key[1]] + " since the last pack"
        self.recordsRequested.emit("Plan", {"refs": [a["ref"] for a in chosen], "label": what})

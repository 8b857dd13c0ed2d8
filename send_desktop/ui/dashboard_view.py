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
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=(CARD_WIDTH / 100, height / 100), dpi=100)
        self.canvas = lazy_canvas_class()(self.figure)
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
        self.canvas.needs_drawing = True  # drawn when it is first painted: cards below the fold wait
        self.canvas.update()


_LAZY_CANVAS = None


def lazy_canvas_class():
    """A matplotlib canvas that renders its figure when Qt first paints it, not before: opening
    the dashboard draws the cards on screen, and the ones scrolled out of sight when they come in."""
    global _LAZY_CANVAS
    if _LAZY_CANVAS is None:
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        class LazyCanvas(FigureCanvasQTAgg):
            needs_drawing = False

            def paintEvent(self, event) -> None:  # noqa: N802 - Qt name
                if self.needs_drawing:
                    self.needs_drawing = False
                    self.draw()
                super().paintEvent(event)

        _LAZY_CANVAS = LazyCanvas
    return _LAZY_CANVAS


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

        from send_desktop.pack.parts import audits_part, kpis_part

        if self.db is None:
            return
        today = self.today or dt.date.today()
        try:
            snapshot = collect(self.db, today, parts={"kpis": kpis_part, "audits": audits_part(today)})
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
        self._risk_card(today)
        if snapshot.get("kpis"):
            self._kpi_tiles(snapshot["kpis"]["kpis"])
        if snapshot.get("audits"):
            self._audit_cards(snapshot["audits"])

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

    # -- risks, KPIs, audits ------------------------------------------------------------------
    def _risk_card(self, today: dt.date) -> None:
        from send_desktop.services.risk_read import load_register
        from send_desktop.ui.risk_charts import RiskHeatMap

        register = load_register(self.db, today=today)
        if not register.risks:
            return
        if "risks" not in self.cards:
            card = QFrame(self.page)
            card.setObjectName("card")
            layout = QVBoxLayout(card)
            layout.setContentsMargins(10, 8, 10, 8)
            layout.addWidget(QLabel("<b>Risk heat map</b>: open risks now, with where they stood at their "
                                    "previous review (click a cell to list its risks)"))
            card.heat_map = RiskHeatMap(card)
            card.heat_map.setFixedSize(CARD_WIDTH, CARD_HEIGHT + 60)
            card.heat_map.cellClicked.connect(lambda cell: cell and self.recordsRequested.emit(
                "Risks", {"cell": list(cell), "label": "risks in this cell"}))
            card.summary = QLabel()
            card.summary.setWordWrap(True)
            layout.addWidget(card.heat_map)
            layout.addWidget(card.summary)
            self.cards["risks"] = card
            self.grid.addWidget(card, 2, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        card = self.cards["risks"]
        card.heat_map.set_data(register.matrix, register.risks)
        board = sorted((r for r in register.risks if r.for_board and r.status != "closed"), key=lambda r: -r.score)
        card.summary.setText("Escalated for the board: " + ("; ".join(f"{r.ref} {r.title} ({r.score} {r.band.name})"
                                                                      for r in board) if board else "none") + ".")

    def _kpi_tiles(self, kpis: list[dict]) -> None:
        if "kpis" in self.cards:
            self.grid.removeWidget(self.cards["kpis"])
            self.cards.pop("kpis").deleteLater()
        card = QFrame(self.page)
        card.setObjectName("card")
        layout = QVBoxLayout(card)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(QLabel("<b>KPIs</b>: latest value against target (Tab to move, Enter to open)"))
        tiles = QGridLayout()
        tiles.setSpacing(6)
        order = {"red": 0, "amber": 1, "green": 2}
        shown = sorted(kpis, key=lambda k: (order.get(k["rag"]["status"], 3), k["ref"]))[:10]
        arrows = {"improving": "· ▲ improving", "worsening": "· ▼ worsening", "no change": "· ● no change"}
        colours = {"red": "#c0392b", "amber": "#e69f00", "green": "#2e8b57"}
        for n, k in enumerate(shown):
            latest, target = k["latest"] or {}, k["target"] or {}
            tile = QPushButton(f"{k['ref']}  {_short(k['measure'], 33)}\n{latest.get('text') or '—'}"
                               f"  ({latest.get('period') or 'no value'})\ntarget {target.get('text') or '—'} · "
                               f"{k['rag']['label']} {arrows.get(k['travel'], '')}")
            edge = colours.get(k["rag"]["status"], "#9a9a9a")
            tile.setStyleSheet(f"QPushButton {{ text-align: left; padding: 6px 8px; border: 1px solid #c8c8c8;"
                               f" border-left: 6px solid {edge}; background: white; }}"
                               f"QPushButton:focus {{ border: 2px solid #1f5fa8; border-left: 6px solid {edge}; }}")
            tile.setToolTip(k["rag"]["reason"])
            tile.setAccessibleName(f"KPI {k['ref']}: {k['measure']}, latest {latest.get('text') or 'none'}, "
                                   f"{k['rag']['label']}")
            tile.setFixedWidth(300)
            tile.clicked.connect(lambda _=False, uid=k["uid"]: self.recordsRequested.emit("KPIs", {"kpi_uid": uid}))
            tiles.addWidget(tile, n // 2, n % 2)
        layout.addLayout(tiles)
        rag = {}
        for k in kpis:
            rag[k["rag"]["label"]] = rag.get(k["rag"]["label"], 0) + 1
        summary = QLabel(f"{len(kpis)} KPIs: " + ", ".join(f"{n} {label}" for label, n in sorted(
            rag.items(), key=lambda kv: ({"Red": 0, "Amber": 1, "Green": 2}.get(kv[0], 3), kv[0]))) +
            (f". The {len(shown)} most off target are shown." if len(kpis) > len(shown) else "."))
        summary.setWordWrap(True)
        layout.addWidget(summary)
        card.setFixedWidth(CARD_WIDTH + 20)
        self.cards["kpis"] = card
        self.grid.addWidget(card, 2, 1, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

    def _audit_cards(self, report: dict) -> None:
        months = report["monthly"]
        g = report["good_or_better"]
        card = self._card("audit_trend", "EHCP audits: % good or better by month", 3, 0)
        fig = card.figure
        fig.clear()
        ax = fig.add_axes((0.08, 0.2, 0.88, 0.7))
        xs = list(range(len(months)))
        points = [(x, m) for x, m in zip(xs, months) if m.get("pct") is not None]
        if points:
            line = ax.plot([x for x, _ in points], [m["pct"] for _, m in points], linestyle="none", marker="o",
                           markersize=6, color="#6b6b6b", label="month (n below)")[0]
            for x, m in points:
                dot = ax.plot([x], [m["pct"]], marker="o", markersize=9, color="none", linestyle="none")[0]
                card.keyed(dot, ("audit_month", m["month"]))
                ax.text(x, 2, str(m["n"]), ha="center", fontsize=7, color="#444444")
            del line
        rolling = [(x, m["rolling_pct"]) for x, m in zip(xs, months) if m.get("rolling_pct") is not None]
        if rolling:
            ax.plot(*zip(*rolling), color="#1f4e79", linewidth=2, label="rolling 3 months")
        if g.get("target_pct") is not None:
            ax.axhline(g["target_pct"], color="#333333", linestyle="--", linewidth=1, label=f"target {g['target_pct']:g}%")
        ax.set_xticks(xs)
        ax.set_xticklabels([m["month"][2:] for m in months], fontsize=7, rotation=45)
        ax.set_ylim(0, 100)
        _style_axes(ax)
        ax.legend(fontsize=7, frameon=False, loc="upper left", ncol=3)
        card.finish((f"{g['pct']:.0f}% of {g['n']} graded audits were good or better over the last twelve months "
                     f"(target {g['target_pct']:g}%; {g['vs_target']} target). Click a month to list its audits.")
                    if g["n"] else "No graded audits in the last twelve months.")
        target = report["audits_target"].get("monthly_target")
        card = self._card("audit_done", "Audits done against the monthly target", 3, 1)
        fig = card.figure
        fig.clear()
        ax = fig.add_axes((0.08, 0.2, 0.88, 0.7))
        bars = ax.bar(xs, [m["audits"] for m in months], color="#4f7fb8", edgecolor="#333333", linewidth=0.5)
        for bar, m in zip(bars, months):
            card.keyed(bar, ("audit_month", m["month"]))
            ax.text(bar.get_x() + bar.get_width() / 2, bar.get_height(), str(m["audits"]), ha="center",
                    va="bottom", fontsize=7)
        if target:
            ax.axhline(target, color="#333333", linestyle="--", linewidth=1, label=f"target {target} a month")
            ax.legend(fontsize=7, frameon=False, loc="upper left")
        ax.set_xticks(xs)
        ax.set_xticklabels([m["month"][2:] for m in months], fontsize=7, rotation=45)
        ax.set_ylim(0, max([m["audits"] for m in months] + [target or 0, 1]) * 1.2)
        _style_axes(ax)
        whole = [m for m in months if m["whole_month"]]
        met = sum(1 for m in whole if target and m["audits"] >= target)
        card.finish(f"The target of {target} a month was met in {met} of {len(whole)} whole months."
                    if target else "No caseload is loaded, so there is no monthly target.")

    # -- clicks --------------------------------------------------------------------------------
    def _picked(self, key) -> None:
        """Show the actions behind what was clicked, by their refs (the Plan area filters to them)."""
        actions = (self._plan or {}).get("actions", [])
        kind = key[0]
        if kind == "audit_month":
            self.recordsRequested.emit("Audits", {"month": key[1]})
            return
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

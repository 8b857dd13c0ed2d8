"""Charts for the pack, drawn with matplotlib's object API (no pyplot state) into PNG bytes.

Print-safe: every bar carries its count as text, statuses are told apart by hatching as well as
colour, and the legend names each level, so a black-and-white copy reads the same.
"""

from __future__ import annotations

import io

HATCHES = ("", "///", "...", "xxx", "\\\\\\", "ooo", "---")


def _figure(width_in: float, height_in: float):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), dpi=150)
    fig.patch.set_facecolor("white")
    return fig


def png(fig) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=150)
    return out.getvalue()


def stacked_status_bars(groups: list[str], levels: list[dict], counts: dict[str, dict[str, int]],
                        title: str, width_in: float = 7.2, height_in: float | None = None) -> bytes:
    """Horizontal stacked bars: one per group (a priority, a workstream), one segment per status
    level, each segment labelled with its count."""
    height_in = height_in or max(1.6, 0.42 * len(groups) + 1.1)
    fig = _figure(width_in, height_in)
    ax = fig.add_axes((0.30, 0.22 if len(groups) < 4 else 0.16, 0.66, 0.62 if len(groups) < 4 else 0.7))
    y = list(range(len(groups)))[::-1]
    left = [0] * len(groups)
    for i, level in enumerate(levels):
        values = [counts.get(g, {}).get(level["label"], 0) for g in groups]
        bars = ax.barh(y, values, left=left, color=level.get("colour") or "#d9d9d9", edgecolor="#333333",
                       linewidth=0.5, hatch=HATCHES[i % len(HATCHES)], label=level["label"])
        for bar, v in zip(bars, values):
            if v:
                ax.text(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2, str(v),
                        ha="center", va="center", fontsize=7, color="black",
                        bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none", alpha=0.85))
        left = [a + b for a, b in zip(left, values)]
    ax.set_yticks(y)
    ax.set_yticklabels([g if len(g) <= 38 else g[:36] + "…" for g in groups], fontsize=7.5)
    ax.set_xlabel("actions", fontsize=7.5)
    ax.tick_params(axis="x", labelsize=7)
    ax.set_xlim(0, max(left + [1]) * 1.02)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(title, fontsize=9, loc="left", fontweight="bold")
    ax.legend(loc="upper center", bbox_to_anchor=(0.35, -0.12 if len(groups) >= 4 else -0.25),
              ncol=min(len(levels), 5), fontsize=7, frameon=False)
    return png(fig)


def heat_map(matrix: dict, risks: list[dict], width_in: float = 6.4) -> bytes:
    """Likelihood × impact grid in band colours, the number of open risks in each cell, each cell's
    band named in the key; where risks stood at their previous review is shown as a faint count."""
    from matplotlib.patches import Rectangle

    n_l, n_i = len(matrix["likelihood"]), len(matrix["impact"])
    fig = _figure(width_in, width_in * 0.78)
    ax = fig.add_axes((0.22, 0.2, 0.74, 0.72))
    bands = matrix["bands"]

    def band(score):
        return next((b for b in bands if b["from"] <= score <= b["to"]), bands[-1])

    now: dict[tuple[int, int], int] = {}
    before: dict[tuple[int, int], int] = {}
    for r in risks:
        if r["status"] == "closed":
            continue
        now[(r["likelihood"], r["impact"])] = now.get((r["likelihood"], r["impact"]), 0) + 1
        if r.get("previous"):
            key = (r["previous"]["likelihood"], r["previous"]["impact"])
            before[key] = before.get(key, 0) + 1
    for li in range(1, n_l + 1):
        for im in range(1, n_i + 1):
            b = band(li * im)
            ax.add_patch(Rectangle((im - 0.5, li - 0.5), 1, 1, facecolor=b["colour"], edgecolor="white", linewidth=2,
                                   alpha=0.85))
            count = now.get((li, im), 0)
            if count:
                ax.text(im, li + 0.05, str(count), ha="center", va="center", fontsize=13, fontweight="bold",
                        bbox=dict(boxstyle="circle,pad=0.25", facecolor="white", edgecolor="#222222", linewidth=0.8))
            if before.get((li, im)):
                ax.text(im + 0.36, li - 0.34, f"({before[(li, im)]})", ha="right", va="bottom", fontsize=6.5,
                        color="#333333", alpha=0.75)
            ax.text(im - 0.44, li + 0.32, str(li * im), fontsize=6, color="#222222", alpha=0.7)
    ax.set_xlim(0.5, n_i + 0.5)
    ax.set_ylim(0.5, n_l + 0.5)
    ax.set_xticks(range(1, n_i + 1))
    ax.set_xticklabels([f"{i}\n{label}" for i, label in enumerate(matrix["impact"], start=1)], fontsize=7)
    ax.set_yticks(range(1, n_l + 1))
    ax.set_yticklabels([f"{label} {i}" for i, label in enumerate(matrix["likelihood"], start=1)], fontsize=7)
    ax.set_xlabel("impact", fontsize=8)
    ax.set_ylabel("likelihood", fontsize=8)
    for side in ax.spines.values():
        side.set_visible(False)
    handles = [Rectangle((0, 0), 1, 1, facecolor=b["colour"], alpha=0.85) for b in bands]
    ax.legend(handles, [f"{b['name']} {b['from']}–{b['to']}" for b in bands], loc="upper center",
              bbox_to_anchor=(0.45, -0.16), ncol=len(bands), fontsize=7, frameon=False)
    return png(fig)


def kpi_small_multiples(kpis: list[dict], columns: int = 3, width_in: float = 7.2) -> bytes:
    """One small line chart per KPI: its recent values, the target as a dashed line, the RAG in words."""
    rows = (len(kpis) + columns - 1) // columns
    fig = _figure(width_in, 1.55 * rows + 0.2)
    for n, k in enumerate(kpis):
        ax = fig.add_subplot(rows, columns, n + 1)
        points = [(i, v["number"]) for i, v in enumerate(k["values"]) if v and v["number"] is not None]
        if points:
            xs, ys = zip(*points)
            ax.plot(xs, ys, color="#1f4e79", linewidth=1.4, marker="o", markersize=2.5)
            ax.annotate(k["latest"]["text"] if k["latest"] else "", (xs[-1], ys[-1]), fontsize=6.5,
                        xytext=(2, 4), textcoords="offset points")
        target = (k.get("target") or {}).get("number")
        if target is not None:
            ax.axhline(target, color="#555555", linestyle="--", linewidth=0.9)
        ax.set_title(f"{k['ref']} {k['measure'][:38]}" + ("…" if len(k["measure"]) > 38 else ""), fontsize=6.5,
                     loc="left")
        ax.text(0.99, 0.04, k["rag"]["label"], transform=ax.transAxes, ha="right", va="bottom", fontsize=6.5,
                fontweight="bold", bbox=dict(boxstyle="round,pad=0.2", facecolor="white", edgecolor="#777777"))
        ax.set_xticks([])
        ax.tick_params(labelsize=6)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    fig.subplots_adjust(left=0.06, right=0.98, top=0.95, bottom=0.03, hspace=0.75, wspace=0.28)
    return png(fig)


def grade_bars(grades: list[dict], width_in: float = 3.5) -> bytes:
    """Audited plans by grade: a bar each with its count and share, hatched for print."""
    fig = _figure(width_in, 2.3)
    ax = fig.add_axes((0.1, 0.3, 0.86, 0.58))
    names = [g["grade"] for g in grades]
    counts = [g["audits"] for g in grades]
    bars = ax.bar(range(len(names)), counts, color="#4f7fb8", edgecolor="#222222", linewidth=0.5)
    for bar, patch, g in zip(bars, HATCHES, grades):
        bar.set_hatch(patch)
        pct = "" if g.get("pct") is None else f" ({g['pct']:.0f}%)"
        ax.text(bar.get_x() + bar.get_width() / 2, bar.get_height(), f"{g['audits']}{pct}", ha="center",
                va="bottom", fontsize=6.5)
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels([n.replace("Requires improvement", "Requires\nimprovement") for n in names], fontsize=6.5)
    ax.set_yticks([])
    ax.set_ylim(0, max(counts + [1]) * 1.25)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.set_title("Grades", fontsize=8, loc="left", fontweight="bold")
    return png(fig)


def audit_trend(monthly: list[dict], target_pct: float | None, width_in: float = 3.7) -> bytes:
    """% good or better by month (points with n) and the rolling 3-month line, the target dashed."""
    fig = _figure(width_in, 2.3)
    ax = fig.add_axes((0.12, 0.22, 0.84, 0.64))
    xs = list(range(len(monthly)))
    pts = [(x, m["pct"]) for x, m in zip(xs, monthly) if m.get("pct") is not None]
    if pts:
        ax.plot(*zip(*pts), linestyle="none", marker="o", markersize=3, color="#7a7a7a", label="month")
    roll = [(x, m["rolling_pct"]) for x, m in zip(xs, monthly) if m.get("rolling_pct") is not None]
    if roll:
        ax.plot(*zip(*roll), color="#1f4e79", linewidth=1.6, label="rolling 3 months")
    if target_pct is not None:
        ax.axhline(target_pct, color="#333333", linestyle="--", linewidth=0.9, label=f"target {target_pct:g}%")
    ax.set_xticks(xs)
    ax.set_xticklabels([m["month"][2:] for m in monthly], fontsize=5.5, rotation=90)
    ax.set_ylim(0, 100)
    ax.set_ylabel("% good or better", fontsize=6.5)
    ax.tick_params(axis="y", labelsize=6)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(fontsize=5.5, frameon=False, loc="upper left", ncol=3)
    ax.set_title("% good or better by month", fontsize=8, loc="left", fontweight="bold")
    return png(fig)
